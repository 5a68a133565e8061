import { randomBytes } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { registerSecret } from '../harness/leakScan.js';
import { readBody, sendJson, startLoopbackServer } from '../harness/loopbackServer.js';

/**
 * A tiny scripted OpenID Provider for the OIDC flow's failure cases, where a real provider cannot
 * be made to misbehave: its authorization endpoint answers at once (no pages) by redirecting with
 * a code, an error, or a wrong state; its token endpoint signs ID tokens (RS256, published JWKS,
 * so the STS double can verify them) with a chosen issuer; its discovery document can be broken.
 */

export type AuthorizeBehaviour = 'approve' | 'deny' | 'wrong-state';

export interface ScriptedIdpOptions {
  authorize?: AuthorizeBehaviour;
  /** the ID token's iss; default: this IdP's issuer */
  idTokenIssuer?: string;
  /**
   * 'broken': discovery answers a JSON object without an issuer; 'moved': the issuer's discovery
   * URL answers 301 to /moved/.well-known/openid-configuration, whose document names the issuer
   * ISSUER/moved (an IdP that moved its issuer and redirects the old one); ID tokens then carry
   * that issuer
   */
  discovery?: 'valid' | 'broken' | 'moved';
  subject?: string;
}

export interface ScriptedIdp {
  issuer: string;
  clientId: string;
  /** every request path seen, in order */
  requests: string[];
  /** tokens and codes it handed out, for leak scans */
  secrets: string[];
  close(): Promise<void>;
}

export async function startScriptedIdp(options: ScriptedIdpOptions = {}): Promise<ScriptedIdp> {
  const clientId = 'scripted-client';
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'scripted', alg: 'RS256', use: 'sig' };
  const nonces = new Map<string, string>();
  const requests: string[] = [];
  const secrets: string[] = [];
  let issuer = '';
  const publishedIssuer = () => (options.discovery === 'moved' ? `${issuer}/moved` : issuer);

  const server = await startLoopbackServer(async (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    requests.push(url.pathname);
    const moved = options.discovery === 'moved';
    if (url.pathname === '/.well-known/openid-configuration' && moved) {
      res.writeHead(301, { location: '/moved/.well-known/openid-configuration' }).end();
      return;
    }
    if (url.pathname === `${moved ? '/moved' : ''}/.well-known/openid-configuration`) {
      if (options.discovery === 'broken') return sendJson(res, 200, { hello: 'not an OpenID Provider' });
      return sendJson(res, 200, {
        issuer: publishedIssuer(),
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') return sendJson(res, 200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const redirect = new URL(url.searchParams.get('redirect_uri')!);
      const state = url.searchParams.get('state') ?? '';
      const behaviour = options.authorize ?? 'approve';
      if (behaviour === 'deny') {
        redirect.searchParams.set('error', 'access_denied');
        redirect.searchParams.set('error_description', 'The user said no');
        redirect.searchParams.set('state', state);
      } else {
        const code = randomBytes(16).toString('hex');
        secrets.push(code);
        registerSecret(code, 'token', 'an authorization code of the scripted IdP');
        nonces.set(code, url.searchParams.get('nonce') ?? '');
        redirect.searchParams.set('code', code);
        redirect.searchParams.set('state', behaviour === 'wrong-state' ? 'not-the-state-fedlogin-sent' : state);
      }
      res.writeHead(302, { location: redirect.href }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      const code = form.get('code') ?? '';
      if (!nonces.has(code)) return sendJson(res, 400, { error: 'invalid_grant' });
      const idToken = await sign(privateKey, {
        iss: options.idTokenIssuer ?? publishedIssuer(),
        aud: clientId,
        sub: options.subject ?? 'erin',
        preferred_username: options.subject ?? 'erin',
        nonce: nonces.get(code),
      });
      const accessToken = randomBytes(24).toString('hex');
      secrets.push(idToken, accessToken);
      registerSecret(idToken, 'token', 'an ID token of the scripted IdP');
      registerSecret(accessToken, 'token', 'an access token of the scripted IdP');
      return sendJson(res, 200, {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: 3600,
        id_token: idToken,
      });
    }
    res.writeHead(404).end();
  });
  issuer = server.url.replace(/\/+$/, '');
  return { issuer, clientId, requests, secrets, close: () => server.close() };
}

async function sign(key: CryptoKey, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'scripted' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);
}
