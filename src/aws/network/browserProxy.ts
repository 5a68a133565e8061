import { noProxyEntries, proxyForUrl } from './proxyForUrl.js';

/** Playwright's launch `proxy` option. */
export interface BrowserProxy {
  server: string;
  bypass?: string;
  username?: string;
  password?: string;
}

/**
 * The proxy for the driven browser (SAML sign-in), from the same environment as every other call:
 * the https proxy as the server (with the credentials of its URL, which Playwright answers the
 * proxy's 407 with), and NO_PROXY as the bypass list (Chromium reads hosts, `.domain` and
 * `host:port` alike). The browser visits more hosts than the start URL (the IdP's own redirects),
 * so the proxy is chosen for https in general; NO_PROXY=* means no proxy.
 */
export function browserProxy(env: NodeJS.ProcessEnv = process.env): BrowserProxy | undefined {
  // a name under .invalid is never in anyone's NO_PROXY list except through "*"
  const proxy = proxyForUrl('https://any-host.invalid/');
  if (!proxy) return undefined;
  // Chromium matches `corp.example` exactly and `.corp.example` for the hosts under it: both, as for every other call
  const noProxy = noProxyEntries(env)
    .flatMap((entry) => (entry.startsWith('.') || entry.startsWith('*') ? [entry] : [entry, `.${entry}`]))
    .join(',');
  return {
    server: `${proxy.protocol}//${proxy.host}`,
    ...(noProxy ? { bypass: noProxy } : {}),
    ...(proxy.username ? { username: decodeURIComponent(proxy.username) } : {}),
    ...(proxy.password ? { password: decodeURIComponent(proxy.password) } : {}),
  };
}
