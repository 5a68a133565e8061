import { usageError } from '../../core/errors.js';
import { azureDevOps } from './ci/azureDevOps.js';
import { buildkite } from './ci/buildkite.js';
import { githubActions } from './ci/githubActions.js';
import { CI_NAMES, type CiName, detectCi } from './ciName.js';
import { fromStdin } from './fromStdin.js';
import { fromTokenEnv } from './fromTokenEnv.js';
import { fromTokenFile } from './fromTokenFile.js';
import type { TokenSource, TokenSourceDeps, TokenSourceSpec } from './tokenSource.js';

/** GitLab puts each `id_tokens:` entry in a variable the job names; these are the common names. */
export const GITLAB_TOKEN_VARIABLES = ['GITLAB_OIDC_TOKEN', 'AWS_ID_TOKEN', 'ID_TOKEN', 'OIDC_TOKEN'];

function ciSource(ci: CiName, tokenEnv: string | undefined, deps: TokenSourceDeps): TokenSource {
  switch (ci) {
    case 'github':
      return githubActions(deps);
    case 'gitlab':
      return fromTokenEnv(
        tokenEnv ? [tokenEnv] : GITLAB_TOKEN_VARIABLES,
        deps,
        'gitlab',
        'Declare the token in .gitlab-ci.yml (id_tokens: { GITLAB_OIDC_TOKEN: { aud: sts.amazonaws.com } }) and pass its variable name with --token-env if it is not GITLAB_OIDC_TOKEN.',
      );
    case 'circleci':
      return fromTokenEnv(
        tokenEnv ? [tokenEnv] : ['CIRCLE_OIDC_TOKEN_V2', 'CIRCLE_OIDC_TOKEN'],
        deps,
        'circleci',
        'CircleCI sets CIRCLE_OIDC_TOKEN_V2 only in jobs that use a context; add one to the job.',
      );
    case 'buildkite':
      return buildkite(deps);
    case 'bitbucket':
      return fromTokenEnv(
        tokenEnv ? [tokenEnv] : ['BITBUCKET_STEP_OIDC_TOKEN'],
        deps,
        'bitbucket',
        'Add `oidc: true` to the step in bitbucket-pipelines.yml.',
      );
    case 'azure-devops':
      return azureDevOps(deps);
    case 'kubernetes': {
      const path = deps.env.AWS_WEB_IDENTITY_TOKEN_FILE;
      if (!path) {
        throw usageError('CI_TOKEN_UNAVAILABLE', 'AWS_WEB_IDENTITY_TOKEN_FILE is not set in this pod.', {
          hint: 'Annotate the service account with eks.amazonaws.com/role-arn (IRSA), or pass --token-file.',
        });
      }
      return fromTokenFile({ path, origin: 'AWS_WEB_IDENTITY_TOKEN_FILE' }, deps, 'kubernetes');
    }
  }
}

export function resolveTokenSource(spec: TokenSourceSpec, deps: TokenSourceDeps): TokenSource {
  switch (spec.kind) {
    case 'file':
      return fromTokenFile(spec, deps);
    case 'env':
      return fromTokenEnv([spec.name], deps);
    case 'stdin':
      return fromStdin(deps);
    case 'ci': {
      const ci = spec.ci === 'auto' ? detectCi(deps.env) : spec.ci;
      if (!ci) {
        throw usageError(
          'CI_NOT_DETECTED',
          'Could not tell which CI system this job runs on (--ci auto found none of their marker variables).',
          {
            hint: `Name it with --ci ${CI_NAMES.join('|')}, or pass the token with --token-file, --token-env or --token-stdin.`,
          },
        );
      }
      return ciSource(ci, spec.tokenEnv, deps);
    }
  }
}
