import { usageError } from '../../core/errors.js';
import { decodeJwtClaims, describeClaims } from '../../core/jwtClaims.js';
import type { Logger } from '../../core/logger.js';
import type { OidcTokens } from '../oidc/tokens.js';
import { normalizeLoginKey } from './loginSpec.js';
import type { ReadLogins } from './readLogins.js';

/**
 * The Cognito login key of an OIDC issuer: its host and path, without scheme or trailing slash
 * (https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC -> cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC),
 * which Cognito compares with the ID token's iss. Pure.
 */
export function issuerLoginKey(issuer: URL, origin: string): string {
  return normalizeLoginKey(issuer.href, origin);
}

/** Adds an OIDC sign-in's ID token under its issuer's key to the logins read from files. */
export function withOidcLogin(read: ReadLogins, key: string, tokens: OidcTokens, logger: Logger): ReadLogins {
  const token = tokens.idToken;
  if (!token) {
    throw usageError('OIDC_NO_ID_TOKEN', 'The identity provider returned no ID token, and Cognito needs one.', {
      hint: 'Make sure the scope includes openid.',
    });
  }
  const claims = decodeJwtClaims(token, 'ID token');
  logger.debug(`login ${key} from the OIDC sign-in: ${describeClaims(claims)}`);
  return {
    logins: { ...read.logins, [key]: token },
    descriptions: [...read.descriptions, `${key}: ${describeClaims(claims)}`],
    who: [...read.who, `${key}|${claims.iss ?? ''}|${claims.sub ?? ''}`],
  };
}
