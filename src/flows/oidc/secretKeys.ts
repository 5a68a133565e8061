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
