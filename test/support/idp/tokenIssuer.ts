import { randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { registerSecret } from '../harness/leakScan.js';
import { readBody, sendJson, startLoopbackServer } from '../harness/loopbackServer.js';

/**
 * A real OIDC-style token issuer on 127.0.0.1: a key pair made at start (no committed keys), the
 * discovery document, the JWKS, and tokens signed with jose. STS-compatible endpoints verify its
 * tokens exactly as AWS verifies a CI provider's, by discovery -> jwks_uri -> signature.
 */
export type IssuerAlg = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'ES256' | 'ES384';

export interface TokenIssuerOptions {
  /** signing algorithm, RS256 unless given */
  alg?: IssuerAlg;
  /** the `kid` of the key in the JWKS and in token headers; random unless given */
  kid?: string;
  /**
   * a path under the origin that is part of the issuer, like Azure DevOps'
   * https://vstoken.dev.azure.com/ORG_ID; must start with '/'
   */
  path?: string;
}

export interface SignOptions {
  /** lifetime from now; default 600; negative for a token that has already expired */
  expiresInSeconds?: number;
  /** header kid; the issuer's own kid unless given */
  kid?: string;
}

export interface TokenIssuer {
  /** http://127.0.0.1:PORT[/path], the `iss` of every token it signs */
  url: string;
  jwksUri: string;
  alg: IssuerAlg;
  kid: string;
  /** every token this issuer handed out (sign, signWithUnknownKey, /mint), for leak scans */
  issued: string[];
  /** how often each endpoint was hit, to assert caching by the consumers */
  counts: { discovery: number; jwks: number; mint: number };
  /**
   * Signs `claims` over defaults {iss: url, iat, exp, jti}; a claim given here wins over its default
   * (so `iss` can be set to a foreign issuer on purpose).
   */
  sign(claims: Record<string, unknown>, opts?: SignOptions): Promise<string>;
  /** Same claims and header as sign(), signed by a key nobody publishes: the signature cannot verify. */
  signWithUnknownKey(claims: Record<string, unknown>, opts?: SignOptions): Promise<string>;
  publicJwks(): { keys: JWK[] };
  close(): Promise<void>;
}

const DEFAULT_LIFETIME_SECONDS = 600;

export async function startTokenIssuer(opts: TokenIssuerOptions = {}): Promise<TokenIssuer> {
  const alg = opts.alg ?? 'RS256';
  const kid = opts.kid ?? randomUUID();
  const path = (opts.path ?? '').replace(/\/+$/, '');
  if (path !== '' && !path.startsWith('/')) throw new Error(`issuer path must start with '/': ${path}`);
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };

  const issued: string[] = [];
  const counts = { discovery: 0, jwks: 0, mint: 0 };
  let url = '';

  const signWith = async (key: CryptoKey, claims: Record<string, unknown>, signOpts: SignOptions = {}) => {
    const token = await signJwt(key, alg, signOpts.kid ?? kid, { iss: url, ...claims }, signOpts.expiresInSeconds);
    issued.push(token);
    return token;
  };

  const server = await startLoopbackServer(async (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method === 'GET' && pathname === `${path}/.well-known/openid-configuration`) {
      counts.discovery++;
      return sendJson(res, 200, {
        issuer: url,
        jwks_uri: `${url}/jwks`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: [alg],
        claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf'],
      });
    }
    if (req.method === 'GET' && pathname === `${path}/jwks`) {
      counts.jwks++;
      return sendJson(res, 200, { keys: [publicJwk] });
    }
    if (req.method === 'POST' && pathname === `${path}/mint`) {
      counts.mint++;
      let body: { claims?: unknown; expiresInSeconds?: unknown };
      try {
        body = JSON.parse((await readBody(req)).toString('utf8')) as typeof body;
      } catch {
        return sendJson(res, 400, { error: 'body must be JSON {claims, expiresInSeconds}' });
      }
      const claims = body.claims ?? {};
      if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
        return sendJson(res, 400, { error: 'claims must be a JSON object' });
      }
      if (body.expiresInSeconds !== undefined && typeof body.expiresInSeconds !== 'number') {
        return sendJson(res, 400, { error: 'expiresInSeconds must be a number' });
      }
      const token = await signWith(privateKey, claims as Record<string, unknown>, {
        expiresInSeconds: body.expiresInSeconds as number | undefined,
      });
      return sendJson(res, 200, { token });
    }
    sendJson(res, 404, { error: 'not found' });
  });
  url = server.url + path;

  return {
    url,
    jwksUri: `${url}/jwks`,
    alg,
    kid,
    issued,
    counts,
    sign: (claims, signOpts) => signWith(privateKey, claims, signOpts),
    async signWithUnknownKey(claims, signOpts) {
      return signWith(await unknownKey(alg), claims, signOpts);
    },
    publicJwks: () => ({ keys: [publicJwk] }),
    close: () => server.close(),
  };
}

/**
 * A token signed by a key that no issuer publishes. `claims` should carry the `iss` the token
 * pretends to come from; the header's kid defaults to 'unknown-key' (pass the real issuer's kid to
 * make the signature, not the key lookup, be what fails).
 */
export async function signWithUnknownKey(
  claims: Record<string, unknown>,
  opts: SignOptions & { alg?: IssuerAlg } = {},
): Promise<string> {
  const alg = opts.alg ?? 'RS256';
  return signJwt(await unknownKey(alg), alg, opts.kid ?? 'unknown-key', claims, opts.expiresInSeconds);
}

async function signJwt(
  key: CryptoKey,
  alg: IssuerAlg,
  kid: string,
  claims: Record<string, unknown>,
  expiresInSeconds = DEFAULT_LIFETIME_SECONDS,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + expiresInSeconds;
  const payload = { iat: Math.min(now, exp - 60), exp, jti: randomUUID(), ...claims };
  const token = await new SignJWT(payload).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(key);
  registerSecret(token, 'token', `a JWT signed by a test issuer (iss ${String(claims.iss)})`);
  return token;
}

const unknownKeys = new Map<IssuerAlg, Promise<CryptoKey>>();

function unknownKey(alg: IssuerAlg): Promise<CryptoKey> {
  let key = unknownKeys.get(alg);
  if (!key) {
    key = generateKeyPair(alg).then((pair) => pair.privateKey);
    unknownKeys.set(alg, key);
  }
  return key;
}
