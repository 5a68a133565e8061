import { randomUUID } from 'node:crypto';
import { internalError, usageError } from '../core/errors.js';

/**
 * One entry of the $GITHUB_ENV file, in GitHub's documented syntax: `NAME=value` for a value without
 * a line feed, else the heredoc form `NAME<<DELIMITER` / value / `DELIMITER`, with a delimiter that
 * occurs nowhere in the value.
 *
 * The runner splits the file on LF, and on Windows runners on CRLF too, so a value ending in CR
 * would lose it there; such a value is refused (GITHUB_ENV_UNREPRESENTABLE). A CR anywhere else is
 * kept on both.
 */
export function formatGithubEnvEntry(
  name: string,
  value: string,
  newDelimiter: () => string = defaultDelimiter,
): string {
  if (value.endsWith('\r')) {
    throw usageError(
      'GITHUB_ENV_UNREPRESENTABLE',
      `The value of ${name} ends with a carriage return, which the Actions runner on Windows drops from $GITHUB_ENV.`,
      { hint: 'Use --format json or a shell format instead.' },
    );
  }
  if (!value.includes('\n')) return `${name}=${value}\n`;
  const delimiter = pickDelimiter(value, newDelimiter);
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** What @actions/core uses; the UUID makes a collision with the value practically impossible. */
function defaultDelimiter(): string {
  return `ghadelimiter_${randomUUID()}`;
}

function pickDelimiter(value: string, newDelimiter: () => string): string {
  for (let attempt = 0; attempt < 10; attempt++) {
    const delimiter = newDelimiter();
    if (delimiter !== '' && !/[\r\n]/.test(delimiter) && !value.includes(delimiter)) return delimiter;
  }
  throw internalError('GITHUB_ENV_DELIMITER', 'Could not find a heredoc delimiter that is not part of the value.');
}

/**
 * `::add-mask::` workflow commands that make the Actions log hide each secret. The log is masked
 * line by line, so a multi-line secret is masked one line at a time; blank lines are skipped (the
 * runner refuses to mask whitespace). The data is escaped as @actions/core does (`%` -> %25, CR ->
 * %0D, LF -> %0A; only `%` can remain after splitting) so that the runner registers the exact text.
 * Returns one element per command, each a whole line ending in "\n", so `.join('')` is the text to
 * print on stdout before the secrets can appear anywhere else.
 */
export function githubMaskCommands(secrets: readonly string[]): string[] {
  const lines = new Set<string>();
  for (const secret of secrets) {
    for (const line of secret.split(/\r\n|\r|\n/)) {
      if (line.trim() !== '') lines.add(line);
    }
  }
  return [...lines].map((line) => `::add-mask::${line.replaceAll('%', '%25')}\n`);
}

/**
 * The masks for a set of credentials: the access key id, the secret key and the session token,
 * whatever output carries them into a GitHub Actions job (`--output github` on stdout,
 * `--format github-env` on stderr, because its stdout goes to $GITHUB_ENV).
 */
export function credentialMaskCommands(credentials: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}): string {
  return githubMaskCommands([
    credentials.accessKeyId,
    credentials.secretAccessKey,
    credentials.sessionToken ?? '',
  ]).join('');
}
