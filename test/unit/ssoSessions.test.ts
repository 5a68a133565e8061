import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { translateSsoError } from '../../src/aws/ssoErrors.js';
import { profileCacheKey } from '../../src/config/profileCacheKey.js';
import { loadProfile, type ProfileSettings } from '../../src/config/profileSettings.js';
import {
  caBundleForSession,
  isSsoProfile,
  profilesOfSession,
  ssoTokenStatus,
  usesSession,
} from '../../src/flows/sso/sessions.js';
import type { SsoSession } from '../../src/flows/sso/settings.js';

/** Which profiles belong to which IAM Identity Center session, the session in the cache key, the token's status. */

const profile = (
  name: string,
  values: Record<string, string>,
  ssoSession?: Record<string, string>,
): ProfileSettings => ({
  name,
  file: '/h/.aws/config',
  section: `profile ${name}`,
  values,
  ...(ssoSession ? { ssoSession } : {}),
});

const session = (over: Partial<SsoSession> = {}): SsoSession => ({
  name: 'corp',
  startUrl: 'https://corp.awsapps.com/start',
  region: 'eu-west-1',
  scopes: ['sso:account:access'],
  cacheKey: 'x',
  label: 'sso-session corp',
  signInCommand: 'fedlogin sso login --sso-session corp',
  ...over,
});

const role = { sso_account_id: '111111111111', sso_role_name: 'ReadOnly' };

describe('the profiles of a session', () => {
  const all = [
    profile('ro', { sso_session: 'corp', ...role }),
    profile('other', { sso_session: 'other', ...role }),
    profile('legacy', { sso_start_url: 'https://corp.awsapps.com/start', sso_region: 'eu-west-1', ...role }),
    profile('app', { role_arn: 'arn:aws:iam::222222222222:role/app', source_profile: 'ro' }),
    profile('deeper', { role_arn: 'arn:aws:iam::222222222222:role/deeper', source_profile: 'app' }),
    profile('saml', { fedlogin_flow: 'saml', fedlogin_idp_url: 'https://idp/' }),
    profile('half', { sso_session: 'corp' }),
    profile('bad', { fedlogin_flow: 'nope', sso_session: 'corp', ...role }),
  ];

  it('isSsoProfile: the AWS CLI shape or fedlogin_flow = sso; a bad fedlogin_flow is not one, without throwing', () => {
    expect(all.filter(isSsoProfile).map((p) => p.name)).toEqual(['ro', 'other', 'legacy']);
    expect(isSsoProfile(profile('x', { fedlogin_flow: 'sso' }))).toBe(true);
  });

  it('a named session: profiles naming it, and those chained off them at any depth', () => {
    expect(profilesOfSession(all, session()).map((p) => p.name)).toEqual(['ro', 'app', 'deeper']);
  });

  it('a legacy session (no name): profiles with its start URL and no sso_session', () => {
    const legacy = session({ name: undefined, label: 'profile legacy' });
    expect(profilesOfSession(all, legacy).map((p) => p.name)).toEqual(['legacy']);
    expect(usesSession(profile('x', { sso_session: 'corp', sso_start_url: legacy.startUrl }), legacy)).toBe(false);
  });

  it("caBundleForSession: the profile in effect, else the session's first profile naming one, else [default]'s", () => {
    const withBundle = (name: string, bundle: string) => profile(name, { ca_bundle: bundle });
    const members = [profile('a', {}), withBundle('b', '/b.pem'), withBundle('c', '/c.pem')];
    expect(caBundleForSession(members, withBundle('p', '/p.pem'), withBundle('default', '/d.pem'))).toBe('/p.pem');
    expect(caBundleForSession(members, profile('p', {}), withBundle('default', '/d.pem'))).toBe('/b.pem');
    expect(caBundleForSession([], undefined, withBundle('default', '/d.pem'))).toBe('/d.pem');
    expect(caBundleForSession([], undefined, undefined)).toBeUndefined();
  });
});

describe("the cache key holds what identifies an SSO profile's session", () => {
  const env = {};
  const sessionValues = { sso_start_url: 'https://corp.awsapps.com/start', sso_region: 'eu-west-1' };
  const ro = (s: Record<string, string> | undefined) => profile('ro', { sso_session: 'corp', ...role }, s);

  it('another start URL or region of the [sso-session] is another key; other keys of the section are not', () => {
    const base = profileCacheKey(ro(sessionValues), env);
    expect(profileCacheKey(ro({ ...sessionValues, sso_start_url: 'https://new.awsapps.com/start' }), env)).not.toBe(
      base,
    );
    expect(profileCacheKey(ro({ ...sessionValues, sso_region: 'us-east-1' }), env)).not.toBe(base);
    expect(profileCacheKey(ro({ ...sessionValues, sso_registration_scopes: 'sso:account:access' }), env)).toBe(base);
    expect(profileCacheKey(ro({ ...sessionValues, sso_start_url: ` ${sessionValues.sso_start_url} ` }), env)).toBe(
      base,
    );
  });

  it('a profile without a session keeps the key it had (no new setting is hashed)', () => {
    const saml = profile('s', { fedlogin_flow: 'saml', fedlogin_idp_url: 'https://idp/' });
    expect(profileCacheKey(saml, env)).toBe(profileCacheKey({ ...saml, ssoSession: undefined }, env));
  });

  describe('loadProfile reads the [sso-session] with the profile', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'fedlogin-ssosessions-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('from the same file, keys lowercased as the profile; none when the section is missing', () => {
      const file = path.join(dir, 'config');
      writeFileSync(
        file,
        '[profile ro]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = R\n[profile lost]\nsso_session = gone\n[sso-session corp]\nSSO_START_URL = https://corp.awsapps.com/start\nsso_region = eu-west-1\n',
      );
      const env = { AWS_CONFIG_FILE: file };
      expect(loadProfile(env, 'ro')?.ssoSession).toEqual({
        sso_start_url: 'https://corp.awsapps.com/start',
        sso_region: 'eu-west-1',
      });
      expect(loadProfile(env, 'lost')?.ssoSession).toBeUndefined();
    });
  });
});

describe("ssoTokenStatus: the session's token in the shared cache, no secret", () => {
  let home: string;
  const now = Date.parse('2026-06-01T12:00:00Z');
  const s = session({ cacheKey: 'abc' });
  const write = (entry: Record<string, string>) => {
    mkdirSync(path.join(home, '.aws', 'sso', 'cache'), { recursive: true });
    writeFileSync(path.join(home, '.aws', 'sso', 'cache', 'abc.json'), JSON.stringify(entry));
  };
  const token = (expiresAt: string, more: Record<string, string> = {}) => ({
    startUrl: s.startUrl,
    region: 'eu-west-1',
    accessToken: 'access-EXAMPLE',
    expiresAt,
    ...more,
  });
  const renewable = {
    refreshToken: 'refresh-EXAMPLE',
    clientId: 'client',
    clientSecret: 'secret-EXAMPLE',
    registrationExpiresAt: '2026-09-01T00:00:00Z',
  };
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'fedlogin-ssotoken-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('states by time left (the 15-minute renewal window), renewable with a refresh token and a live registration', () => {
    const env = { HOME: home };
    expect(ssoTokenStatus(env, s, now)).toMatchObject({ state: 'none', expiration: null, renewable: false });
    write(token('2026-06-01T13:00:00Z', renewable));
    expect(ssoTokenStatus(env, s, now)).toEqual({
      file: path.join(home, '.aws', 'sso', 'cache', 'abc.json'),
      state: 'valid',
      expiration: '2026-06-01T13:00:00.000Z',
      renewable: true,
    });
    write(token('2026-06-01T12:10:00Z', renewable));
    expect(ssoTokenStatus(env, s, now).state).toBe('refresh-due');
    write(token('2026-06-01T11:00:00Z', renewable));
    expect(ssoTokenStatus(env, s, now)).toMatchObject({ state: 'expired', renewable: true });
    write(token('2026-06-01T11:00:00Z', { ...renewable, registrationExpiresAt: '2026-05-01T00:00:00Z' }));
    expect(ssoTokenStatus(env, s, now).renewable).toBe(false);
    write(token('2026-06-01T13:00:00Z'));
    expect(ssoTokenStatus(env, s, now)).toMatchObject({ state: 'valid', renewable: false });
    write(token('2026-06-01T13:00:00Z', { ...renewable, startUrl: 'https://other.awsapps.com/start' }));
    expect(ssoTokenStatus(env, s, now)).toMatchObject({ state: 'none', renewable: false });
  });
});

describe('translateSsoError: a certificate between fedlogin and IAM Identity Center', () => {
  it('is TLS_CERTIFICATE_REJECTED naming the host and the CA bundle setting, not "try again"', () => {
    const error = translateSsoError(
      Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
      {
        action: 'RegisterClient',
        session: 'sso-session corp',
        signInCommand: 'fedlogin sso login --sso-session corp',
        endpoint: 'https://oidc.eu-west-1.amazonaws.com',
      },
    );
    expect(error.code).toBe('TLS_CERTIFICATE_REJECTED');
    expect(error.message).toContain('oidc.eu-west-1.amazonaws.com');
    expect(error.hint).toContain('AWS_CA_BUNDLE');
  });
});
