import { showValue } from '../../core/escapeControl.js';
import { decodeJwtClaims, type JwtClaims } from '../../core/jwtClaims.js';
import type { OidcTokenType } from './settings.js';
import type { OidcTokens } from './tokens.js';

/**
 * Which token of a refresh-token answer the exchange can use. OpenID Connect Core 12.2 lets an IdP
 * renew without a new ID token. Then the access token can stand in, where AWS would accept it as
 * it accepts the ID token: a JWT whose iss is the issuer and whose aud includes the client ID (the
 * audience the role trusts for this client's ID tokens); STS checks its signature and expiry. Else
 * `why` says, for the person, what is missing. Pure.
 */
export type RenewalToken = { use: OidcTokenType; claims?: JwtClaims } | { use: undefined; why: string };

export interface RenewalTokenContext {
  issuer: URL;
  clientId: string;
  tokenType: OidcTokenType;
  /** who cannot do without an ID token (a Cognito identity pool); unset: the access token may stand in */
  idTokenNeededBy?: string | undefined;
  /** seconds since the epoch */
  now: number;
}

const trimSlash = (value: string) => value.replace(/\/+$/, '');

export function renewalToken(tokens: OidcTokens, context: RenewalTokenContext): RenewalToken {
  if (context.tokenType === 'access' || tokens.idToken) return { use: context.tokenType };
  if (context.idTokenNeededBy) return { use: undefined, why: `${context.idTokenNeededBy} needs one` };
  let claims: JwtClaims;
  try {
    claims = decodeJwtClaims(tokens.accessToken, 'access token');
  } catch {
    return { use: undefined, why: 'its access token is not a JWT that AWS could accept instead' };
  }
  const issuer = trimSlash(context.issuer.href);
  if (typeof claims.iss !== 'string' || trimSlash(claims.iss) !== issuer) {
    return {
      use: undefined,
      why: `its access token was issued by ${claims.iss === undefined ? '(no iss)' : showValue(claims.iss)}, not ${issuer}`,
    };
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud === undefined ? [] : [claims.aud];
  if (!audiences.includes(context.clientId)) {
    return {
      use: undefined,
      why: `its access token is for ${audiences.map(showValue).join(' ') || '(no aud)'}, not for the client ID ${context.clientId} that the role trusts`,
    };
  }
  if (typeof claims.exp === 'number' && claims.exp <= context.now) {
    return { use: undefined, why: 'its access token has already expired' };
  }
  return { use: 'access', claims };
}
