import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProfileValues } from '../../src/config/profileValues.js';
import { abortedError, type FedloginError, usageError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { canOpenBrowser } from '../../src/flows/oidc/browserOpener.js';
import { startCallbackListener } from '../../src/flows/oidc/callbackListener.js';
import { failurePage, successPage } from '../../src/flows/oidc/callbackPages.js';
import { deviceInstructions } from '../../src/flows/oidc/deviceInstructions.js';
import { sessionNameFromClaims } from '../../src/flows/oidc/exchange.js';
import { isLoopbackHost, parseIssuerUrl } from '../../src/flows/oidc/issuerUrl.js';
import { loginWithOidc } from '../../src/flows/oidc/login.js';
import { translateOidcError } from '../../src/flows/oidc/oidcErrors.js';
import { renewalToken } from '../../src/flows/oidc/renewalToken.js';
import { resolveOidcSettings, resolveOidcSignIn } from '../../src/flows/oidc/resolveSettings.js';
import { defaultScope, requestedScope } from '../../src/flows/oidc/scopes.js';
import { clientSecretKey, refreshTokenKey } from '../../src/flows/oidc/secretKeys.js';
import { memorySecretStore, noPersonOidcDeps } from '../support/harness/builders.js';

const ROLE = 'arn:aws:iam::123456789012:role/dev';
const issuer = new URL('https://idp.example.com');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as FedloginError).code;
  }
  return undefined;
}

describe('issuer URLs', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '[::1]', 'LOCALHOST'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['128.0.0.1', '127.0.0.256', '10.0.0.1', 'localhost.example.com', '::2', 'example.com'])(
    '%s is not',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
  it('accepts https anywhere and http only on loopback', () => {
    expect(parseIssuerUrl('https://idp.example.com/realms/dev')).toMatchObject({ insecure: false });
    expect(parseIssuerUrl('http://127.0.0.1:8080')).toMatchObject({ insecure: true });
    expect(parseIssuerUrl('http://[::1]:8080/')).toMatchObject({ insecure: true });
    expect(codeOf(() => parseIssuerUrl('http://idp.example.com'))).toBe('ISSUER_INSECURE');
    expect(codeOf(() => parseIssuerUrl('ftp://idp.example.com'))).toBe('ISSUER_INVALID');
    expect(codeOf(() => parseIssuerUrl('not a url'))).toBe('ISSUER_INVALID');
    expect(codeOf(() => parseIssuerUrl('https://idp.example.com/?x=1'))).toBe('ISSUER_INVALID');
  });
  it('never allows plain http to a host outside 127.0.0.0/8, ::1 and localhost', () => {
    fc.assert(
      fc.property(fc.domain(), (host) => {
        fc.pre(host !== 'localhost');
        expect(codeOf(() => parseIssuerUrl(`http://${host}/`))).toBe('ISSUER_INSECURE');
      }),
    );
  });
});

describe('scopes', () => {
  it('adds offline_access only when the IdP lists it', () => {
    expect(defaultScope(['openid', 'offline_access', 'email'])).toBe('openid offline_access');
    expect(defaultScope(['openid', 'email'])).toBe('openid');
    expect(defaultScope(undefined)).toBe('openid');
  });
  it('keeps a configured scope, adding openid when it is missing', () => {
    expect(requestedScope('email profile', ['offline_access'])).toBe('openid email profile');
    expect(requestedScope('openid,email', undefined)).toBe('openid email');
    expect(requestedScope(undefined, ['offline_access'])).toBe('openid offline_access');
  });
});

describe('secret-store keys', () => {
  it('are stable, ignore a trailing slash, and differ by issuer, client and scope', () => {
    const key = refreshTokenKey(issuer, 'cli', undefined);
    expect(key).toMatch(/^oidc-refresh-v1-[0-9a-f]{32}$/);
    expect(refreshTokenKey(new URL('https://idp.example.com/'), 'cli', undefined)).toBe(key);
    expect(refreshTokenKey(new URL('https://other.example.com'), 'cli', undefined)).not.toBe(key);
    expect(refreshTokenKey(issuer, 'cli2', undefined)).not.toBe(key);
    expect(refreshTokenKey(issuer, 'cli', 'openid')).not.toBe(key);
    expect(clientSecretKey(issuer, 'cli')).toMatch(/^oidc-client-secret-v1-/);
  });
});

describe('session names', () => {
  it('prefer preferred_username, then email, then sub, sanitised', () => {
    expect(sessionNameFromClaims({ preferred_username: 'Jane Doe', email: 'j@x.io', sub: 's' })).toBe('Jane-Doe');
    expect(sessionNameFromClaims({ email: 'jane@example.com', sub: 's-1' })).toBe('jane@example.com');
    expect(sessionNameFromClaims({ sub: 'auth0|123' })).toBe('auth0-123');
    expect(sessionNameFromClaims({})).toBe('fedlogin');
  });
});

describe('what the person sees', () => {
  it('device instructions name the URL, the code and the lifetime', () => {
    const text = deviceInstructions({
      verification_uri: 'https://idp/device',
      user_code: 'ABCD-EFGH',
      expires_in: 600,
      verification_uri_complete: 'https://idp/device?user_code=ABCD-EFGH',
    });
    expect(text).toContain('open https://idp/device\nand enter the code:  ABCD-EFGH\n');
    expect(text).toContain('valid for 10 minutes');
    expect(deviceInstructions({ verification_uri: 'u', user_code: 'c', expires_in: 30 })).toContain(
      'valid for 1 minute.',
    );
  });
  it('pages escape what they show', () => {
    expect(successPage()).toContain('Signed in to fedlogin');
    expect(failurePage('<script>x</script>')).toContain('&lt;script&gt;');
    expect(failurePage('<script>x</script>')).not.toContain('<script>');
  });
  it('a browser can be opened on Linux only with a display', () => {
    expect(canOpenBrowser({}, 'linux')).toBe(false);
    expect(canOpenBrowser({ DISPLAY: ':0' }, 'linux')).toBe(true);
    expect(canOpenBrowser({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
    expect(canOpenBrowser({}, 'darwin')).toBe(true);
  });
});

describe('error translation', () => {
  const t = (error: unknown, stage: 'discovery' | 'token' = 'token') => translateOidcError(error, issuer, stage);
  it('maps network failures to unreachable and 5xx too', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(t(refused, 'discovery')).toMatchObject({ kind: 'unreachable', code: 'OIDC_UNREACHABLE' });
    expect(t({ name: 'TimeoutError', message: 'timed out' })).toMatchObject({ kind: 'unreachable' });
    expect(t({ status: 503, message: 'x' })).toMatchObject({ kind: 'unreachable' });
  });
  it('maps a bad discovery document to a usage error', () => {
    expect(
      t({ code: 'OAUTH_RESPONSE_IS_NOT_JSON', message: 'unexpected response content-type' }, 'discovery'),
    ).toMatchObject({ kind: 'usage', code: 'OIDC_DISCOVERY_INVALID' });
  });
  it('names a discovery redirect, its target (made absolute) and the issuer to try', () => {
    const moved = (location: string | null, status = 301) => ({
      code: 'OAUTH_RESPONSE_IS_NOT_CONFORM',
      message: 'unexpected HTTP response status code',
      cause: new Response(null, { status, headers: location === null ? {} : { location } }),
    });
    const relative = t(moved('/tenant/.well-known/openid-configuration'), 'discovery');
    expect(relative).toMatchObject({ kind: 'usage', code: 'OIDC_DISCOVERY_REDIRECT' });
    expect(relative.message).toBe(
      'https://idp.example.com/.well-known/openid-configuration redirects (HTTP 301) to https://idp.example.com/tenant/.well-known/openid-configuration; fedlogin does not follow it, because an issuer must be exactly the "issuer" its discovery document names.',
    );
    expect(relative.hint).toContain('use --issuer https://idp.example.com/tenant (');
    const login = t(moved('https://sso.example.com/login?next=%1B[2J', 302), 'discovery');
    expect(login.message).toContain('(HTTP 302) to https://sso.example.com/login?next=%1B[2J;');
    expect(login.hint).toContain('Ask your IdP admin');
    expect(t(moved(null, 307), 'discovery')).toMatchObject({
      code: 'OIDC_DISCOVERY_REDIRECT',
      message: expect.stringContaining('answers a redirect (HTTP 307) without a usable Location'),
    });
  });
  it('maps IdP refusals to refused, by their OAuth error', () => {
    expect(t({ error: 'access_denied', error_description: 'no' })).toMatchObject({
      kind: 'refused',
      code: 'OIDC_ACCESS_DENIED',
    });
    expect(t({ error: 'expired_token' })).toMatchObject({ kind: 'refused', code: 'OIDC_DEVICE_CODE_EXPIRED' });
    expect(t({ error: 'invalid_grant' })).toMatchObject({ kind: 'refused', code: 'OIDC_INVALID_GRANT' });
    expect(t({ error: 'invalid_client' })).toMatchObject({ kind: 'refused', code: 'OIDC_CLIENT_REFUSED' });
  });
  it("recognises an ID token from another issuer through openid-client's wrapping", () => {
    const wrapped = {
      code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
      message: 'unexpected JWT claim value encountered',
      cause: { message: 'unexpected JWT "iss" (issuer) claim value', cause: { claim: 'iss' } },
    };
    expect(t(wrapped)).toMatchObject({ kind: 'refused', code: 'OIDC_ISSUER_MISMATCH' });
  });
  it('passes FedloginErrors through', () => {
    const own = usageError('OIDC_ISSUER_MISSING', 'x');
    expect(t(own)).toBe(own);
  });
});

describe('settings', () => {
  const profile = (values: Record<string, string>) =>
    new ProfileValues({ name: 'dev', file: '/h/.aws/config', section: 'profile dev', values });
  const who = { label: 'Profile dev', signInCommand: 'fedlogin login --profile dev' };
  it('flags win over profile keys, which win over defaults', () => {
    const p = profile({
      fedlogin_issuer: 'https://a.example.com',
      fedlogin_client_id: 'pc',
      fedlogin_role_arn: ROLE,
      fedlogin_token_type: 'access',
      fedlogin_device: 'true',
      fedlogin_timeout: '2m',
    });
    const fromProfile = resolveOidcSettings({}, p, {}, who);
    expect(fromProfile).toMatchObject({
      clientId: 'pc',
      tokenType: 'access',
      device: true,
      timeoutMs: 120_000,
      openBrowser: true,
    });
    const fromFlags = resolveOidcSettings(
      { clientId: 'fc', tokenType: 'id', device: false, browser: false, timeout: '30s' },
      p,
      { FEDLOGIN_OIDC_CLIENT_SECRET: 's3cret' },
      who,
    );
    expect(fromFlags).toMatchObject({
      clientId: 'fc',
      tokenType: 'id',
      device: false,
      openBrowser: false,
      timeoutMs: 30_000,
      clientSecret: 's3cret',
    });
    expect(
      resolveOidcSettings({ issuer: 'https://x.example.com', clientId: 'c', roleArn: ROLE }, undefined, {}, who),
    ).toMatchObject({ tokenType: 'id', timeoutMs: 300_000, device: undefined });
  });
  it('names the file, section and key of a bad profile value', () => {
    expect(() =>
      resolveOidcSettings(
        {},
        profile({ fedlogin_issuer: 'http://idp.example.com', fedlogin_client_id: 'c', fedlogin_role_arn: ROLE }),
        {},
        who,
      ),
    ).toThrow(/\/h\/\.aws\/config \[profile dev\] fedlogin_issuer: .*not loopback/);
    expect(
      codeOf(() =>
        resolveOidcSettings(
          {},
          profile({ fedlogin_issuer: 'https://i.example.com', fedlogin_role_arn: ROLE }),
          {},
          who,
        ),
      ),
    ).toBe('OIDC_CLIENT_ID_MISSING');
    expect(
      codeOf(() =>
        resolveOidcSettings(
          { tokenType: 'refresh' },
          profile({ fedlogin_issuer: 'https://i.example.com', fedlogin_client_id: 'c', fedlogin_role_arn: ROLE }),
          {},
          who,
        ),
      ),
    ).toBe('OPTION_INVALID');
  });
  it('parses timeouts and durations in the one grammar, and bounds them', () => {
    const base = { issuer: 'https://x.example.com', clientId: 'c', roleArn: ROLE };
    const timeoutOf = (timeout: string) => resolveOidcSettings({ ...base, timeout }, undefined, {}, who).timeoutMs;
    expect(timeoutOf('90')).toBe(90_000);
    expect(timeoutOf('5m')).toBe(300_000);
    expect(timeoutOf('1m30s')).toBe(90_000);
    expect(codeOf(() => timeoutOf('0'))).toBe('TIMEOUT_INVALID');
    expect(codeOf(() => timeoutOf('2h'))).toBe('TIMEOUT_INVALID');
    expect(resolveOidcSettings({ ...base, duration: '1h30m' }, undefined, {}, who).durationSeconds).toBe(5400);
    expect(() => resolveOidcSettings({ ...base, duration: '10m' }, undefined, {}, who)).toThrow(
      expect.objectContaining({ code: 'DURATION_INVALID', message: expect.stringContaining('--duration') }),
    );
    expect(() =>
      resolveOidcSettings(
        {},
        profile({
          fedlogin_issuer: 'https://i.example.com',
          fedlogin_client_id: 'c',
          fedlogin_role_arn: ROLE,
          fedlogin_timeout: '2 hours',
        }),
        {},
        who,
      ),
    ).toThrow(/\[profile dev\] fedlogin_timeout: must be between 1 second \(1s\) and 3600 seconds \(1h\)/);
  });
});

describe('the sign-in settings on their own', () => {
  it("need no role: the exchange is someone else's (a Cognito pool)", () => {
    const signIn = resolveOidcSignIn(
      { issuer: 'https://login.example.com', clientId: 'c', prompt: 'consent' },
      undefined,
      {},
      { label: 'Profile p', signInCommand: 'fedlogin login --profile p' },
    );
    expect(signIn).toMatchObject({
      clientId: 'c',
      prompt: 'consent',
      tokenType: 'id',
      openBrowser: true,
      label: 'Profile p',
    });
    expect(signIn).not.toHaveProperty('roleArn');
    expect(() =>
      resolveOidcSettings(
        { issuer: 'https://login.example.com', clientId: 'c' },
        undefined,
        {},
        { label: 'x', signInCommand: 'y' },
      ),
    ).toThrow(expect.objectContaining({ code: 'ROLE_ARN_MISSING' }));
  });
});

describe('loginWithOidc without a person', () => {
  const settings = resolveOidcSettings(
    { issuer: 'http://127.0.0.1:9', clientId: 'c', roleArn: ROLE },
    undefined,
    {},
    { label: 'Profile dev', signInCommand: 'fedlogin login --profile dev' },
  );
  it('fails at once, naming the sign-in command, when no refresh token is stored', async () => {
    await expect(loginWithOidc(settings, noPersonOidcDeps(memorySecretStore()))).rejects.toMatchObject({
      kind: 'usage',
      code: 'OIDC_SIGN_IN_REQUIRED',
      message: 'Profile dev needs you to sign in: run fedlogin login --profile dev',
    });
  });

  it('with a stored refresh token, tries the IdP (here unreachable, exit 4) and never prints the token', async () => {
    const lines: string[] = [];
    const logger = createLogger({ debug: true, write: (l) => lines.push(l) });
    const refreshToken = 'rt-very-secret-value-123';
    const store = memorySecretStore({ [refreshTokenKey(settings.issuer.url, 'c', undefined)]: refreshToken });
    const error = await loginWithOidc(settings, noPersonOidcDeps(store, { logger })).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unreachable', code: 'OIDC_UNREACHABLE' });
    expect(logger.redact(`x ${refreshToken} y`)).not.toContain(refreshToken);
    expect(lines.join('\n')).not.toContain(refreshToken);
  });
});

describe('the loopback callback listener', () => {
  it('listens on 127.0.0.1, answers only /callback, once, with the outcome page', async () => {
    const listener = await startCallbackListener();
    try {
      expect(listener.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      const base = new URL(listener.redirectUri);
      expect((await fetch(new URL('/favicon.ico', base))).status).toBe(404);
      const arrival = listener.arrival(new AbortController().signal);
      const page = fetch(`${listener.redirectUri}?code=abc&state=xyz`);
      const got = await arrival;
      expect(got.url.searchParams.get('code')).toBe('abc');
      got.respond({ ok: false, message: 'Nope.' });
      const res = await page;
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('Nope.');
      expect((await fetch(`${listener.redirectUri}?code=again`)).status).toBe(409);
    } finally {
      await listener.close();
    }
  });

  it('stops waiting with the abort reason', async () => {
    const listener = await startCallbackListener();
    try {
      const controller = new AbortController();
      const waiting = listener.arrival(controller.signal);
      controller.abort(abortedError('stop'));
      await expect(waiting).rejects.toMatchObject({ kind: 'aborted' });
    } finally {
      await listener.close();
    }
  });
});

describe('which token a renewal without an ID token can use', () => {
  const jwt = (claims: Record<string, unknown>) =>
    `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  const context = {
    issuer: new URL('https://idp.example.com/'),
    clientId: 'cli',
    tokenType: 'id' as const,
    now: 1_000,
  };
  const access = (claims: Record<string, unknown>) => renewalToken({ accessToken: jwt(claims) }, context);
  it('the ID token when there is one, the access token when that is what the profile uses', () => {
    expect(renewalToken({ idToken: 'x', accessToken: 'opaque' }, context)).toEqual({ use: 'id' });
    expect(renewalToken({ accessToken: 'opaque' }, { ...context, tokenType: 'access' })).toEqual({ use: 'access' });
  });
  it('a JWT access token from the issuer for the client ID stands in', () => {
    expect(access({ iss: 'https://idp.example.com', aud: ['api', 'cli'], sub: 's', exp: 2_000 })).toMatchObject({
      use: 'access',
    });
  });
  it('says why not: opaque, another issuer, another audience (escaped), expired, or an exchange that needs an ID token', () => {
    expect(renewalToken({ accessToken: 'opaque' }, context)).toEqual({
      use: undefined,
      why: 'its access token is not a JWT that AWS could accept instead',
    });
    expect(access({ iss: 'https://other.example.com', aud: 'cli' })).toMatchObject({
      why: 'its access token was issued by https://other.example.com, not https://idp.example.com',
    });
    expect(access({ iss: 'https://idp.example.com', aud: 'api://x\u001b[2J' })).toMatchObject({
      why: 'its access token is for api://x\\x1b[2J, not for the client ID cli that the role trusts',
    });
    expect(access({ iss: 'https://idp.example.com' })).toMatchObject({ why: expect.stringContaining('for (no aud)') });
    expect(access({ iss: 'https://idp.example.com', aud: 'cli', exp: 999 })).toMatchObject({
      why: 'its access token has already expired',
    });
    expect(
      renewalToken(
        { accessToken: jwt({ iss: 'https://idp.example.com', aud: 'cli' }) },
        {
          ...context,
          idTokenNeededBy: 'the Cognito identity pool',
        },
      ),
    ).toEqual({ use: undefined, why: 'the Cognito identity pool needs one' });
  });
});
