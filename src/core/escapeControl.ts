/**
 * Text that came from outside (a token's claims, a SAML assertion, an IdP's or a service's error
 * message) must not be able to drive the terminal or the CI log it is printed to: an ESC starts a
 * terminal escape sequence (clear the screen, set the window title, rewrite a link), a BEL ends
 * one, a CR or LF starts a new line that a CI runner reads as a workflow command (`::error ...`,
 * `::add-mask::`, `::stop-commands::`), and bidi overrides make a line read differently from what
 * it holds. Pure.
 *
 * Escaped (visible, and reversible by eye): C0 controls U+0000-U+001F (tab, CR and LF included),
 * DEL and the C1 controls U+007F-U+009F as `\xNN`; the line and paragraph separators U+2028/U+2029
 * and the bidi controls (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069) as `\u{NNNN}`. Everything
 * else, backslashes included, is left as it is, so clean text is unchanged and escaping twice
 * changes nothing more.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE_BUT_LF =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(char: string): string {
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** One line of outside text, safe to print: every control character escaped, newlines too. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * fedlogin's own multi-line text (an error with its hint, a --debug stack) that may carry outside
 * text: line feeds stay line breaks, every other control character is escaped, and a line that
 * would read as a CI workflow command (it starts with `::` after blanks, as GitHub's runner
 * checks) gets its first colon escaped. A safety net: outside values are escaped where they enter
 * a message (escapeControl), so no newline of theirs gets this far.
 */
export function escapeControlLines(text: string): string {
  return text.replace(UNSAFE_BUT_LF, escapeChar).replace(/^([^\S\n]*):(?=:)/gm, '$1\\x3a');
}

/** Any outside value (a claim can be a number, an array, an object) as one safe line. */
export function showValue(value: unknown): string {
  return escapeControl(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls but leaves DEL, the C1 controls, U+2028/9
 * and the bidi controls raw; they are written as \uNNNN escapes here, so the text parses back to
 * the same value and prints nothing a terminal acts on.
 */
export function terminalJson(value: unknown, space?: number): string {
  // its only raw line feeds are the layout's: JSON.stringify escapes those inside strings
  return JSON.stringify(value, null, space).replace(
    UNSAFE_BUT_LF,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
