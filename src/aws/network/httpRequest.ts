import * as http from 'node:http';
import * as https from 'node:https';
import { httpTimeoutMs } from '../../core/httpTimeout.js';
import { MAX_TOKEN_INPUT_BYTES, readStreamCapped } from '../../core/readCapped.js';
import { proxyAgentFor } from './agents.js';
import { networkFailure, proxyStatusFailure } from './networkFailure.js';
import { caBundleChoice, trustedCas } from './trust.js';

/**
 * The one outbound HTTP layer for every call that is not an AWS SDK call (OIDC discovery and token
 * calls, CI token endpoints, the console federation call, doctor's probes): node:http(s), with the
 * proxy from the environment (agents.ts), the CA bundle (trust.ts), a time limit, and a cap on
 * the answer's size. It never follows a redirect. Node's global fetch is not used: its first use
 * loads and compiles undici (about +0.27 s and +40 MiB for one request on Node 20).
 *
 * A certificate that is not accepted, a proxy that cannot be reached and a proxy that says no
 * leave as FedloginErrors (networkFailure.ts); other network errors leave as Node's errors (code
 * ECONNREFUSED...), and the time limit as the signal's reason (a TimeoutError), for the caller to
 * word in its own terms.
 */
export interface HttpRequestOptions {
  method?: string | undefined;
  headers?: Record<string, string> | undefined;
  body?: string | Uint8Array | undefined;
  /** ends the request, e.g. AbortSignal.timeout(ms); else timeoutMs applies */
  signal?: AbortSignal | undefined;
  /** default FEDLOGIN_HTTP_TIMEOUT_MS, else 15 s */
  timeoutMs?: number | undefined;
  /** the largest answer read (default: MAX_TOKEN_INPUT_BYTES, 1 MiB) */
  maxBytes?: number | undefined;
  /** the profile's ca_bundle (AWS_CA_BUNDLE wins over it) */
  caBundle?: string | undefined;
  /** accepted for fetch compatibility; redirects are never followed */
  redirect?: 'error' | 'manual' | undefined;
}

export interface HttpResponse {
  url: string;
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  /** name/value pairs as received (names lowercased) */
  headerPairs: [string, string][];
  body: Buffer;
  text(): Promise<string>;
}

/** The subset of fetch the callers use; both httpRequest and the global fetch fit it (tests may pass either). */
export type HttpFetch = (
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
    redirect?: 'error' | 'manual';
  },
) => Promise<{ status: number; ok: boolean; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export async function httpRequest(input: string | URL, options: HttpRequestOptions = {}): Promise<HttpResponse> {
  const url = new URL(String(input));
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${url.protocol}`);
  const signal = options.signal ?? AbortSignal.timeout(options.timeoutMs ?? httpTimeoutMs(15_000));
  const caBundle = caBundleChoice(options.caBundle);
  let context: Parameters<typeof networkFailure>[1] = { url, caBundle };
  try {
    const ca = trustedCas(caBundle);
    const routed = await proxyAgentFor(url, ca);
    context = { ...context, proxy: routed?.proxy };
    return await send(url, options, signal, routed?.agent, ca, context);
  } catch (error) {
    throw networkFailure(error, context) ?? error;
  }
}

function send(
  url: URL,
  options: HttpRequestOptions,
  signal: AbortSignal,
  agent: http.Agent | undefined,
  ca: string[] | undefined,
  context: Parameters<typeof networkFailure>[1],
): Promise<HttpResponse> {
  const secure = url.protocol === 'https:';
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (body) headers['content-length'] = String(body.length);
  const limit = options.maxBytes ?? MAX_TOKEN_INPUT_BYTES;
  return new Promise<HttpResponse>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    let tunnelStatus: number | undefined;
    const request = (secure ? https : http).request(
      url,
      { method: options.method ?? 'GET', headers, ...(agent ? { agent } : {}), ...(ca && secure ? { ca } : {}) },
      (response) => {
        const status = response.statusCode ?? 0;
        // a tunnel the proxy refused reaches here as the proxy's own answer; so does a plain-http
        // proxy's 407
        const proxyStatus =
          tunnelStatus !== undefined && tunnelStatus !== 200 ? tunnelStatus : status === 407 ? 407 : 0;
        if (context.proxy && proxyStatus) {
          const failure = proxyStatusFailure(proxyStatus, { ...context, proxy: context.proxy });
          if (failure) {
            response.resume();
            return fail(failure);
          }
        }
        readStreamCapped(response, limit).then(({ bytes, complete }) => {
          if (!complete) {
            request.destroy();
            return fail(
              Object.assign(new Error(`the answer of ${url.host} is larger than ${limit} bytes`), {
                code: 'ERESPONSETOOLARGE',
              }),
            );
          }
          signal.removeEventListener('abort', onAbort);
          const pairs: [string, string][] = [];
          for (let i = 0; i < response.rawHeaders.length; i += 2)
            pairs.push([String(response.rawHeaders[i]).toLowerCase(), String(response.rawHeaders[i + 1])]);
          resolve({
            url: url.href,
            status,
            ok: status >= 200 && status < 300,
            headers: {
              get: (name) => {
                const value = response.headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
              },
            },
            headerPairs: pairs,
            body: bytes,
            text: async () => bytes.toString('utf8'),
          });
        }, fail);
      },
    );
    function fail(error: unknown) {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    }
    function onAbort() {
      request.destroy();
      reject(signal.reason);
    }
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('proxyConnect', (connect: { statusCode?: number }) => {
      tunnelStatus = connect.statusCode;
    });
    request.on('error', fail);
    request.end(body);
  });
}
