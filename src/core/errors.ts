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

export type { ErrorCode, ErrorKind } from './errorCodes.js';

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

// Temporary (until every call site takes an options object): the positional form still compiles.
type Positional = [hint?: string, cause?: unknown];
type Trailing = [options?: ErrorOptions] | Positional;
const optionsOf = (rest: Trailing): ErrorOptions =>
  typeof rest[0] === 'object' && rest[0] !== null ? rest[0] : { hint: rest[0], cause: rest[1] };

export function usageError(code: ErrorCodeOf<'usage'>, message: string, options?: ErrorOptions): FedloginError;
export function usageError(code: string, message: string, ...rest: Positional): FedloginError;
export function usageError(code: string, message: string, ...rest: Trailing): FedloginError {
  return new FedloginError(code as ErrorCode, message, { ...optionsOf(rest), kind: 'usage' });
}

export function refusedError(code: ErrorCodeOf<'refused'>, message: string, options?: ErrorOptions): FedloginError;
export function refusedError(code: string, message: string, ...rest: Positional): FedloginError;
export function refusedError(code: string, message: string, ...rest: Trailing): FedloginError {
  return new FedloginError(code as ErrorCode, message, { ...optionsOf(rest), kind: 'refused' });
}

export function unreachableError(
  code: ErrorCodeOf<'unreachable'>,
  message: string,
  options?: ErrorOptions,
): FedloginError;
export function unreachableError(code: string, message: string, ...rest: Positional): FedloginError;
export function unreachableError(code: string, message: string, ...rest: Trailing): FedloginError {
  return new FedloginError(code as ErrorCode, message, { ...optionsOf(rest), kind: 'unreachable' });
}

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
