import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/parseOptions.js';
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

describe('--duration', () => {
  it.each([
    ['900', 900],
    ['15m', 900],
    ['1h', 3600],
    ['12h', 43200],
    ['3600s', 3600],
  ])('%s -> %d', (value, seconds) => expect(parseDuration(value)).toBe(seconds));

  it.each(['899', '13h', 'abc', '-1', '1.5h'])('refuses %s', (value) => expect(() => parseDuration(value)).toThrow(/between 900/));
});
