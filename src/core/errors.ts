/**
 * One error family for the whole tool. Every failure a user can meet is a FedloginError with a
 * stable `code` from the table in errorCodes.ts (for tests, scripts and docs/errors.md) and a
 * `kind` that decides the exit code in one place (src/cli/exitCodes.ts). Messages say what failed,
 * why, and what to run next; they never carry a secret.
 *
 * Build them with the factory of their kind: `usageError('PROFILE_NOT_FOUND', message, { hint })`.
 * Recognise them with isFedloginError, never instanceof: the class ships in several bundles.
 */
import type { ErrorCode, ErrorCodeOf, ErrorKind } from './errorCodes.js';

export type { ErrorCode, ErrorCodeOf, ErrorKind } from './errorCodes.js';

export interface ErrorOptions {
  /** the next thing to try, shown on its own line after the message */
  hint?: string | undefined;
  cause?: unknown;
}

export interface FedloginErrorOptions extends ErrorOptions {
  kind: ErrorKind;
}

/**
 * The brand isFedloginError looks for. Symbol.for gives every copy of this module (the
 * credential-process bundle, the CLI chunks, the tsc output) the same symbol.
 */
const FEDLOGIN_ERROR: unique symbol = Symbol.for('fedlogin.error');

export class FedloginError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: FedloginErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FedloginError';
    this.code = code;
    this.kind = options.kind;
    this.hint = options.hint;
  }

  /** on the prototype, so it is not an own property in inspect() or JSON */
  get [FEDLOGIN_ERROR](): true {
    return true;
  }
}

export const usageError = (code: ErrorCodeOf<'usage'>, message: string, options?: ErrorOptions) =>
  new FedloginError(code, message, { ...options, kind: 'usage' });

export const refusedError = (code: ErrorCodeOf<'refused'>, message: string, options?: ErrorOptions) =>
  new FedloginError(code, message, { ...options, kind: 'refused' });

export const unreachableError = (code: ErrorCodeOf<'unreachable'>, message: string, options?: ErrorOptions) =>
  new FedloginError(code, message, { ...options, kind: 'unreachable' });

/** A bug in fedlogin that it caught itself: exit 1, and reportError asks for a report. */
export const internalError = (code: ErrorCodeOf<'internal'>, message: string, options?: ErrorOptions) =>
  new FedloginError(code, message, { ...options, kind: 'internal' });

export const abortedError = (message = 'Aborted.') => new FedloginError('ABORTED', message, { kind: 'aborted' });

/** True for a FedloginError from any copy of this module (a brand check, not instanceof). */
export function isFedloginError(error: unknown): error is FedloginError {
  return (
    typeof error === 'object' && error !== null && (error as { [FEDLOGIN_ERROR]?: unknown })[FEDLOGIN_ERROR] === true
  );
}
