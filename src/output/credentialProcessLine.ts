/**
 * The `credential_process` line fedlogin writes into ~/.aws/config. Every reader splits it
 * differently: botocore with shlex (POSIX rules), the JS SDK through `/bin/sh -c`, the Go SDK
 * through `sh -c` (and all three through cmd.exe's or Windows' own rules on Windows). Each argument
 * is therefore quoted by one rule that all of them read back as the same word: bare when it holds
 * only characters no splitter treats specially, else in single quotes (POSIX) or double quotes
 * (Windows). A value starting with `"` is cut at the closing quote by the Go SDK 1.17's ini
 * reader, which is another reason single quotes are the POSIX choice. Pure.
 */
import { quoteSh } from './shellQuote.js';

/** Characters that are literal to sh, shlex and cmd.exe alike (no `%`: cmd.exe expands it). */
const BARE = /^[A-Za-z0-9_@+=:,./-]+$/;

export function quoteArgument(arg: string, platform: NodeJS.Platform = process.platform): string {
  if (BARE.test(arg)) return arg;
  if (platform === 'win32') {
    if (/["%\r\n]/.test(arg)) throw new Error(`cannot quote ${JSON.stringify(arg)} for cmd.exe`);
    return `"${arg}"`;
  }
  // shlex (POSIX mode) reads '\'' as sh does
  return quoteSh(arg);
}

/**
 * `fedlogin credential-process --profile NAME`, each word quoted when it needs to be; `launcher` is
 * the word (or words: node and a script) that start fedlogin.
 */
export function credentialProcessLine(
  profile: string,
  launcher: string | readonly string[] = 'fedlogin',
  platform: NodeJS.Platform = process.platform,
): string {
  return [...(typeof launcher === 'string' ? [launcher] : launcher), 'credential-process', '--profile', profile]
    .map((arg) => quoteArgument(arg, platform))
    .join(' ');
}

/**
 * A credential_process line split into words as botocore does on POSIX (Python's shlex.split:
 * blanks separate words; '...' is literal; "..." keeps its content, a backslash escaping only
 * \\ and "; a backslash outside quotes escapes the next character). The JS and Go SDKs hand the
 * line to sh, which splits the lines fedlogin writes (quoteArgument) the same way. undefined for an
 * unterminated quote. Pure.
 */
export function splitCommandLine(line: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word = (word ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        const d = line[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < line.length && '\\"'.includes(line[i + 1]!)) {
          text += line[i + 1];
          i += 2;
        } else {
          text += d;
          i++;
        }
      }
      word = (word ?? '') + text;
      i++;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return undefined;
      word = (word ?? '') + line[i + 1];
      i += 2;
    } else {
      word = (word ?? '') + c;
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
