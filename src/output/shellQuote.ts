/**
 * Literal quoting for each shell: the word produced always evaluates to exactly the given string,
 * with no expansion of any kind. Values must be free of NUL (no shell variable can hold one); the
 * caller (formatEnv) checks that.
 */

/**
 * POSIX sh (dash, bash, zsh, ksh): one single-quoted word; inside single quotes nothing is special
 * except the closing quote, so `'` becomes `'\''` (close, escaped quote, reopen). Newlines stay
 * literal inside the quotes, so the output must be evaluated whole: `eval "$(...)"`.
 */
export function quoteSh(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * fish: inside single quotes only `\\` and `\'` are escapes. Line breaks are written as unquoted
 * `\n` / `\r` escapes between quoted pieces (fish joins adjacent pieces into one word), so each
 * assignment stays on one line.
 */
export function quoteFish(value: string): string {
  return splitLineBreaks(value)
    .map((piece) => (piece === '\n' ? '\\n' : piece === '\r' ? '\\r' : `'${piece.replace(/[\\']/g, '\\$&')}'`))
    .join('');
}

/**
 * PowerShell: single-quoted strings expand nothing; the only escape is a doubled quote, and
 * PowerShell also takes the typographic quotes U+2018-U+201B as single quotes, so those are doubled
 * too. Line breaks become "`n" / "`r" pieces joined with `+`, so each statement stays on one line:
 * `fedlogin env --format powershell | Invoke-Expression` runs line by line, and a raw newline in a
 * value would otherwise split a statement (and could turn the rest of a value into code).
 */
export function quotePowerShell(value: string): string {
  const pieces = splitLineBreaks(value)
    .filter((piece) => piece !== '')
    .map((piece) =>
      piece === '\n' ? '"`n"' : piece === '\r' ? '"`r"' : `'${piece.replace(/['\u2018\u2019\u201A\u201B]/g, '$&$&')}'`,
    );
  return pieces.length === 0 ? "''" : pieces.join(' + ');
}

/** "a\nb" -> ["a", "\n", "b"]: text pieces (possibly empty) alternating with single CR or LF. */
function splitLineBreaks(value: string): string[] {
  return value.split(/(\r|\n)/);
}
