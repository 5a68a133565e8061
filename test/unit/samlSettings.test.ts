import { describe, expect, it } from 'vitest';
import { ProfileValues } from '../../src/config/profileValues.js';
import { resolveSamlSettings } from '../../src/flows/saml/resolveSettings.js';

const ROLE = 'arn:aws:iam::123456789012:role/dev';
const IDP = 'https://idp.example.com/app/aws/sso';
const profile = (values: Record<string, string>) => new ProfileValues({ name: 'dev', file: '/h/.aws/config', section: 'profile dev', values });

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
    expect(resolveSamlSettings({ assertionFile: '-' }, undefined)).toMatchObject({ idpUrl: undefined, assertionFile: '-' });
  });
});

describe('saml settings: errors name the flag, or the file, section and key', () => {
  const attempt = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error as { code: string; message: string };
    }
    throw new Error('expected an error');
  };

  it('no IdP: the command line or the profile', () => {
    expect(attempt(() => resolveSamlSettings({}, undefined))).toMatchObject({ code: 'IDP_URL_MISSING', message: expect.stringContaining('--idp-url') });
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
    expect(attempt(() => resolveSamlSettings({ idpUrl: IDP, ...flags }, undefined))).toMatchObject({ code, message: expect.stringContaining(message) });
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
    expect(resolveSamlSettings({ duration: '1h' }, profile({ fedlogin_idp_url: IDP, fedlogin_duration: '13h' })).durationSeconds).toBe(3600);
  });
});
