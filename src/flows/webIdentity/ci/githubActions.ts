import { usageError } from '../../../core/errors.js';
import type { TokenSource, TokenSourceDeps } from '../tokenSource.js';
import { fetchTokenJson } from './fetchTokenJson.js';

/**
 * GitHub Actions: GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=AUD with the request token as a
 * bearer; the answer is {"value": JWT}. The variables exist only when the job has
 * `permissions: id-token: write`.
 */
export function githubActions(deps: TokenSourceDeps): TokenSource {
  return {
    description: "GitHub Actions' OIDC token endpoint",
    ci: 'github',
    audienceIsRequested: true,
    async getToken(audience) {
      const url = deps.env.ACTIONS_ID_TOKEN_REQUEST_URL;
      const bearer = deps.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
      if (!url || !bearer) {
        throw usageError(
          'CI_TOKEN_UNAVAILABLE',
          'GitHub Actions did not provide an OIDC token request URL (ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set).',
          {
            hint: 'Add `permissions: id-token: write` to the workflow or job (and `contents: read` if it checks out code).',
          },
        );
      }
      const separator = url.includes('?') ? '&' : '?';
      return fetchTokenJson(
        {
          service: "GitHub Actions' OIDC token endpoint",
          url: `${url}${separator}audience=${encodeURIComponent(audience)}`,
          method: 'GET',
          bearer,
          field: 'value',
          refusedHint:
            'Check that the job has `permissions: id-token: write`; the request token is only valid inside its own job.',
        },
        deps,
      );
    },
  };
}
