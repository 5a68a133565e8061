import { usageError } from './errors.js';
import { showValue } from './escapeControl.js';

/** The non-secret claims fedlogin shows when it talks about a token. */
export interface JwtClaims {
  iss?: string;
  aud?: string | string[];
  sub?: string;
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
}

/**
 * Decodes a JWT's payload without verifying it (STS verifies; fedlogin only describes the token
 * and derives defaults from it). Pure; throws a usage error, never echoing the token, when the
 * value is not a JWT.
 */
export function decodeJwtClaims(token: string, what = 'token'): JwtClaims {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts.some((p, i) => i < 2 && p.length === 0)) {
    throw usageError('TOKEN_NOT_JWT', `The ${what} is not a JWT (expected three base64url parts separated by dots).`);
  }
  let payload: unknown;
  try {
    const json = Buffer.from(parts[1]!, 'base64url').toString('utf8');
    payload = JSON.parse(json);
  } catch {
    throw usageError('TOKEN_NOT_JWT', `The ${what} is not a JWT (its payload is not base64url-encoded JSON).`);
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw usageError('TOKEN_NOT_JWT', `The ${what} is not a JWT (its payload is not a JSON object).`);
  }
  return payload as JwtClaims;
}

/**
 * "iss=..., aud=..., sub=..., exp=2026-..." for error lines; never the token itself. The claims are
 * whatever the token's issuer (or its forger) wrote, so each is escaped (escapeControl).
 */
export function describeClaims(claims: JwtClaims): string {
  const aud = Array.isArray(claims.aud) ? claims.aud.map(showValue).join(' ') : claims.aud;
  const exp = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : claims.exp;
  const show = (value: unknown) => (value === undefined || value === null ? '(none)' : showValue(value));
  return [
    `iss=${show(claims.iss)}`,
    `aud=${Array.isArray(claims.aud) ? aud : show(aud)}`,
    `sub=${show(claims.sub)}`,
    `exp=${show(exp)}`,
  ].join(', ');
}
