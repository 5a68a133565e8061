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

/** `fedlogin credential-process --profile NAME`, each word quoted when it needs to be. */
export function credentialProcessLine(
  profile: string,
  launcher = 'fedlogin',
  platform: NodeJS.Platform = process.platform,
): string {
  return [launcher, 'credential-process', '--profile', profile].map((arg) => quoteArgument(arg, platform)).join(' ');
}
