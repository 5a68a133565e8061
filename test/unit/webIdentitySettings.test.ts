import { describe, expect, it } from 'vitest';
import { ProfileValues } from '../../src/config/profileValues.js';
import { resolveWebIdentitySettings } from '../../src/flows/webIdentity/resolveSettings.js';

const FLAG_ROLE = 'arn:aws:iam::111111111111:role/flag';
const KEY_ROLE = 'arn:aws:iam::222222222222:role/key';
const ENV_ROLE = 'arn:aws:iam::333333333333:role/env';
const profile = (values: Record<string, string>) => new ProfileValues({ name: 'ci', file: '/h/.aws/config', section: 'profile ci', values });

const attempt = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
};

describe('web-identity settings: flags > profile keys > the SDKs\' variables > defaults', () => {
  const env = { AWS_ROLE_ARN: ENV_ROLE, AWS_ROLE_SESSION_NAME: 'env-session', AWS_WEB_IDENTITY_TOKEN_FILE: '/env/token' };
  const keys = profile({
    fedlogin_role_arn: KEY_ROLE,
    fedlogin_token_file: '/key/token',
    fedlogin_audience: 'key-aud',
    fedlogin_role_session_name: 'key-session',
    fedlogin_duration: '2h',
    fedlogin_chain_role_arn: `${FLAG_ROLE}, ${ENV_ROLE}`,
  });

  it('the variables alone (an EKS pod)', () => {
    expect(resolveWebIdentitySettings({}, undefined, env)).toEqual({
      roleArn: ENV_ROLE,
      token: { kind: 'file', path: '/env/token' },
      audience: undefined,
      roleSessionName: 'env-session',
      durationSeconds: undefined,
      chainRoleArns: [],
    });
  });

  it('the profile wins over the variables (what credential-process uses)', () => {
    expect(resolveWebIdentitySettings({}, keys, env)).toEqual({
      roleArn: KEY_ROLE,
      token: { kind: 'file', path: '/key/token' },
      audience: 'key-aud',
      roleSessionName: 'key-session',
      durationSeconds: 7200,
      chainRoleArns: [FLAG_ROLE, ENV_ROLE],
    });
  });

  it('the flags win over both', () => {
    const settings = resolveWebIdentitySettings(
      { roleArn: FLAG_ROLE, ci: 'gitlab', tokenEnv: 'GITLAB_OIDC_TOKEN', audience: 'flag-aud', roleSessionName: 'flag-session', duration: '1h30m', chainRoleArn: [KEY_ROLE] },
      keys,
      env,
    );
    expect(settings).toEqual({
      roleArn: FLAG_ROLE,
      token: { kind: 'ci', ci: 'gitlab', tokenEnv: 'GITLAB_OIDC_TOKEN' },
      audience: 'flag-aud',
      roleSessionName: 'flag-session',
      durationSeconds: 5400,
      chainRoleArns: [KEY_ROLE],
    });
  });

  it.each([
    [{ tokenFile: '/f' }, {}, { kind: 'file', path: '/f' }],
    [{ tokenEnv: 'TOKEN' }, {}, { kind: 'env', name: 'TOKEN' }],
    [{ tokenStdin: true }, {}, { kind: 'stdin' }],
    [{ ci: 'auto' }, {}, { kind: 'ci', ci: 'auto', tokenEnv: undefined }],
    [{}, { fedlogin_ci: 'github' }, { kind: 'ci', ci: 'github', tokenEnv: undefined }],
    [{}, { fedlogin_token_env: 'TOKEN' }, { kind: 'env', name: 'TOKEN' }],
    [{}, { web_identity_token_file: '/sdk/token' }, { kind: 'file', path: '/sdk/token' }],
  ])('token source: flags %j, keys %j', (flags, values, token) => {
    expect(resolveWebIdentitySettings({ roleArn: FLAG_ROLE, ...flags }, profile(values), {}).token).toEqual(token);
  });
});

describe('web-identity settings: errors', () => {
  it('no role: says every place a role may come from', () => {
    expect(attempt(() => resolveWebIdentitySettings({ tokenFile: '/t' }, undefined, {}))).toMatchObject({
      code: 'ROLE_ARN_MISSING',
      message: 'No role to assume in the command line: pass --role-arn, set fedlogin_role_arn, or set AWS_ROLE_ARN.',
    });
    expect(attempt(() => resolveWebIdentitySettings({}, profile({ fedlogin_token_file: '/t' }), {}))).toMatchObject({
      code: 'ROLE_ARN_MISSING',
      message: expect.stringContaining('/h/.aws/config [profile ci]'),
    });
  });

  it('no token source, or more than one', () => {
    expect(attempt(() => resolveWebIdentitySettings({ roleArn: FLAG_ROLE }, undefined, {}))).toMatchObject({ code: 'TOKEN_SOURCE_MISSING' });
    expect(attempt(() => resolveWebIdentitySettings({ roleArn: FLAG_ROLE, tokenFile: '/t', tokenStdin: true }, undefined, {}))).toMatchObject({ code: 'TOKEN_SOURCE_CONFLICT' });
    expect(attempt(() => resolveWebIdentitySettings({ roleArn: FLAG_ROLE, tokenFile: '/t', tokenEnv: 'T' }, undefined, {}))).toMatchObject({ code: 'TOKEN_SOURCE_CONFLICT' });
    // --token-env with --ci names the variable the CI puts the token in: one source
    expect(resolveWebIdentitySettings({ roleArn: FLAG_ROLE, ci: 'circleci', tokenEnv: 'CIRCLE_OIDC_TOKEN_V2' }, undefined, {}).token).toMatchObject({ kind: 'ci' });
  });

  it.each([
    [{ roleArn: 'ci' }, 'ROLE_ARN_INVALID', '--role-arn'],
    [{ chainRoleArn: ['nope'] }, 'ROLE_ARN_INVALID', '--chain-role-arn'],
    [{ duration: '1d' }, 'DURATION_INVALID', '--duration must be between 900 seconds (15m) and 43200 seconds (12h)'],
    [{ tokenFile: undefined, ci: 'jenkins' }, 'CI_UNKNOWN', '"jenkins"'],
  ])('flags %j -> %s', (flags, code, message) => {
    expect(attempt(() => resolveWebIdentitySettings({ roleArn: FLAG_ROLE, tokenFile: '/t', ...flags }, undefined, {}))).toMatchObject({ code, message: expect.stringContaining(message) });
  });

  it.each([
    ['fedlogin_role_arn', 'ci'],
    ['fedlogin_chain_role_arn', 'nope'],
    ['fedlogin_duration', '10m'],
    ['fedlogin_ci', 'jenkins'],
  ])('%s = %s names the file, section and key', (key, value) => {
    expect(attempt(() => resolveWebIdentitySettings({}, profile({ fedlogin_role_arn: KEY_ROLE, fedlogin_token_file: '/t', [key]: value }), {}))).toMatchObject({
      code: 'PROFILE_INVALID',
      message: expect.stringContaining(`/h/.aws/config [profile ci] ${key}:`),
    });
  });

  it('AWS_ROLE_ARN that is no role ARN names the variable', () => {
    expect(attempt(() => resolveWebIdentitySettings({ tokenFile: '/t' }, undefined, { AWS_ROLE_ARN: 'x' })).message).toContain('AWS_ROLE_ARN');
  });
});
