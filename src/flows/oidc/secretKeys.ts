import { createHash } from 'node:crypto';

const digest = (parts: string[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);

/** Normalised so that https://idp/ and https://idp name the same issuer. */
const issuerId = (issuer: URL) => issuer.href.replace(/\/+$/, '');

/**
 * The secret-store key of a refresh token: one per issuer, client and configured scope (not per
 * profile, so profiles that share a sign-in share its renewal). Keys are not secret; values are.
 */
export function refreshTokenKey(issuer: URL, clientId: string, scope: string | undefined): string {
  return `oidc-refresh-v1-${digest([issuerId(issuer), clientId, scope ?? '(default)'])}`;
}

/** Where a confidential client's secret may be kept instead of FEDLOGIN_OIDC_CLIENT_SECRET. */
export function clientSecretKey(issuer: URL, clientId: string): string {
  return `oidc-client-secret-v1-${digest([issuerId(issuer), clientId])}`;
}

/**
 * Where the ID token (and access token) of the last refresh-token renewal of a sign-in are kept for
 * their validity, so that the other profiles of the same sign-in reuse them instead of running a
 * refresh grant each (keptTokens.ts). Same parts as the refresh token's key.
 */
export function keptTokensKey(issuer: URL, clientId: string, scope: string | undefined): string {
  return `oidc-kept-v1-${digest([issuerId(issuer), clientId, scope ?? '(default)'])}`;
}

/** An issuer's discovery metadata as last fetched (not secret; kept with the sign-in's other entries). */
export function discoveryKey(issuer: URL): string {
  return `oidc-discovery-v1-${digest([issuerId(issuer)])}`;
}
