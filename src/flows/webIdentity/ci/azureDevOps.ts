import { usageError } from '../../../core/errors.js';
import type { TokenSource, TokenSourceDeps } from '../tokenSource.js';
import { fetchTokenJson } from './fetchTokenJson.js';

/**
 * Azure DevOps Pipelines: POST $SYSTEM_OIDCREQUESTURI?api-version=7.1-preview.1 with
 * $SYSTEM_ACCESSTOKEN as a bearer; the answer is {"oidcToken": JWT}. The access token must be
 * mapped into the step's environment (env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)).
 * The audience is fixed by Azure DevOps, not requested.
 */
export function azureDevOps(deps: TokenSourceDeps): TokenSource {
  return {
    description: "Azure DevOps' OIDC token endpoint",
    ci: 'azure-devops',
    audienceIsRequested: false,
    async getToken() {
      const uri = deps.env.SYSTEM_OIDCREQUESTURI;
      const bearer = deps.env.SYSTEM_ACCESSTOKEN;
      if (!uri || !bearer) {
        throw usageError(
          'CI_TOKEN_UNAVAILABLE',
          `Azure DevOps did not provide ${!uri ? 'SYSTEM_OIDCREQUESTURI' : 'SYSTEM_ACCESSTOKEN'} to this step.`,
          { hint: 'Map the access token into the step: `env: { SYSTEM_ACCESSTOKEN: $(System.AccessToken) }`.' },
        );
      }
      const separator = uri.includes('?') ? '&' : '?';
      const connection = deps.env.FEDLOGIN_AZURE_SERVICE_CONNECTION_ID;
      return fetchTokenJson(
        {
          service: "Azure DevOps' OIDC token endpoint",
          url: `${uri}${separator}api-version=7.1-preview.1${connection ? `&serviceConnectionId=${encodeURIComponent(connection)}` : ''}`,
          method: 'POST',
          bearer,
          field: 'oidcToken',
          refusedHint:
            'Check that SYSTEM_ACCESSTOKEN is $(System.AccessToken) of this job and that the pipeline may use OIDC.',
        },
        deps,
      );
    },
  };
}
