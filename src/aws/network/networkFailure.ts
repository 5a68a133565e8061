import { type FedloginError, isFedloginError, refusedError, unreachableError, usageError } from '../../core/errors.js';
import { proxyForUrl } from './proxyForUrl.js';
import { maskProxyUrl } from './proxyUrl.js';
import { tlsProblem, tlsProblemFix, tlsProblemText } from './tlsFailure.js';
import type { CaBundleChoice } from './trust.js';

/**
 * The failures that are about the network between fedlogin and a host rather than the host
 * itself, each with its own line: a certificate that was not accepted (which host, what failed,
 * which setting fixes it), a proxy that cannot be reached, and a proxy that says no. Shared by the
 * node:http layer and the AWS SDK clients' error translation (sdkNetworkFailure). The proxy is
 * always shown with its password masked.
 */
export interface NetworkContext {
  url: URL;
  proxy?: URL | undefined;
  caBundle?: CaBundleChoice | undefined;
}

/** connect-time errors: through a proxy, these are about the proxy (the tunnel answers with a status) */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface NodeError {
  code?: unknown;
  hostname?: unknown;
  port?: unknown;
  cause?: unknown;
}

export function networkFailure(error: unknown, context: NetworkContext): FedloginError | undefined {
  if (isFedloginError(error)) return error;
  const host = context.url.host;
  const tls = tlsProblem(error);
  if (tls) {
    const through = context.proxy ? ` (through the proxy ${maskProxyUrl(context.proxy)})` : '';
    return usageError(
      'TLS_CERTIFICATE_REJECTED',
      `The TLS certificate of ${host}${through} was not accepted: ${tlsProblemText(tls.problem)} (${tls.code}).`,
      { hint: tlsProblemFix(tls.problem, context.caBundle?.path), cause: error },
    );
  }
  if (context.proxy && isProxyConnectError(error, context.proxy)) {
    const code = connectCode(error);
    return unreachableError(
      'PROXY_UNREACHABLE',
      `Could not reach the proxy ${maskProxyUrl(context.proxy)} (${code}) to connect to ${host}.`,
      {
        hint: 'Check HTTPS_PROXY / HTTP_PROXY (host and port), or list the host in NO_PROXY if it is reached directly.',
        cause: error,
      },
    );
  }
  return undefined;
}

/** A proxy's own answer to the CONNECT (or to a forwarded http request) that is not a success. */
export function proxyStatusFailure(
  status: number,
  context: NetworkContext & { proxy: URL },
): FedloginError | undefined {
  const proxy = maskProxyUrl(context.proxy);
  const host = context.url.host;
  if (status === 407) {
    const withCredentials = Boolean(context.proxy.username || context.proxy.password);
    return refusedError(
      'PROXY_AUTH_REFUSED',
      `The proxy ${proxy} ${withCredentials ? 'refused the user name and password in the proxy URL' : 'asks for a user name and password'} (HTTP 407).`,
      {
        hint: withCredentials
          ? 'Check the user name and password in HTTPS_PROXY; percent-encode special characters (@ is %40, : is %3A).'
          : 'Put them in the proxy URL: HTTPS_PROXY=http://USER:PASSWORD@HOST:PORT (percent-encoded).',
      },
    );
  }
  if (status >= 500) {
    return unreachableError('PROXY_UNREACHABLE', `The proxy ${proxy} could not connect to ${host} (HTTP ${status}).`, {
      hint: 'Check the host name and that the proxy may reach it; list the host in NO_PROXY if it is reached directly.',
    });
  }
  if (status >= 400) {
    return refusedError('PROXY_REFUSED', `The proxy ${proxy} refused to connect to ${host} (HTTP ${status}).`, {
      hint: 'Ask your network team to allow this host through the proxy, or list it in NO_PROXY if it is reached directly.',
    });
  }
  return undefined;
}

/**
 * For the AWS SDK clients' error translation (stsErrors, cognitoErrors, and any client added
 * later): the network failure behind an SDK error calling `endpoint`, or undefined. The SDK sees
 * a proxy's refusal of the tunnel as an HTTP answer from the service; 407 can only be the proxy.
 */
export function sdkNetworkFailure(
  error: unknown,
  endpoint: string | undefined,
  caBundle?: CaBundleChoice,
): FedloginError | undefined {
  if (!endpoint) return undefined;
  let url: URL;
  let proxy: URL | undefined;
  try {
    url = new URL(endpoint);
    proxy = proxyForUrl(url);
  } catch (problem) {
    return isFedloginError(problem) ? problem : undefined;
  }
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  if (proxy && status === 407) return proxyStatusFailure(407, { url, proxy });
  return networkFailure(error, { url, proxy, caBundle: caBundle ?? envCaBundle() });
}

function envCaBundle(): CaBundleChoice | undefined {
  return process.env.AWS_CA_BUNDLE ? { path: process.env.AWS_CA_BUNDLE, source: 'AWS_CA_BUNDLE' } : undefined;
}

function connectCode(error: unknown): string {
  for (let e = error as NodeError | undefined, depth = 0; e && depth < 5; depth++, e = e.cause as NodeError) {
    if (typeof e.code === 'string' && CONNECT_CODES.has(e.code)) return e.code;
  }
  return 'connection failed';
}

/** A connect-time error whose address is the proxy's (by host name, or by port when it is an address). */
function isProxyConnectError(error: unknown, proxy: URL): boolean {
  const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
  for (let e = error as NodeError | undefined, depth = 0; e && depth < 5; depth++, e = e.cause as NodeError) {
    if (typeof e.code !== 'string' || !CONNECT_CODES.has(e.code)) continue;
    if (e.hostname !== undefined) return e.hostname === proxy.hostname.replace(/^\[|\]$/g, '');
    return e.port === undefined || e.port === proxyPort;
  }
  return false;
}
