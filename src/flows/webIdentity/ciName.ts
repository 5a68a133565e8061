import { usageError } from '../../core/errors.js';

export const CI_NAMES = [
  'github',
  'gitlab',
  'circleci',
  'buildkite',
  'bitbucket',
  'azure-devops',
  'kubernetes',
] as const;
export type CiName = (typeof CI_NAMES)[number];

export function parseCiName(value: string): CiName | 'auto' {
  if (value === 'auto' || (CI_NAMES as readonly string[]).includes(value)) return value as CiName | 'auto';
  throw usageError('CI_UNKNOWN', `Unknown --ci value "${value}"; expected one of auto, ${CI_NAMES.join(', ')}.`);
}

/** Which CI is this job running on? Each system sets a documented marker variable. */
export function detectCi(env: NodeJS.ProcessEnv): CiName | undefined {
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if (env.GITLAB_CI === 'true') return 'gitlab';
  if (env.CIRCLECI === 'true') return 'circleci';
  if (env.BUILDKITE === 'true') return 'buildkite';
  if (env.BITBUCKET_BUILD_NUMBER) return 'bitbucket';
  if (env.TF_BUILD?.toLowerCase() === 'true') return 'azure-devops';
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) return 'kubernetes';
  return undefined;
}

/**
 * A default role session name that makes CloudTrail readable: the CI and its job identifiers,
 * before sanitising. Undefined when the CI does not expose them.
 */
export function ciSessionNameParts(ci: CiName, env: NodeJS.ProcessEnv): string | undefined {
  const join = (...parts: (string | undefined)[]) => (parts.every((p) => p) ? parts.join('-') : undefined);
  switch (ci) {
    case 'github':
      return join('github', env.GITHUB_RUN_ID, env.GITHUB_REPOSITORY);
    case 'gitlab':
      return join('gitlab', env.CI_JOB_ID, env.CI_PROJECT_PATH);
    case 'circleci':
      return join('circleci', env.CIRCLE_BUILD_NUM, env.CIRCLE_PROJECT_REPONAME);
    case 'buildkite':
      return join('buildkite', env.BUILDKITE_BUILD_NUMBER, env.BUILDKITE_PIPELINE_SLUG);
    case 'bitbucket':
      return join('bitbucket', env.BITBUCKET_BUILD_NUMBER, env.BITBUCKET_REPO_SLUG);
    case 'azure-devops':
      return join('azdo', env.BUILD_BUILDID, env.BUILD_REPOSITORY_NAME);
    case 'kubernetes':
      return undefined;
  }
}
