import { connect } from 'node:net';
import { proxyForUrl } from '../../../aws/network/proxyForUrl.js';
import { maskProxyUrl } from '../../../aws/network/proxyUrl.js';
import type { TlsIssuer } from '../../../aws/network/tlsInspection.js';
import { caBundleChoice, readCaBundle } from '../../../aws/network/trust.js';
import { isFedloginError } from '../../../core/errors.js';
import { type Check, fail, ok } from './check.js';

/**
 * doctor's view of the network between fedlogin and the services: the proxy in use (password
 * masked) and whether it answers, the CA bundle, and, per STS endpoint, whether TLS is inspected
 * on the way (the certificate's issuer is not one of the public roots Node ships).
 */
export interface NetworkCheckDeps {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** undefined when a TCP connection to the proxy opens, else why not */
  proxyAnswers?: (proxy: URL, timeoutMs: number) => Promise<string | undefined>;
  /** the issuer of the certificate a host presents (through the proxy, if any) */
  tlsIssuer?: (url: URL, timeoutMs: number) => Promise<TlsIssuer>;
}

/** " through the proxy http://alice:****@proxy:3128" when a request to url goes through one, else "". */
export function throughProxy(url: string): string {
  try {
    const proxy = proxyForUrl(url);
    return proxy ? ` through the proxy ${maskProxyUrl(proxy)}` : '';
  } catch {
    return '';
  }
}

/** The proxy and CA lines, once per run (not per profile); none when neither is set. */
export async function networkChecks(deps: NetworkCheckDeps): Promise<Check[]> {
  const checks: Check[] = [];
  const noProxy = deps.env.no_proxy || deps.env.NO_PROXY;
  let proxy: URL | undefined;
  try {
    // the https proxy in general (a .invalid name is in no NO_PROXY list except "*")
    proxy = proxyForUrl('https://any-host.invalid/');
  } catch (error) {
    if (!isFedloginError(error)) throw error;
    checks.push(fail('proxy', error.message, error.hint ?? null));
  }
  if (proxy) {
    const shown = maskProxyUrl(proxy);
    const bypass = noProxy ? ` (NO_PROXY: ${noProxy})` : '';
    const reason = await (deps.proxyAnswers ?? tcpAnswers)(proxy, deps.timeoutMs);
    checks.push(
      reason === undefined
        ? ok('proxy', `HTTPS requests go through the proxy ${shown}${bypass}; it answers.`)
        : fail(
            'proxy',
            `HTTPS requests go through the proxy ${shown}${bypass}, which does not answer (${reason}).`,
            'Check HTTPS_PROXY / HTTP_PROXY (host and port) and that the proxy runs; unset them to go direct.',
          ),
    );
  }
  const bundle = caBundleChoice(undefined, deps.env);
  if (bundle) {
    try {
      const added = readCaBundle(bundle).length;
      checks.push(
        ok('ca-bundle', `${bundle.source} ${bundle.path} is read (${added} certificates, added to Node's roots).`),
      );
    } catch (error) {
      if (!isFedloginError(error)) throw error;
      checks.push(fail('ca-bundle', error.message, error.hint ?? null));
    }
  }
  return checks;
}

/** Whether TLS to an https URL is inspected on the way: an info line, or undefined when it cannot tell. */
export async function tlsInspectionCheck(
  url: string,
  deps: NetworkCheckDeps,
  profile: string,
): Promise<Check | undefined> {
  const target = new URL(url);
  if (target.protocol !== 'https:') return undefined;
  let seen: TlsIssuer;
  try {
    const inspect = deps.tlsIssuer ?? (await import('../../../aws/network/tlsInspection.js')).tlsIssuer;
    seen = await inspect(target, deps.timeoutMs);
  } catch {
    return undefined;
  }
  if (seen.publicRoot)
    return ok('tls-inspection', `TLS to ${target.host} is not inspected (a public root issued it).`, profile);
  return ok(
    'tls-inspection',
    `TLS to ${target.host} is inspected${throughProxy(url)}: its certificate comes from "${seen.issuer}", not one of the public roots Node ships.`,
    profile,
  );
}

function tcpAnswers(proxy: URL, timeoutMs: number): Promise<string | undefined> {
  const port = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const socket = connect({ host: proxy.hostname.replace(/^\[|\]$/g, ''), port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`no answer within ${timeoutMs / 1000} s`);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
