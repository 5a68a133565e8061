/**
 * Proxy URLs as people write them in HTTPS_PROXY and friends, made safe to show: the password
 * (percent-encoded in the URL, as curl and the AWS tools take it) is never printed. No imports, so
 * the CLI's start-up can register the passwords with the logger at no cost.
 */

/** The variables that name a proxy, in the order proxy-from-env reads them (lowercase first). */
export const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'];

/** The proxy URL with its password replaced by ****, e.g. http://alice:****@proxy.corp:3128 */
export function maskProxyUrl(proxy: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(proxy));
  } catch {
    // not a URL: hide everything between "//" (or the start) and the last "@"
    return String(proxy).replace(/^((?:[a-z][a-z0-9+.-]*:)?\/\/)?[^/]*@/i, (_m, scheme = '') => `${scheme}****@`);
  }
  if (url.password) url.password = '****';
  // URL.href adds a "/" to a bare origin; a proxy is written without one
  return url.pathname === '/' && !url.search ? url.href.slice(0, -1) : url.href;
}

/** The passwords in every proxy variable, as written and decoded, for the logger's redaction. */
export function proxyPasswords(env: NodeJS.ProcessEnv): string[] {
  const passwords = new Set<string>();
  for (const name of PROXY_VARIABLES) {
    const value = env[name];
    if (!value?.includes('@')) continue;
    try {
      const { password } = new URL(value.includes('://') ? value : `http://${value}`);
      if (!password) continue;
      passwords.add(password);
      passwords.add(decodeURIComponent(password));
    } catch {
      // not a URL: proxyForUrl reports it; redact what sits between the last ":" and "@"
      const raw = /:([^:@/]+)@[^@]*$/.exec(value)?.[1];
      if (raw) passwords.add(raw);
    }
  }
  return [...passwords];
}
