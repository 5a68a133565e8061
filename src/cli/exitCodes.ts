import { type ErrorKind, isFedloginError } from '../core/errors.js';

/** The one place where errors become exit codes (see docs/architecture.md and docs/errors.md). */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  refused: 3,
  unreachable: 4,
  aborted: 130,
} as const;

export const EXIT_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  usage: EXIT.usage,
  refused: EXIT.refused,
  unreachable: EXIT.unreachable,
  aborted: EXIT.aborted,
  internal: EXIT.internal,
};

export function exitCodeFor(error: unknown): number {
  return isFedloginError(error) ? EXIT_BY_KIND[error.kind] : EXIT.internal;
}
