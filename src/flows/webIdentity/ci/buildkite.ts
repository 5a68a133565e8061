import { refusedError, unreachableError } from '../../../core/errors.js';
import type { TokenSource, TokenSourceDeps } from '../tokenSource.js';

/** Buildkite: `buildkite-agent oidc request-token --audience AUD` prints the token on stdout. */
export function buildkite(deps: TokenSourceDeps): TokenSource {
  return {
    description: '`buildkite-agent oidc request-token`',
    ci: 'buildkite',
    audienceIsRequested: true,
    async getToken(audience) {
      let result;
      try {
        result = await deps.runCommand('buildkite-agent', ['oidc', 'request-token', '--audience', audience], {
          timeoutMs: 30_000,
        });
      } catch (error) {
        throw unreachableError(
          'CI_TOKEN_UNREACHABLE',
          `Could not run buildkite-agent (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
          { hint: 'Run this inside a Buildkite job step, where buildkite-agent is on PATH.', cause: error },
        );
      }
      if (result.code !== 0 || !result.stdout.trim()) {
        const reason = result.stderr.trim().split('\n').pop()?.slice(0, 300) || `exit code ${result.code}`;
        throw refusedError('CI_TOKEN_REFUSED', `buildkite-agent could not issue an OIDC token: ${reason}`, {
          hint: "Check the pipeline's OIDC policy in Buildkite.",
        });
      }
      return result.stdout.trim();
    },
  };
}
