import { decodeJwtClaims } from '../../core/jwtClaims.js';
import { type RenewalTokenContext, renewalToken } from './renewalToken.js';
import type { OidcTokenType } from './settings.js';
import type { OidcTokens } from './tokens.js';

/**
 * The tokens of a sign-in's last refresh-token renewal, kept in the secret store (never the refresh
 * token: that has its own entry) so that every other profile of the same sign-in (issuer, client,
 * scope) exchanges them instead of running a refresh grant of its own: twelve roles renewed after
 * expiry cost one refresh grant and twelve AssumeRoleWithWebIdentity calls. A kept token is used
 * until KEPT_MARGIN_SECONDS before its expiry, never past it. Pure.
 */
export interface KeptTokens {
  idToken?: string | undefined;
  accessToken: string;
  /** seconds since the epoch, from expires_in (for an opaque access token) */
  accessExpiresAt?: number | undefined;
}

/** A kept token stops being handed out this long before its expiry (STS must still accept it). */
export const KEPT_MARGIN_SECONDS = 60;

export function keptTokensValue(tokens: OidcTokens, expiresIn: number | undefined, now: number): string {
  const kept: KeptTokens = {
    idToken: tokens.idToken,
    accessToken: tokens.accessToken,
    accessExpiresAt: typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? now + expiresIn : undefined,
  };
  return JSON.stringify(kept);
}

export function parseKeptTokens(value: string | undefined): KeptTokens | undefined {
  if (!value) return undefined;
  try {
    const v = JSON.parse(value) as Partial<KeptTokens>;
    if (typeof v.accessToken !== 'string') return undefined;
    return {
      accessToken: v.accessToken,
      idToken: typeof v.idToken === 'string' ? v.idToken : undefined,
      accessExpiresAt: typeof v.accessExpiresAt === 'number' ? v.accessExpiresAt : undefined,
    };
  } catch {
    return undefined;
  }
}

function jwtExpiry(token: string | undefined): number | undefined {
  if (!token) return undefined;
  try {
    const { exp } = decodeJwtClaims(token);
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The kept token this profile's exchange can use now (the same choice as for a fresh renewal,
 * renewalToken.ts), with its expiry; undefined when none is usable or it expires within the margin.
 */
export function usableKeptTokens(
  kept: KeptTokens,
  context: RenewalTokenContext,
): { tokens: OidcTokens; use: OidcTokenType; expiresAt: number } | undefined {
  const choice = renewalToken(kept, context);
  if (!choice.use) return undefined;
  const expiresAt =
    choice.use === 'id' ? jwtExpiry(kept.idToken) : (jwtExpiry(kept.accessToken) ?? kept.accessExpiresAt);
  if (expiresAt === undefined || expiresAt - KEPT_MARGIN_SECONDS <= context.now) return undefined;
  return { tokens: { idToken: kept.idToken, accessToken: kept.accessToken }, use: choice.use, expiresAt };
}
