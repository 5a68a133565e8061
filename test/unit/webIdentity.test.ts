import { describe, expect, it } from 'vitest';
import { ciSessionNameParts, detectCi, parseCiName } from '../../src/flows/webIdentity/ciName.js';

describe('CI detection', () => {
  it.each([
    [{ GITHUB_ACTIONS: 'true' }, 'github'],
    [{ GITLAB_CI: 'true' }, 'gitlab'],
    [{ CIRCLECI: 'true' }, 'circleci'],
    [{ BUILDKITE: 'true' }, 'buildkite'],
    [{ BITBUCKET_BUILD_NUMBER: '7' }, 'bitbucket'],
    [{ TF_BUILD: 'True' }, 'azure-devops'],
    [{ AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token' }, 'kubernetes'],
    [{ CI: 'true' }, undefined],
    [{}, undefined],
  ])('%j -> %s', (env, ci) => {
    expect(detectCi(env)).toBe(ci);
  });

  it('derives session names from CI metadata', () => {
    expect(ciSessionNameParts('github', { GITHUB_RUN_ID: '42', GITHUB_REPOSITORY: 'o/r' })).toBe('github-42-o/r');
    expect(ciSessionNameParts('github', { GITHUB_RUN_ID: '42' })).toBeUndefined();
    expect(ciSessionNameParts('kubernetes', {})).toBeUndefined();
  });

  it('validates --ci', () => {
    expect(parseCiName('auto')).toBe('auto');
    expect(() => parseCiName('jenkins')).toThrow(/auto, github, gitlab/);
  });
});
