import { FedloginError, type ErrorKind } from '../core/errors.js';

/** The one place where errors become exit codes (see docs/architecture.md). */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  refused: 3,
  unreachable: 4,
  aborted: 130,
} as const;

const BY_KIND: Record<ErrorKind, number> = {
  usage: EXIT.usage,
  refused: EXIT.refused,
  unreachable: EXIT.unreachable,
  aborted: EXIT.aborted,
  internal: EXIT.internal,
};

export function exitCodeFor(error: unknown): number {
  return error instanceof FedloginError ? BY_KIND[error.kind] : EXIT.internal;
}
