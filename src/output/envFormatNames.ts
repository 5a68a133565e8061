/**
 * The names of the env formats and their parser, apart from the formatting itself (envFormat.ts),
 * so that the commands' --format options cost nothing more than this at start-up.
 */
import { usageError } from '../core/errors.js';

/**
 * How `fedlogin env` can write variables:
 * - sh:         `export NAME='...'`, for `eval "$(fedlogin env)"` in sh, dash, bash, zsh, ksh
 * - fish:       `set -gx NAME '...'`, for `fedlogin env --format fish | source`
 * - powershell: `$Env:NAME = '...'`, for `fedlogin env --format powershell | Invoke-Expression`
 * - dotenv:     `NAME="..."`, read alike by python-dotenv and the dotenv npm package (see dotenvQuote.ts)
 * - json:       one JSON object {"NAME":"value",...}
 * - github-env: the $GITHUB_ENV file syntax, for `fedlogin env --format github-env >> "$GITHUB_ENV"`
 */
export const ENV_FORMATS = ['sh', 'fish', 'powershell', 'dotenv', 'json', 'github-env'] as const;
export type EnvFormat = (typeof ENV_FORMATS)[number];

const ALIASES: Readonly<Record<string, EnvFormat>> = {
  bash: 'sh',
  zsh: 'sh',
  pwsh: 'powershell',
  github: 'github-env',
};

/** Parses a `--format` value (case-insensitive; bash, zsh, pwsh and github are accepted as aliases). */
export function parseEnvFormat(value: string, source = '--format'): EnvFormat {
  const key = value.trim().toLowerCase();
  if ((ENV_FORMATS as readonly string[]).includes(key)) return key as EnvFormat;
  if (Object.hasOwn(ALIASES, key)) return ALIASES[key]!;
  throw usageError('ENV_FORMAT_UNKNOWN', `Unknown ${source} value ${JSON.stringify(value)}.`, {
    hint: `Use one of: ${ENV_FORMATS.join(', ')}.`,
  });
}
