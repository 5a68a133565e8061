import { usageError } from '../core/errors.js';
import { quoteDotenv } from './dotenvQuote.js';
import type { EnvFormat } from './envFormatNames.js';
import type { EnvVariable } from './envVariables.js';
import { formatGithubEnvEntry } from './githubEnv.js';
import { quoteFish, quotePowerShell, quoteSh } from './shellQuote.js';

export { ENV_FORMATS, type EnvFormat, parseEnvFormat } from './envFormatNames.js';
export { credentialMaskCommands, githubMaskCommands } from './githubEnv.js';

export interface EnvFormatOptions {
  /** makes github-env heredoc delimiters; defaults to ghadelimiter_<random UUID> */
  githubDelimiter?: () => string;
}

/**
 * Writes the variables in the given format, one entry per variable, each ending in a newline.
 * Every format quotes so that any value reads back byte for byte; where a format has no such
 * representation for a value (dotenv, github-env in rare cases) it throws a usage error naming the
 * variable, never writing a form that would read back differently. Names must be
 * [A-Za-z_][A-Za-z0-9_]*; values must be well-formed Unicode without NUL.
 */
export function formatEnv(vars: readonly EnvVariable[], format: EnvFormat, opts: EnvFormatOptions = {}): string {
  for (const [name, value] of vars) checkVariable(name, value);
  switch (format) {
    case 'sh':
      return lines(vars, (name, value) => `export ${name}=${quoteSh(value)}`);
    case 'fish':
      return lines(vars, (name, value) => `set -gx ${name} ${quoteFish(value)}`);
    case 'powershell':
      return lines(vars, (name, value) => `$Env:${name} = ${quotePowerShell(value)}`);
    case 'dotenv':
      return lines(vars, (name, value) => `${name}=${quoteDotenv(name, value)}`);
    case 'json':
      return `${JSON.stringify(Object.fromEntries(vars))}\n`;
    case 'github-env':
      return vars.map(([name, value]) => formatGithubEnvEntry(name, value, opts.githubDelimiter)).join('');
  }
}

/**
 * The line that removes these variables again, in the shell the format is for: `unset A B` (sh,
 * and for dotenv, json and github-env, which name no shell), `set -e A; set -e B` (fish),
 * `Remove-Item Env:A, Env:B` (powershell). Pure.
 */
export function formatUnset(names: readonly string[], format: EnvFormat): string {
  for (const name of names) checkVariable(name, '');
  switch (format) {
    case 'fish':
      return `${names.map((name) => `set -e ${name}`).join('; ')}\n`;
    case 'powershell':
      return `Remove-Item ${names.map((name) => `Env:${name}`).join(', ')}\n`;
    default:
      return `unset ${names.join(' ')}\n`;
  }
}

function lines(vars: readonly EnvVariable[], line: (name: string, value: string) => string): string {
  return vars.map(([name, value]) => `${line(name, value)}\n`).join('');
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkVariable(name: string, value: string): void {
  if (!NAME.test(name)) {
    throw usageError('ENV_NAME_INVALID', `${JSON.stringify(name)} is not a valid environment variable name.`, {
      hint: 'Use letters, digits and _, not starting with a digit.',
    });
  }
  if (value.includes('\0')) {
    throw usageError(
      'ENV_VALUE_INVALID',
      `The value of ${name} contains a NUL character, which no environment variable can hold.`,
    );
  }
  // A lone surrogate has no UTF-8 encoding: it would be written as U+FFFD, a different value.
  if (/[\uD800-\uDFFF]/u.test(value)) {
    throw usageError('ENV_VALUE_INVALID', `The value of ${name} is not well-formed Unicode (it has a lone surrogate).`);
  }
}
