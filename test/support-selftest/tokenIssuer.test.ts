import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWithUnknownKey, startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

describe('startTokenIssuer', () => {
  let issuer: TokenIssuer;
  beforeAll(async () => {
    issuer = await startTokenIssuer();
  });
  afterAll(() => issuer.close());

  it('listens on 127.0.0.1 and serves discovery pointing at its JWKS', async () => {
    expect(issuer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const doc = (await (await fetch(`${issuer.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(doc).toMatchObject({
      issuer: issuer.url,
      jwks_uri: `${issuer.url}/jwks`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const jwks = (await (await fetch(`${issuer.url}/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', kid: issuer.kid, alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('signs tokens that verify against its JWKS, with iss, exp and the given claims', async () => {
    const token = await issuer.sign({ sub: 'user-1', aud: 'sts.amazonaws.com' });
    const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(issuer.jwksUri)), {
      issuer: issuer.url,
      audience: 'sts.amazonaws.com',
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: issuer.kid, typ: 'JWT' });
    expect(payload.sub).toBe('user-1');
    const now = Math.floor(Date.now() / 1000);
    expect(payload.exp! - now).toBeGreaterThan(590);
    expect(payload.exp! - now).toBeLessThanOrEqual(600);
    expect(issuer.issued).toContain(token);
  });

  it('signs already-expired tokens on request', async () => {
    const token = await issuer.sign({ sub: 'x' }, { expiresInSeconds: -120 });
    const claims = decodeJwt(token);
    expect(claims.exp!).toBeLessThan(Date.now() / 1000);
    expect(claims.iat!).toBeLessThan(claims.exp!);
    await expect(jwtVerify(token, createRemoteJWKSet(new URL(issuer.jwksUri)))).rejects.toBeInstanceOf(
      errors.JWTExpired,
    );
  });

  it('mints tokens over HTTP for fake CI agents', async () => {
    const res = await fetch(`${issuer.url}/mint`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ claims: { sub: 'agent', aud: 'sts.amazonaws.com' }, expiresInSeconds: 60 }),
    });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: issuer.url, sub: 'agent', aud: 'sts.amazonaws.com' });
    expect(claims.exp! - claims.iat!).toBe(60);
    expect(issuer.issued).toContain(token);
    expect(issuer.counts.mint).toBeGreaterThanOrEqual(1);

    const bad = await fetch(`${issuer.url}/mint`, { method: 'POST', body: 'not json' });
    expect(bad.status).toBe(400);
  });

  it('signWithUnknownKey makes a token whose signature does not verify', async () => {
    const jwks = createRemoteJWKSet(new URL(issuer.jwksUri));
    const forged = await issuer.signWithUnknownKey({ sub: 'x' });
    expect(decodeProtectedHeader(forged).kid).toBe(issuer.kid);
    await expect(jwtVerify(forged, jwks)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);

    const standalone = await signWithUnknownKey({ iss: issuer.url, sub: 'x' });
    expect(decodeJwt(standalone).iss).toBe(issuer.url);
    await expect(jwtVerify(standalone, jwks)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });
});

describe('startTokenIssuer options', () => {
  it('serves an issuer with a path and an ES256 key', async () => {
    const issuer = await startTokenIssuer({ alg: 'ES256', path: '/org-1234' });
    try {
      expect(issuer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/org-1234$/);
      const doc = (await (await fetch(`${issuer.url}/.well-known/openid-configuration`)).json()) as {
        jwks_uri: string;
      };
      expect(doc.jwks_uri).toBe(`${issuer.url}/jwks`);
      const token = await issuer.sign({ sub: 's' });
      const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(doc.jwks_uri)), { issuer: issuer.url });
      expect(payload.sub).toBe('s');
    } finally {
      await issuer.close();
    }
  });

  it('gets a fresh key pair each start', async () => {
    const [a, b] = await Promise.all([startTokenIssuer(), startTokenIssuer()]);
    try {
      expect(a.publicJwks().keys[0]!.n).not.toBe(b.publicJwks().keys[0]!.n);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
