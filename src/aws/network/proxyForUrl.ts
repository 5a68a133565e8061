import { getProxyForUrl } from 'proxy-from-env';
import { usageError } from '../../core/errors.js';
import { maskProxyUrl, PROXY_VARIABLES } from './proxyUrl.js';

/**
 * Which proxy a request to `url` goes through, read from the environment as the AWS tools do:
 * HTTPS_PROXY for https URLs, HTTP_PROXY for http ones (ALL_PROXY as a fallback), each in either
 * case with the lowercase one winning when both are set (botocore's order), and NO_PROXY (either
 * case) listing hosts, `.domain` suffixes, `host:port` and `*` that go direct. proxy-from-env does
 * the reading and matching; this adds botocore's default scheme (a proxy written without one,
 * `proxy.corp:3128`, is a plain http proxy), botocore's (and Go's) reading of a NO_PROXY entry
 * written without a leading dot (`corp.example` covers the hosts under it too; proxy-from-env
 * matches it exactly) and one clear error for a value that is not a URL.
 * proxy-from-env reads process.env, so this does too.
 */
export function proxyForUrl(url: string | URL): URL | undefined {
  const target = new URL(String(url));
  const chosen = getProxyForUrl(target.href);
  if (!chosen || coversAsDomain(noProxyEntries(), target)) return undefined;
  const written = PROXY_VARIABLES.map((name) => process.env[name]).find((value) => value && chosen.endsWith(value));
  // proxy-from-env gives a scheme-less value the target's scheme; botocore (and curl) mean http://
  const value = written && !written.includes('://') ? `http://${written}` : chosen;
  let proxy: URL;
  try {
    proxy = new URL(value);
  } catch {
    throw invalidProxy(value);
  }
  if ((proxy.protocol !== 'http:' && proxy.protocol !== 'https:') || !proxy.hostname) throw invalidProxy(value);
  return proxy;
}

/** The NO_PROXY list (the lowercase variable wins, as for the proxies), one entry per item. */
export function noProxyEntries(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.no_proxy || env.NO_PROXY || '')
    .split(/[,\s]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** Whether an entry without a leading dot or star names a domain `target` is under (with its port, if the entry has one). */
function coversAsDomain(entries: string[], target: URL): boolean {
  const host = target.hostname.toLowerCase();
  const port = target.port || DEFAULT_PORTS[target.protocol] || '';
  return entries.some((entry) => {
    if (entry.startsWith('.') || entry.startsWith('*')) return false;
    const [domain, entryPort] = entry.split(/:(?=\d+$)/);
    return Boolean(domain) && host.endsWith(`.${domain}`) && (entryPort === undefined || entryPort === port);
  });
}

/** True when any proxy variable is set: the only case where the proxy agents need loading. */
export function anyProxySet(env: NodeJS.ProcessEnv = process.env): boolean {
  return PROXY_VARIABLES.some((name) => Boolean(env[name]));
}

function invalidProxy(value: string) {
  return usageError(
    'PROXY_SETTING_INVALID',
    `The proxy setting ${maskProxyUrl(value)} is not a usable proxy URL (http://HOST:PORT or https://HOST:PORT).`,
    {
      hint: 'Set HTTPS_PROXY (and HTTP_PROXY) to http://[USER:PASSWORD@]HOST:PORT, the password percent-encoded.',
    },
  );
}
