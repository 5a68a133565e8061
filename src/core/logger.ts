import { escapeControlLines } from './escapeControl.js';

/**
 * The only way fedlogin talks to people: notices and debug lines on stderr. Every line passes
 * through redact(), which removes registered secrets and anything shaped like a JWT or a long
 * base64 blob (SAML assertions, session tokens), so a secret cannot reach the terminal by accident.
 * Every line is then escaped (escapeControlLines), so text from a token, an assertion or an IdP
 * cannot drive the terminal or start a CI workflow command.
 */
export interface Logger {
  /** something the person should know (a retry, a capped duration); shown unless --quiet */
  notice(message: string): void;
  /** only with --debug */
  debug(message: string): void;
  /** values that must never be printed, added as soon as they are known */
  addSecret(value: string | undefined): void;
  /** the same redaction the logger applies, for text printed elsewhere (error lines) */
  redact(text: string): string;
  readonly debugEnabled: boolean;
}

const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const LONG_BASE64 = /[A-Za-z0-9+/=_-]{200,}/g;

export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  return out.replace(JWT_SHAPE, '[redacted-jwt]').replace(LONG_BASE64, '[redacted]');
}

export interface LoggerOptions {
  debug?: boolean;
  quiet?: boolean;
  write?: (line: string) => void;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = new Set<string>();
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  return {
    debugEnabled: options.debug === true,
    notice(message) {
      if (!options.quiet) write(escapeControlLines(redact(message, secrets)));
    },
    debug(message) {
      if (options.debug) write(escapeControlLines(redact(`[debug] ${message}`, secrets)));
    },
    addSecret(value) {
      if (value) secrets.add(value);
    },
    redact: (text) => redact(text, secrets),
  };
}

/** A logger that drops everything, for library use and tests that do not look at output. */
export const silentLogger: Logger = {
  debugEnabled: false,
  notice() {},
  debug() {},
  addSecret() {},
  redact: (text) => redact(text, []),
};
