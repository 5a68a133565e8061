/**
 * openid, plus offline_access when the IdP says it supports it (so a refresh token can renew the
 * session silently). Pure.
 */
export function defaultScope(scopesSupported: readonly string[] | undefined): string {
  return scopesSupported?.includes('offline_access') ? 'openid offline_access' : 'openid';
}

/** The scope to request: the configured one (openid added when missing), else the default. */
export function requestedScope(configured: string | undefined, scopesSupported: readonly string[] | undefined): string {
  if (configured === undefined) return defaultScope(scopesSupported);
  const scopes = configured.split(/[\s,]+/).filter(Boolean);
  return (scopes.includes('openid') ? scopes : ['openid', ...scopes]).join(' ');
}
