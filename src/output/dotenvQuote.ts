import { usageError } from '../core/errors.js';

/**
 * A dotenv line `NAME="..."` that python-dotenv (1.x, with its default interpolation) and the
 * `dotenv` npm package (16/17) both read back as exactly the given value.
 *
 * The two readers share very little. In a double-quoted value python-dotenv decodes \\ \' \" \a \b
 * \f \n \r \t \v and expands ${VAR} / ${VAR:-default} (in every kind of quotes); the npm package
 * decodes only \n and \r and keeps every other backslash. Both convert raw CR and CRLF in the file to
 * LF, and a value ending in a backslash makes both quote-matching regexes run on into later lines.
 * So the representation is:
 *
 *   - always `NAME="..."`;
 *   - LF is written as `\n` and CR as `\r` (the two escapes both decode alike), so every variable
 *     is one line;
 *   - every other character is written as is;
 *   - a value that cannot be written this way is refused with DOTENV_UNREPRESENTABLE rather than
 *     written in a form one of the readers would change: a value containing `"`; a backslash at the
 *     end or before \ ' " a b f n r t v, LF or CR; or `${...}` that python-dotenv would expand.
 *
 * AWS keys, session tokens (base64), timestamps and region names never hit those cases. Not for
 * `docker run --env-file`, which takes every character after `=` literally, quotes included.
 */
export function quoteDotenv(name: string, value: string): string {
  const reason = dotenvUnrepresentableReason(value);
  if (reason !== undefined) {
    throw usageError(
      'DOTENV_UNREPRESENTABLE',
      `The value of ${name} cannot be written as a dotenv line that python-dotenv and the dotenv npm package both read back unchanged: it ${reason}.`,
      { hint: 'Use --format json, or a shell format (sh, fish, powershell), which quote any value.' },
    );
  }
  return `"${value.replaceAll('\n', '\\n').replaceAll('\r', '\\r')}"`;
}

// What python-dotenv's variables.py matches and replaces.
const PYTHON_DOTENV_VARIABLE = /\$\{[^}:]*(?::-[^}]*)?\}/;

/** Why a value has no dotenv form both readers agree on; undefined when it has one. */
export function dotenvUnrepresentableReason(value: string): string | undefined {
  if (value.includes('"')) return 'contains a double quote';
  if (/\\(?:$|[\\'"abfnrtv\n\r])/.test(value)) return 'contains a backslash that one of the readers would decode';
  if (PYTHON_DOTENV_VARIABLE.test(value)) return 'contains ${...}, which python-dotenv expands';
  return undefined;
}
