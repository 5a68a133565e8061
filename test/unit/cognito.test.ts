import { describe, expect, it } from 'vitest';
import type { CognitoApi } from '../../src/aws/cognitoClient.js';
import { cognitoEndpointFor } from '../../src/aws/cognitoClient.js';
import { type CognitoCallContext, translateCognitoError } from '../../src/aws/cognitoErrors.js';
import { ProfileValues } from '../../src/config/profileValues.js';
import { FedloginError, usageError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { identityIdKey } from '../../src/flows/cognito/identityIdCache.js';
import { parseIdentityPoolId } from '../../src/flows/cognito/identityPoolId.js';
import { loginWithCognito } from '../../src/flows/cognito/login.js';
import { normalizeLoginKey, parseLoginSpec } from '../../src/flows/cognito/loginSpec.js';
import { issuerLoginKey, withOidcLogin } from '../../src/flows/cognito/oidcLogin.js';
import { resolveCognitoSettings } from '../../src/flows/cognito/resolveSettings.js';
import type { SecretStore } from '../../src/store/secretStore.js';
import { memorySecretStore, noPersonOidcDeps } from '../support/harness/builders.js';

const POOL = 'eu-west-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f';
const ROLE = 'arn:aws:iam::123456789012:role/app';

/** A cognito profile `app` in /h/.aws/config with these values. */
const profile = (values: Record<string, string>) =>
  new ProfileValues({
    name: 'app',
    file: '/h/.aws/config',
    section: 'profile app',
    values: { fedlogin_flow: 'cognito', ...values },
  });

describe('identity pool IDs', () => {
  it('reads the region from REGION:UUID', () => {
    expect(parseIdentityPoolId(` ${POOL} `)).toEqual({ id: POOL, region: 'eu-west-1' });
    expect(parseIdentityPoolId('cn-north-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f').region).toBe('cn-north-1');
  });

  it.each([
    'us-east-1_AbC123',
    '0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f',
    'us-east-1:not-a-uuid',
    'east:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f',
  ])('refuses %s as a usage error', (value) => {
    expect(() => parseIdentityPoolId(value)).toThrow(
      expect.objectContaining({ code: 'IDENTITY_POOL_ID_INVALID', kind: 'usage' }),
    );
  });
});

describe('--login KEY=@FILE', () => {
  it('parses provider keys and SAML provider ARNs', () => {
    expect(parseLoginSpec('cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC=@/tmp/t')).toEqual({
      key: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC',
      file: '/tmp/t',
    });
    expect(parseLoginSpec('arn:aws:iam::123456789012:saml-provider/Okta=@saml.b64').key).toBe(
      'arn:aws:iam::123456789012:saml-provider/Okta',
    );
  });

  it('drops a pasted scheme and trailing slash', () => {
    expect(normalizeLoginKey('https://accounts.google.com/', '--login')).toBe('accounts.google.com');
  });

  it('refuses an inline token without echoing it', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    try {
      parseLoginSpec(`accounts.google.com=${token}`);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'COGNITO_LOGIN_INVALID', kind: 'usage' });
      expect((error as Error).message).not.toContain(token);
    }
  });

  it.each(['=@file', 'accounts.google.com', 'accounts.google.com=@', 'not a key=@file'])('refuses %s', (value) => {
    expect(() => parseLoginSpec(value)).toThrow(FedloginError);
  });
});

describe('settings', () => {
  it('reads a profile: comma-separated logins, basic flow', () => {
    const settings = resolveCognitoSettings(
      {},
      profile({
        fedlogin_identity_pool_id: POOL,
        fedlogin_login: 'accounts.google.com=@/a, www.amazon.com=@/b',
        fedlogin_basic: 'true',
        fedlogin_role_arn: ROLE,
      }),
    );
    expect(settings.logins.map((l) => l.key)).toEqual(['accounts.google.com', 'www.amazon.com']);
    expect(settings.basic?.roleArn).toBe(ROLE);
    expect(settings.guest).toBe(false);
  });

  it("flags replace the profile's login as a whole", () => {
    const settings = resolveCognitoSettings(
      { guest: true },
      profile({ fedlogin_identity_pool_id: POOL, fedlogin_login: 'accounts.google.com=@/a' }),
    );
    expect(settings).toMatchObject({ guest: true, logins: [] });
  });

  it.each([
    [{ identityPoolId: POOL }, 'COGNITO_LOGIN_MISSING'],
    [{ identityPoolId: POOL, guest: true, login: ['accounts.google.com=@/a'] }, 'COGNITO_LOGIN_CONFLICT'],
    [{ identityPoolId: POOL, guest: true, basic: true }, 'ROLE_ARN_MISSING'],
    [{ identityPoolId: POOL, guest: true, roleArn: ROLE }, 'COGNITO_FLOW_CONFLICT'],
    [{ identityPoolId: POOL, guest: true, basic: true, roleArn: ROLE, customRoleArn: ROLE }, 'COGNITO_FLOW_CONFLICT'],
    [{ identityPoolId: POOL, guest: true, duration: '15m' }, 'COGNITO_FLOW_CONFLICT'],
    [
      { identityPoolId: POOL, guest: true, customRoleArn: 'arn:aws-cn:iam::123456789012:role/x' },
      'COGNITO_PARTITION_MISMATCH',
    ],
    [{ guest: true }, 'IDENTITY_POOL_ID_MISSING'],
  ])('%j is a usage error %s', (flags, code) => {
    expect(() => resolveCognitoSettings(flags, undefined)).toThrow(expect.objectContaining({ code, kind: 'usage' }));
  });

  it('names the file, section and key of a bad profile value', () => {
    expect(() => resolveCognitoSettings({}, profile({ fedlogin_identity_pool_id: 'nope' }))).toThrow(
      '/h/.aws/config [profile app] fedlogin_identity_pool_id',
    );
  });
});

describe('endpoints and the IdentityId key', () => {
  it("honours AWS_ENDPOINT_URL_COGNITO_IDENTITY, then AWS_ENDPOINT_URL, else the partition's regional host", () => {
    expect(
      cognitoEndpointFor('us-east-1', { AWS_ENDPOINT_URL_COGNITO_IDENTITY: 'http://a', AWS_ENDPOINT_URL: 'http://b' }),
    ).toBe('http://a');
    expect(cognitoEndpointFor('us-east-1', { AWS_ENDPOINT_URL: 'http://b' })).toBe('http://b');
    expect(cognitoEndpointFor('cn-north-1', {})).toBe('https://cognito-identity.cn-north-1.amazonaws.com.cn');
  });

  it('is stable over login order and differs per pool, user and endpoint', () => {
    const key = identityIdKey('e', POOL, ['a|s1', 'b|s2']);
    expect(identityIdKey('e', POOL, ['b|s2', 'a|s1'])).toBe(key);
    expect(identityIdKey('e', POOL, ['a|s9', 'b|s2'])).not.toBe(key);
    expect(identityIdKey('f', POOL, ['a|s1', 'b|s2'])).not.toBe(key);
    expect(key).toMatch(/^cognito-identity-v1-[0-9a-f]{32}$/);
  });
});

describe('Cognito error translation', () => {
  const context = (loginKeys: string[]): CognitoCallContext => ({
    action: 'GetId',
    identityPoolId: POOL,
    loginKeys,
    loginDescriptions: loginKeys.map((k) => `${k}: sub=u`),
  });
  const sdkError = (name: string, status: number, message = 'msg') =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

  it.each([
    ['NotAuthorizedException', [], 'COGNITO_GUEST_DISABLED', 'refused'],
    ['NotAuthorizedException', ['accounts.google.com'], 'COGNITO_NOT_AUTHORIZED', 'refused'],
    ['ResourceNotFoundException', [], 'COGNITO_POOL_NOT_FOUND', 'usage'],
    ['InvalidIdentityPoolConfigurationException', [], 'COGNITO_POOL_MISCONFIGURED', 'refused'],
    ['TooManyRequestsException', [], 'COGNITO_THROTTLED', 'unreachable'],
    ['InternalErrorException', [], 'COGNITO_UNAVAILABLE', 'unreachable'],
  ])('%s (logins %j) -> %s', (name, keys, code, kind) => {
    expect(translateCognitoError(sdkError(name, name.startsWith('Internal') ? 500 : 400), context(keys))).toMatchObject(
      { code, kind },
    );
  });

  it('treats a refused connection as unreachable', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(translateCognitoError(error, { ...context([]), endpoint: 'http://127.0.0.1:9' })).toMatchObject({
      code: 'COGNITO_UNREACHABLE',
      kind: 'unreachable',
    });
  });
});

describe('loginWithCognito (dependencies passed in)', () => {
  const creds = {
    accessKeyId: 'ASIAEXAMPLEEXAMPLE00',
    secretAccessKey: 'secret-secret',
    sessionToken: 'token',
    expiration: new Date(Date.now() + 3600_000),
  };

  function fakeCognito(behaviour: { refuse?: Set<string>; firstId?: number } = {}) {
    const calls: string[] = [];
    let next = behaviour.firstId ?? 0;
    const api: CognitoApi = {
      endpoint: 'http://cognito.test',
      region: 'eu-west-1',
      async getId() {
        calls.push('GetId');
        return `eu-west-1:00000000-0000-4000-8000-00000000000${next++}`;
      },
      async getCredentialsForIdentity({ identityId }) {
        calls.push(`GetCredentialsForIdentity ${identityId}`);
        if (behaviour.refuse?.has(identityId)) throw usageError('COGNITO_POOL_NOT_FOUND', 'gone');
        return creds;
      },
      async getOpenIdToken() {
        throw new Error('not used');
      },
    };
    return { api, calls };
  }
  const settings = { pool: parseIdentityPoolId(POOL), logins: [], guest: true };
  const deps = (cognito: CognitoApi, store: SecretStore) => ({
    cognito,
    sts: async () => {
      throw new Error('not used');
    },
    identityIds: store,
    readFile: async () => '',
    logger: silentLogger,
    clock: { now: () => Date.now() },
  });

  it('remembers the IdentityId, and asks GetId again when Cognito no longer knows it', async () => {
    const store = memorySecretStore();
    const first = fakeCognito();
    await loginWithCognito(settings, deps(first.api, store));
    await loginWithCognito(settings, deps(first.api, store));
    expect(first.calls.filter((c) => c === 'GetId')).toHaveLength(1);

    const stale = fakeCognito({ refuse: new Set(['eu-west-1:00000000-0000-4000-8000-000000000000']), firstId: 5 });
    const result = await loginWithCognito(settings, deps(stale.api, store));
    expect(result).toBe(creds);
    expect(stale.calls).toEqual([
      'GetCredentialsForIdentity eu-west-1:00000000-0000-4000-8000-000000000000',
      'GetId',
      'GetCredentialsForIdentity eu-west-1:00000000-0000-4000-8000-000000000005',
    ]);
    expect([...store.entries.values()]).toEqual(['eu-west-1:00000000-0000-4000-8000-000000000005']);
  });
});

describe('an OIDC login', () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const jwt = (claims: Record<string, unknown>) => `${b64({ alg: 'RS256' })}.${b64(claims)}.c2ln`;

  it("keys the ID token by the issuer's host and path, without scheme or trailing slash", () => {
    expect(issuerLoginKey(new URL('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/'), '--issuer')).toBe(
      'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123',
    );
    expect(issuerLoginKey(new URL('http://127.0.0.1:8080'), '--issuer')).toBe('127.0.0.1:8080');
    const settings = resolveCognitoSettings(
      {
        identityPoolId: POOL,
        issuer: 'https://login.example.com/realms/dev/',
        clientId: 'cli',
        login: ['accounts.google.com=@/a'],
      },
      undefined,
    );
    expect(settings.oidc).toMatchObject({
      key: 'login.example.com/realms/dev',
      signIn: { clientId: 'cli', tokenType: 'id', signInCommand: 'fedlogin cognito in a terminal' },
    });
    expect(settings.logins.map((l) => l.key)).toEqual(['accounts.google.com']);
  });

  it('comes from a profile, with the profile named in the sign-in message; flags that name a login replace it', () => {
    const values = {
      fedlogin_identity_pool_id: POOL,
      fedlogin_issuer: 'https://login.example.com',
      fedlogin_client_id: 'cli',
      fedlogin_token_type: 'access',
    };
    const who = { label: 'Profile app', signInCommand: 'fedlogin login --profile app' };
    const settings = resolveCognitoSettings(
      { browser: false },
      profile(values),
      { FEDLOGIN_OIDC_CLIENT_SECRET: 's3cret' },
      who,
    );
    expect(settings.oidc).toMatchObject({
      key: 'login.example.com',
      signIn: { ...who, tokenType: 'id', openBrowser: false, clientSecret: 's3cret' },
    });
    expect(resolveCognitoSettings({ guest: true }, profile(values)).oidc).toBeUndefined();
  });

  it.each([
    [
      { identityPoolId: POOL, guest: true, issuer: 'https://login.example.com', clientId: 'cli' },
      'COGNITO_LOGIN_CONFLICT',
    ],
    [
      {
        identityPoolId: POOL,
        issuer: 'https://login.example.com',
        clientId: 'cli',
        login: ['https://login.example.com/=@/a'],
      },
      'COGNITO_LOGIN_DUPLICATE',
    ],
    [{ identityPoolId: POOL, issuer: 'https://login.example.com' }, 'OIDC_CLIENT_ID_MISSING'],
    [{ identityPoolId: POOL, issuer: 'http://login.example.com', clientId: 'cli' }, 'ISSUER_INSECURE'],
    [{ identityPoolId: POOL, guest: true, clientId: 'cli' }, 'COGNITO_OIDC_FLAG_UNUSED'],
    [{ identityPoolId: POOL, login: ['accounts.google.com=@/a'], browser: false }, 'COGNITO_OIDC_FLAG_UNUSED'],
  ])('%j is a usage error %s', (flags, code) => {
    expect(() => resolveCognitoSettings(flags, undefined)).toThrow(expect.objectContaining({ code, kind: 'usage' }));
  });

  it("adds the sign-in's ID token to the file logins, and refuses a sign-in without one", () => {
    const read = {
      logins: { 'accounts.google.com': 'g' },
      descriptions: ['accounts.google.com: ...'],
      who: ['accounts.google.com|g|1'],
    };
    const token = jwt({ iss: 'https://login.example.com', sub: 'erin', aud: 'cli' });
    const merged = withOidcLogin(read, 'login.example.com', { idToken: token, accessToken: 'a' }, silentLogger);
    expect(merged.logins).toEqual({ 'accounts.google.com': 'g', 'login.example.com': token });
    expect(merged.who).toEqual(['accounts.google.com|g|1', 'login.example.com|https://login.example.com|erin']);
    expect(merged.descriptions.join('\n')).not.toContain(token);
    expect(() => withOidcLogin(read, 'login.example.com', { accessToken: 'a' }, silentLogger)).toThrow(
      expect.objectContaining({ code: 'OIDC_NO_ID_TOKEN' }),
    );
  });

  it('without a person and without a saved sign-in, fails at once naming the command, before Cognito is called', async () => {
    const settings = resolveCognitoSettings(
      {},
      profile({ fedlogin_identity_pool_id: POOL, fedlogin_issuer: 'http://127.0.0.1:9', fedlogin_client_id: 'cli' }),
      {},
      {
        label: 'Profile app',
        signInCommand: 'fedlogin login --profile app',
      },
    );
    const untouchable = new Proxy({} as CognitoApi, {
      get() {
        throw new Error('Cognito must not be reached');
      },
    });
    const store = memorySecretStore();
    const login = loginWithCognito(settings, {
      cognito: untouchable,
      sts: () => Promise.reject(new Error('STS must not be reached')),
      identityIds: store,
      readFile: async () => '',
      logger: silentLogger,
      clock: { now: () => Date.now() },
      oidc: noPersonOidcDeps(store),
    });
    await expect(login).rejects.toMatchObject({
      kind: 'usage',
      code: 'OIDC_SIGN_IN_REQUIRED',
      message: 'Profile app needs you to sign in: run fedlogin login --profile app',
    });
  });
});
