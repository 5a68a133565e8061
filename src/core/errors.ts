/**
 * One error family for the whole tool. Every failure a user can meet is a FedloginError with a
 * stable `code` (for tests and scripts) and a `kind` that decides the exit code in one place
 * (src/cli/exitCodes.ts). Messages say what failed, why, and what to run next; they never carry a
 * secret.
 */
export type ErrorKind =
  /** bad flags, missing settings, malformed files or input: exit 2 */
  | 'usage'
  /** the IdP or STS said no: exit 3 */
  | 'refused'
  /** a service could not be reached or kept failing: exit 4 */
  | 'unreachable'
  /** the person stopped it (Ctrl-C, closed the window): exit 130 */
  | 'aborted'
  /** a bug in fedlogin: exit 1 */
  | 'internal';

export interface FedloginErrorOptions {
  kind: ErrorKind;
  /** the next thing to try, shown on its own line after the message */
  hint?: string;
  cause?: unknown;
}

export class FedloginError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: FedloginErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FedloginError';
    this.code = code;
    this.kind = options.kind;
    this.hint = options.hint;
  }
}

export const usageError = (code: string, message: string, hint?: string, cause?: unknown) =>
  new FedloginError(code, message, { kind: 'usage', hint, cause });

export const refusedError = (code: string, message: string, hint?: string, cause?: unknown) =>
  new FedloginError(code, message, { kind: 'refused', hint, cause });

export const unreachableError = (code: string, message: string, hint?: string, cause?: unknown) =>
  new FedloginError(code, message, { kind: 'unreachable', hint, cause });

export const abortedError = (message = 'Aborted.') =>
  new FedloginError('ABORTED', message, { kind: 'aborted' });

export function isFedloginError(error: unknown): error is FedloginError {
  return error instanceof FedloginError;
}
