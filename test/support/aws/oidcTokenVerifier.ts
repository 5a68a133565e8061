import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { isLoopbackUrl } from '../harness/loopbackServer.js';

/**
 * Verifies an OIDC token the way AWS does for an IAM OIDC provider: fetch the issuer's discovery
 * document, follow jwks_uri (both cached per issuer), check the signature and expiry. Only
 * loopback issuers are ever fetched: a token naming a real issuer fails as "unreachable" without
 * any traffic leaving the machine.
 */

export type TokenProblem =
  /** not a JWT, no iss, unsupported alg, missing exp */
  | 'malformed'
  /** the signature does not verify, or no published key matches */
  | 'signature'
  | 'expired'
  /** discovery or JWKS could not be fetched */
  | 'unreachable';

export class TokenVerificationError extends Error {
  readonly problem: TokenProblem;
  /** the token's claims when they could be decoded (never the token itself) */
  readonly claims: JWTPayload | undefined;

  constructor(problem: TokenProblem, message: string, claims?: JWTPayload, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TokenVerificationError';
    this.problem = problem;
    this.claims = claims;
  }
}

export interface OidcTokenVerifier {
  /** verified claims, or throws TokenVerificationError */
  verify(token: string, nowMs: number): Promise<JWTPayload>;
}

/** The algorithms STS accepts for OIDC tokens. */
export const STS_TOKEN_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];

export function createOidcTokenVerifier(opts: { fetchTimeoutMs?: number } = {}): OidcTokenVerifier {
  // a bound for a hang, not AWS's own budget: the issuer is on loopback, often in the test's own
  // process, and on a loaded two-core machine 2 s (the old bound) was within reach of a busy event
  // loop; an issuer that is down still fails at once (connection refused)
  const timeoutMs = opts.fetchTimeoutMs ?? 30_000;
  const keySets = new Map<string, Promise<JWTVerifyGetKey>>();

  const keySetFor = (issuer: string): Promise<JWTVerifyGetKey> => {
    let keySet = keySets.get(issuer);
    if (!keySet) {
      keySet = discoverKeySet(issuer, timeoutMs);
      keySets.set(issuer, keySet);
      // A failed discovery is not cached: the next token retries, as AWS does.
      keySet.catch(() => keySets.delete(issuer));
    }
    return keySet;
  };

  return {
    async verify(token, nowMs) {
      let claims: JWTPayload;
      try {
        decodeProtectedHeader(token);
        claims = decodeJwt(token);
      } catch (cause) {
        throw new TokenVerificationError('malformed', 'the token is not a JWT', undefined, cause);
      }
      const issuer = claims.iss;
      if (typeof issuer !== 'string' || issuer === '') {
        throw new TokenVerificationError('malformed', 'the token has no iss claim', claims);
      }
      if (!isLoopbackUrl(issuer)) {
        throw new TokenVerificationError(
          'unreachable',
          `issuer ${issuer} is not on loopback; test servers never call out`,
          claims,
        );
      }
      const keySet = await keySetFor(issuer.replace(/\/+$/, '')).catch((cause: unknown) => {
        throw new TokenVerificationError(
          'unreachable',
          `could not fetch the keys of ${issuer}: ${String(cause)}`,
          claims,
          cause,
        );
      });
      try {
        const { payload } = await jwtVerify(token, keySet, {
          currentDate: new Date(nowMs),
          algorithms: STS_TOKEN_ALGORITHMS,
          requiredClaims: ['exp'],
        });
        return payload;
      } catch (cause) {
        throw classify(cause, claims);
      }
    },
  };
}

async function discoverKeySet(issuer: string, timeoutMs: number): Promise<JWTVerifyGetKey> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`discovery answered HTTP ${response.status}`);
  const doc = (await response.json()) as { jwks_uri?: unknown };
  if (typeof doc.jwks_uri !== 'string' || !isLoopbackUrl(doc.jwks_uri)) {
    throw new Error(`discovery has no loopback jwks_uri: ${String(doc.jwks_uri)}`);
  }
  return createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: timeoutMs, cooldownDuration: 1000 });
}

function classify(cause: unknown, claims: JWTPayload): TokenVerificationError {
  if (cause instanceof errors.JWTExpired) {
    return new TokenVerificationError('expired', 'the token has expired', claims, cause);
  }
  if (cause instanceof errors.JWSSignatureVerificationFailed || cause instanceof errors.JWKSNoMatchingKey) {
    return new TokenVerificationError('signature', 'the token signature does not verify', claims, cause);
  }
  // jose reports a failed JWKS download as a plain JOSEError (ERR_JOSE_GENERIC) or the fetch's own error.
  if (
    !(cause instanceof errors.JOSEError) ||
    cause instanceof errors.JWKSTimeout ||
    cause instanceof errors.JWKSInvalid ||
    cause.code === 'ERR_JOSE_GENERIC'
  ) {
    return new TokenVerificationError(
      'unreachable',
      `could not fetch the issuer's keys: ${String(cause)}`,
      claims,
      cause,
    );
  }
  return new TokenVerificationError('malformed', `the token is not valid: ${cause.message}`, claims, cause);
}
