import { describe, expect, it } from 'vitest';
import { ProfileValues } from '../../src/config/profileValues.js';
import { resolveSamlSettings } from '../../src/flows/saml/resolveSettings.js';
import { resolveWebIdentitySettings } from '../../src/flows/webIdentity/resolveSettings.js';

/**
 * The resolvers of the saml and web-identity flows (oidc's and cognito's are tested in their own
 * files): pure functions of flags, profile keys and variables, shared by the command, the profile
 * provider and doctor.
 */
const ROLE = 'arn:aws:iam::123456789012:role/dev';
const IDP = 'https://idp.example.com/app/aws/sso';
const FLAG_ROLE = 'arn:aws:iam::111111111111:role/flag';
const KEY_ROLE = 'arn:aws:iam::222222222222:role/key';
const ENV_ROLE = 'arn:aws:iam::333333333333:role/env';
const profile = (values: Record<string, string>) =>
  new ProfileValues({ name: 'dev', file: '/h/.aws/config', section: 'profile dev', values });

/** The error fn throws (it must throw). */
const attempt = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
};

describe('saml settings: flags > profile keys > defaults', () => {
  it('takes the defaults when neither says', () => {
    expect(resolveSamlSettings({ idpUrl: IDP }, undefined)).toEqual({
      idpUrl: IDP,
      assertionFile: undefined,
      roleArn: undefined,
      browser: undefined,
      acsUrlPattern: undefined,
      aliases: new Map(),
      mode: 'auto',
      durationSeconds: undefined,
      timeoutMs: 300_000,
      silentTimeoutMs: 10_000,
    });
  });

  const keys = profile({
    fedlogin_idp_url: IDP,
    fedlogin_role_arn: ROLE,
    fedlogin_browser: 'chromium',
    fedlogin_browser_mode: 'headless',
    fedlogin_acs_url_pattern: 'https://proxy.example.com/*',
    fedlogin_account_aliases: '123456789012=prod',
    fedlogin_duration: '2h',
    fedlogin_login_timeout: '1m30s',
    fedlogin_silent_timeout: '20',
  });

  it('the profile fills every setting (what credential-process uses)', () => {
    expect(resolveSamlSettings({}, keys)).toEqual({
      idpUrl: IDP,
      assertionFile: undefined,
      roleArn: ROLE,
      browser: 'chromium',
      acsUrlPattern: 'https://proxy.example.com/*',
      aliases: new Map([['123456789012', 'prod']]),
      mode: 'headless',
      durationSeconds: 7200,
      timeoutMs: 90_000,
      silentTimeoutMs: 20_000,
    });
  });

  it('every flag wins over its key', () => {
    const settings = resolveSamlSettings(
      {
        idpUrl: 'https://other.example.com/sso',
        roleArn: 'arn:aws:iam::210987654321:role/ops',
        browser: '/opt/chrome',
        headed: true,
        acsUrlPattern: 'https://p2.example.com/*',
        accountAliases: '210987654321=dev',
        duration: '1h30m',
        timeout: '5m',
        silentTimeout: '1m',
      },
      keys,
    );
    expect(settings).toMatchObject({
      idpUrl: 'https://other.example.com/sso',
      roleArn: 'arn:aws:iam::210987654321:role/ops',
      browser: '/opt/chrome',
      mode: 'headed',
      acsUrlPattern: 'https://p2.example.com/*',
      aliases: new Map([['210987654321', 'dev']]),
      durationSeconds: 5400,
      timeoutMs: 300_000,
      silentTimeoutMs: 60_000,
    });
  });

  it('--timeout 5m is accepted as in fedlogin oidc (it was refused), and 1h30m everywhere', () => {
    expect(resolveSamlSettings({ idpUrl: IDP, timeout: '5m' }, undefined).timeoutMs).toBe(300_000);
    expect(resolveSamlSettings({ idpUrl: IDP, duration: '1h30m' }, undefined).durationSeconds).toBe(5400);
  });

  it('needs no IdP with an assertion file', () => {
    expect(resolveSamlSettings({ assertionFile: '-' }, undefined)).toMatchObject({
      idpUrl: undefined,
      assertionFile: '-',
    });
  });
});

describe('saml settings: errors name the flag, or the file, section and key', () => {
  it('no IdP: the command line or the profile', () => {
    expect(attempt(() => resolveSamlSettings({}, undefined))).toMatchObject({
      code: 'IDP_URL_MISSING',
      message: expect.stringContaining('--idp-url'),
    });
    expect(attempt(() => resolveSamlSettings({}, profile({})))).toMatchObject({
      code: 'IDP_URL_MISSING',
      message: expect.stringContaining('/h/.aws/config [profile dev]: pass --idp-url or set fedlogin_idp_url'),
    });
  });

  it.each([
    [{ timeout: '2s' }, 'TIMEOUT_INVALID', '--timeout must be between 5 seconds (5s) and 3600 seconds (1h)'],
    [{ silentTimeout: '3m' }, 'TIMEOUT_INVALID', '--silent-timeout must be between 1 second (1s) and 120 seconds (2m)'],
    [{ duration: '10m' }, 'DURATION_INVALID', '--duration must be between 900 seconds (15m)'],
    [{ roleArn: 'dev' }, 'ROLE_ARN_INVALID', '--role-arn is not an IAM role ARN'],
    [{ accountAliases: 'prod' }, 'ACCOUNT_ALIASES_INVALID', '--account-aliases'],
    [{ headed: true, headless: true }, 'OPTION_CONFLICT', '--headed or --headless'],
    [{ acsUrlPattern: 'proxy.example.com' }, 'ACS_PATTERN_INVALID', 'must start with https://'],
  ])('flags %j -> %s', (flags, code, message) => {
    expect(attempt(() => resolveSamlSettings({ idpUrl: IDP, ...flags }, undefined))).toMatchObject({
      code,
      message: expect.stringContaining(message),
    });
  });

  it.each([
    ['fedlogin_login_timeout', '2 hours'],
    ['fedlogin_silent_timeout', '0'],
    ['fedlogin_duration', '13h'],
    ['fedlogin_role_arn', 'dev'],
    ['fedlogin_browser_mode', 'sometimes'],
    ['fedlogin_account_aliases', 'prod'],
    ['fedlogin_acs_url_pattern', 'proxy.example.com'],
  ])('%s = %s', (key, value) => {
    expect(attempt(() => resolveSamlSettings({}, profile({ fedlogin_idp_url: IDP, [key]: value })))).toMatchObject({
      code: 'PROFILE_INVALID',
      message: expect.stringContaining(`/h/.aws/config [profile dev] ${key}:`),
    });
  });

  it('a bad key is no error when its flag is given', () => {
    expect(
      resolveSamlSettings({ duration: '1h' }, profile({ fedlogin_idp_url: IDP, fedlogin_duration: '13h' }))
        .durationSeconds,
    ).toBe(3600);
  });
});

describe("web-identity settings: flags > profile keys > the SDKs' variables > defaults", () => {
  const env = {
    AWS_ROLE_ARN: ENV_ROLE,
    AWS_ROLE_SESSION_NAME: 'env-session',
    AWS_WEB_IDENTITY_TOKEN_FILE: '/env/token',
  };
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
      token: { kind: 'file', path: '/env/token', origin: 'AWS_WEB_IDENTITY_TOKEN_FILE' },
      audience: undefined,
      roleSessionName: 'env-session',
      durationSeconds: undefined,
      chainRoleArns: [],
    });
  });

  it('the profile wins over the variables (what credential-process uses)', () => {
    expect(resolveWebIdentitySettings({}, keys, env)).toEqual({
      roleArn: KEY_ROLE,
      token: { kind: 'file', path: '/key/token', origin: 'fedlogin_token_file in profile dev' },
      audience: 'key-aud',
      roleSessionName: 'key-session',
      durationSeconds: 7200,
      chainRoleArns: [FLAG_ROLE, ENV_ROLE],
    });
  });

  it('the flags win over both', () => {
    const settings = resolveWebIdentitySettings(
      {
        roleArn: FLAG_ROLE,
        ci: 'gitlab',
        tokenEnv: 'GITLAB_OIDC_TOKEN',
        audience: 'flag-aud',
        roleSessionName: 'flag-session',
        duration: '1h30m',
        chainRoleArn: [KEY_ROLE],
      },
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
    [{ tokenFile: '/f' }, {}, { kind: 'file', path: '/f', origin: '--token-file' }],
    [{ tokenEnv: 'TOKEN' }, {}, { kind: 'env', name: 'TOKEN' }],
    [{ tokenStdin: true }, {}, { kind: 'stdin' }],
    [{ ci: 'auto' }, {}, { kind: 'ci', ci: 'auto', tokenEnv: undefined }],
    [{}, { fedlogin_ci: 'github' }, { kind: 'ci', ci: 'github', tokenEnv: undefined }],
    [{}, { fedlogin_token_env: 'TOKEN' }, { kind: 'env', name: 'TOKEN' }],
    [
      {},
      { web_identity_token_file: '/sdk/token' },
      { kind: 'file', path: '/sdk/token', origin: 'web_identity_token_file in profile dev' },
    ],
    [
      {},
      { fedlogin_token_file: '/key/token' },
      { kind: 'file', path: '/key/token', origin: 'fedlogin_token_file in profile dev' },
    ],
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
      message: expect.stringContaining('/h/.aws/config [profile dev]'),
    });
  });

  it('no token source, or more than one', () => {
    expect(attempt(() => resolveWebIdentitySettings({ roleArn: FLAG_ROLE }, undefined, {}))).toMatchObject({
      code: 'TOKEN_SOURCE_MISSING',
    });
    expect(
      attempt(() =>
        resolveWebIdentitySettings({ roleArn: FLAG_ROLE, tokenFile: '/t', tokenStdin: true }, undefined, {}),
      ),
    ).toMatchObject({ code: 'TOKEN_SOURCE_CONFLICT' });
    expect(
      attempt(() => resolveWebIdentitySettings({ roleArn: FLAG_ROLE, tokenFile: '/t', tokenEnv: 'T' }, undefined, {})),
    ).toMatchObject({ code: 'TOKEN_SOURCE_CONFLICT' });
    // a flag conflict is reported before anything else is missing
    expect(attempt(() => resolveWebIdentitySettings({ tokenFile: '/t', ci: 'auto' }, undefined, {}))).toMatchObject({
      code: 'TOKEN_SOURCE_CONFLICT',
    });
    // --token-env with --ci names the variable the CI puts the token in: one source
    expect(
      resolveWebIdentitySettings(
        { roleArn: FLAG_ROLE, ci: 'circleci', tokenEnv: 'CIRCLE_OIDC_TOKEN_V2' },
        undefined,
        {},
      ).token,
    ).toMatchObject({ kind: 'ci' });
  });

  it.each([
    [{ roleArn: 'ci' }, 'ROLE_ARN_INVALID', '--role-arn'],
    [{ chainRoleArn: ['nope'] }, 'ROLE_ARN_INVALID', '--chain-role-arn'],
    [{ duration: '1d' }, 'DURATION_INVALID', '--duration must be between 900 seconds (15m) and 43200 seconds (12h)'],
    [{ tokenFile: undefined, ci: 'jenkins' }, 'CI_UNKNOWN', '"jenkins"'],
  ])('flags %j -> %s', (flags, code, message) => {
    expect(
      attempt(() => resolveWebIdentitySettings({ roleArn: FLAG_ROLE, tokenFile: '/t', ...flags }, undefined, {})),
    ).toMatchObject({ code, message: expect.stringContaining(message) });
  });

  it.each([
    ['fedlogin_role_arn', 'ci'],
    ['fedlogin_chain_role_arn', 'nope'],
    ['fedlogin_duration', '10m'],
    ['fedlogin_ci', 'jenkins'],
  ])('%s = %s names the file, section and key', (key, value) => {
    expect(
      attempt(() =>
        resolveWebIdentitySettings(
          {},
          profile({ fedlogin_role_arn: KEY_ROLE, fedlogin_token_file: '/t', [key]: value }),
          {},
        ),
      ),
    ).toMatchObject({
      code: 'PROFILE_INVALID',
      message: expect.stringContaining(`/h/.aws/config [profile dev] ${key}:`),
    });
  });

  it('AWS_ROLE_ARN that is no role ARN names the variable', () => {
    expect(
      attempt(() => resolveWebIdentitySettings({ tokenFile: '/t' }, undefined, { AWS_ROLE_ARN: 'x' })).message,
    ).toContain('AWS_ROLE_ARN');
  });
});
