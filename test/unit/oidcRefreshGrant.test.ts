import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { parseIssuerUrl } from '../../src/flows/oidc/issuerUrl.js';
import {
  KEPT_MARGIN_SECONDS,
  keptTokensValue,
  parseKeptTokens,
  usableKeptTokens,
} from '../../src/flows/oidc/keptTokens.js';
import { clientAuthMethod, refreshGrant, refreshRequest } from '../../src/flows/oidc/refreshGrant.js';
import { discoveryKey } from '../../src/flows/oidc/secretKeys.js';
import { memorySecretStore } from '../support/harness/builders.js';
import { type LoopbackServer, readBody, sendJson, startLoopbackServer } from '../support/harness/loopbackServer.js';

const unsignedJwt = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('the refresh grant request (RFC 6749 section 6)', () => {
  const metadata = { issuer: 'https://idp.example', token_endpoint: 'https://idp.example/token' };
  it('a public client: grant_type, refresh_token and client_id in the form, no Authorization', () => {
    const r = refreshRequest(metadata, { clientId: 'cli', refreshToken: 'rt-1' });
    expect(Object.fromEntries(new URLSearchParams(r.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-1',
      client_id: 'cli',
    });
    expect(r.headers.authorization).toBeUndefined();
    expect(r.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
  });

  it('client_secret_basic: the id and secret form-encoded, then Base64 (RFC 6749 2.3.1); nothing in the form', () => {
    const r = refreshRequest(
      { ...metadata, token_endpoint_auth_methods_supported: ['client_secret_basic'] },
      { clientId: 'a b:c', clientSecret: 's%e/c+r', refreshToken: 'rt-1' },
    );
    expect(Object.fromEntries(new URLSearchParams(r.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-1',
    });
    const decoded = Buffer.from(r.headers.authorization!.replace(/^Basic /, ''), 'base64').toString();
    expect(decoded).toBe('a+b%3Ac:s%25e%2Fc%2Br');
  });

  it('client_secret_post when the metadata lists it (openid-client chose it before); basic when the list is absent', () => {
    expect(
      clientAuthMethod({ token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'] }),
    ).toBe('client_secret_post');
    expect(clientAuthMethod({})).toBe('client_secret_basic');
    const r = refreshRequest(
      { ...metadata, token_endpoint_auth_methods_supported: ['client_secret_post'] },
      { clientId: 'cli', clientSecret: 'sec', refreshToken: 'rt-1' },
    );
    expect(Object.fromEntries(new URLSearchParams(r.body))).toMatchObject({ client_id: 'cli', client_secret: 'sec' });
    expect(r.headers.authorization).toBeUndefined();
  });
});

describe('the tokens kept for the other profiles of a sign-in', () => {
  const now = 1_800_000_000;
  const issuer = new URL('https://idp.example');
  const context = { issuer, clientId: 'cli', tokenType: 'id' as const, now };
  const idToken = (exp: number) => unsignedJwt({ iss: issuer.href, aud: 'cli', exp, iat: now - 10, sub: 'u' });

  it('hands out the ID token until the margin before its expiry, never the refresh token', () => {
    const value = keptTokensValue(
      { idToken: idToken(now + 3600), accessToken: 'opaque', refreshToken: 'rt' },
      3600,
      now,
    );
    expect(value).not.toContain('"rt"');
    const kept = parseKeptTokens(value)!;
    expect(usableKeptTokens(kept, context)).toMatchObject({ use: 'id', expiresAt: now + 3600 });
    expect(usableKeptTokens(kept, { ...context, now: now + 3600 - KEPT_MARGIN_SECONDS - 1 })).toBeDefined();
    expect(usableKeptTokens(kept, { ...context, now: now + 3600 - KEPT_MARGIN_SECONDS })).toBeUndefined();
    expect(usableKeptTokens(kept, { ...context, now: now + 7200 })).toBeUndefined();
  });

  it('an opaque access token (token type access) lasts as expires_in said; without an ID token, a JWT access token stands in as in a renewal', () => {
    const opaque = parseKeptTokens(keptTokensValue({ accessToken: 'opaque' }, 600, now))!;
    expect(usableKeptTokens(opaque, { ...context, tokenType: 'access' })).toMatchObject({
      use: 'access',
      expiresAt: now + 600,
    });
    // no ID token and an opaque access token: nothing an id-token profile can use
    expect(usableKeptTokens(opaque, context)).toBeUndefined();
    const jwtAccess = unsignedJwt({ iss: issuer.href, aud: ['cli'], exp: now + 900 });
    const kept = parseKeptTokens(keptTokensValue({ accessToken: jwtAccess }, 3600, now))!;
    expect(usableKeptTokens(kept, context)).toMatchObject({ use: 'access', expiresAt: now + 900 });
    // a Cognito pool needs a real ID token
    expect(usableKeptTokens(kept, { ...context, idTokenNeededBy: 'the pool' })).toBeUndefined();
  });

  it('anything else in the entry is no kept token', () => {
    expect(parseKeptTokens(undefined)).toBeUndefined();
    expect(parseKeptTokens('not json')).toBeUndefined();
    expect(parseKeptTokens('{"idToken":"x"}')).toBeUndefined();
  });
});

describe('refreshGrant against a scripted token endpoint on loopback', () => {
  let server: LoopbackServer;
  let answer: { status: number; body: unknown };
  const requests: { path: string; body: string; authorization?: string | undefined }[] = [];
  const issuerOf = () => parseIssuerUrl(server.url);
  const now = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    server = await startLoopbackServer(async (req, res) => {
      const body = (await readBody(req)).toString();
      requests.push({ path: req.url ?? '', body, authorization: req.headers.authorization });
      if (req.url === '/.well-known/openid-configuration') {
        sendJson(res, 200, {
          issuer: server.url,
          token_endpoint: `${server.url}/token`,
          token_endpoint_auth_methods_supported: ['none', 'client_secret_basic'],
        });
        return;
      }
      if (typeof answer.body === 'string') {
        res.writeHead(answer.status, { 'content-type': 'text/html' });
        res.end(answer.body);
        return;
      }
      sendJson(res, answer.status, answer.body);
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    requests.length = 0;
  });

  const grant = (secrets = memorySecretStore(), extra: { clientSecret?: string } = {}) =>
    refreshGrant({
      issuer: issuerOf(),
      clientId: 'cli',
      refreshToken: 'rt-old',
      secrets,
      logger: silentLogger,
      ...extra,
    });

  it('renews, keeps the discovery metadata for the next run, and authenticates as the metadata says', async () => {
    const idToken = unsignedJwt({ iss: server.url, aud: 'cli', exp: now + 3600, iat: now, sub: 'u' });
    answer = {
      status: 200,
      body: { access_token: 'at', token_type: 'Bearer', id_token: idToken, refresh_token: 'rt-new', expires_in: 3600 },
    };
    const secrets = memorySecretStore();
    const first = await grant(secrets, { clientSecret: 'sec' });
    expect(first).toEqual({ tokens: { accessToken: 'at', idToken, refreshToken: 'rt-new' }, expiresIn: 3600 });
    expect(requests.map((r) => r.path)).toEqual(['/.well-known/openid-configuration', '/token']);
    expect(requests[1]!.authorization).toMatch(/^Basic /);
    expect(secrets.entries.has(discoveryKey(issuerOf().url))).toBe(true);
    requests.length = 0;
    await grant(secrets);
    expect(requests.map((r) => r.path)).toEqual(['/token']);
    expect(Object.fromEntries(new URLSearchParams(requests[0]!.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-old',
      client_id: 'cli',
    });
  });

  it('invalid_grant means "sign in again" (undefined) and keeps the metadata', async () => {
    answer = { status: 400, body: { error: 'invalid_grant', error_description: 'grant request is invalid' } };
    const secrets = memorySecretStore();
    expect(await grant(secrets)).toBeUndefined();
    expect(secrets.entries.has(discoveryKey(issuerOf().url))).toBe(true);
  });

  it.each([
    [{ status: 401, body: { error: 'invalid_client' } }, 'refused', 'OIDC_CLIENT_REFUSED'],
    [{ status: 400, body: { error: 'unsupported_grant_type' } }, 'refused', 'OIDC_REFUSED'],
    [{ status: 503, body: { error: 'temporarily_unavailable' } }, 'unreachable', 'OIDC_UNREACHABLE'],
    [{ status: 502, body: '<html>bad gateway</html>' }, 'unreachable', 'OIDC_UNREACHABLE'],
    [{ status: 404, body: '<html>not found</html>' }, 'refused', 'OIDC_RESPONSE_INVALID'],
    [{ status: 200, body: { token_type: 'Bearer' } }, 'refused', 'OIDC_RESPONSE_INVALID'],
    [
      {
        status: 200,
        body: {
          access_token: 'at',
          token_type: 'Bearer',
          id_token: { iss: 'https://evil.example', aud: 'cli', exp: now + 60, iat: now, sub: 'u' },
        },
      },
      'refused',
      'OIDC_ISSUER_MISMATCH',
    ],
    [
      {
        status: 200,
        body: {
          access_token: 'at',
          token_type: 'Bearer',
          id_token: { iss: 'ISSUER', aud: 'other', exp: now + 60, iat: now, sub: 'u' },
        },
      },
      'refused',
      'OIDC_RESPONSE_INVALID',
    ],
  ])('%j: %s %s; metadata dropped unless the answer was a 200', async (scripted, kind, code) => {
    // the claims of an id_token given as an object become an (unsigned) JWT; ISSUER is the server's URL
    const body = JSON.parse(JSON.stringify(scripted.body).replace('ISSUER', server.url)) as Record<string, unknown>;
    if (body.id_token && typeof body.id_token === 'object')
      body.id_token = unsignedJwt(body.id_token as Record<string, unknown>);
    answer = { status: scripted.status, body };
    const secrets = memorySecretStore();
    await expect(grant(secrets)).rejects.toMatchObject({ kind, code });
    expect(secrets.entries.has(discoveryKey(issuerOf().url))).toBe(scripted.status === 200);
  });

  it('a kept token endpoint that is gone (refused connection, 404) is discovered again, and the grant tried once more', async () => {
    const closed = await startLoopbackServer(() => undefined);
    await closed.close();
    answer = { status: 200, body: { access_token: 'at', token_type: 'Bearer' } };
    for (const endpoint of [`${closed.url}/token`, `${server.url}/gone`]) {
      const secrets = memorySecretStore({
        [discoveryKey(issuerOf().url)]: JSON.stringify({
          fetchedAt: Date.now(),
          metadata: { issuer: server.url, token_endpoint: endpoint },
        }),
      });
      requests.length = 0;
      if (endpoint.endsWith('/gone')) answer = { status: 404, body: '<html>gone</html>' };
      const pending = grant(secrets);
      if (endpoint.endsWith('/gone')) {
        // the 404 comes from the scripted server for every path but discovery: fail the retry too
        await expect(pending).rejects.toMatchObject({ code: 'OIDC_RESPONSE_INVALID' });
        expect(requests.map((r) => r.path)).toEqual(['/gone', '/.well-known/openid-configuration', '/token']);
      } else {
        expect(await pending).toMatchObject({ tokens: { accessToken: 'at' } });
        expect(requests.map((r) => r.path)).toEqual(['/.well-known/openid-configuration', '/token']);
        expect(secrets.entries.get(discoveryKey(issuerOf().url))).toContain(`${server.url}/token`);
      }
    }
  });

  it('an unreachable issuer is OIDC_UNREACHABLE (exit 4), as before', async () => {
    const closed = await startLoopbackServer(() => undefined);
    await closed.close();
    await expect(
      refreshGrant({
        issuer: parseIssuerUrl(closed.url),
        clientId: 'cli',
        refreshToken: 'rt',
        secrets: memorySecretStore(),
        logger: silentLogger,
      }),
    ).rejects.toMatchObject({ kind: 'unreachable', code: 'OIDC_UNREACHABLE' });
  });
});
