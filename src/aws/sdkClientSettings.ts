import { httpTimeoutMs } from '../core/httpTimeout.js';
import type { Logger } from '../core/logger.js';
import { proxyAgentFor } from './network/agents.js';
import { anyProxySet } from './network/proxyForUrl.js';
import { caBundleChoice, trustedCas } from './network/trust.js';
import type { RetryPolicy } from './retry.js';

export interface SdkTimeouts {
  connectTimeoutMs?: number | undefined;
  requestTimeoutMs?: number | undefined;
  /**
   * The URL the client calls (its `endpoint`): NO_PROXY is matched against it. Without it, the
   * https proxy applies to every call of the client (NO_PROXY=* still turns it off).
   */
  endpoint?: string | undefined;
  /** the profile's ca_bundle; AWS_CA_BUNDLE wins over it (botocore's order) */
  caBundle?: string | undefined;
}

/** The same options under the name that says what they are for. */
export type SdkClientOptions = SdkTimeouts;

/** What every AWS client of fedlogin's is made with (stsClient, cognitoClient, ssoOidcClient, ssoClient). */
export interface AwsClientOptions {
  region: string;
  endpoint: string;
  logger: Logger;
  retry?: RetryPolicy;
  /** per-attempt time limits */
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** the profile's ca_bundle (AWS_CA_BUNDLE wins over it); passed on to sdkClientSettings */
  caBundle?: string | undefined;
}

/**
 * What every AWS SDK client fedlogin makes shares: one attempt (fedlogin retries itself, see
 * callWithRetries.ts), timeouts that really end a hung request, and the network settings from the
 * environment (HTTPS_PROXY/HTTP_PROXY/NO_PROXY, AWS_CA_BUNDLE or the profile's ca_bundle; see
 * src/aws/network/). Nothing more to pass: any client built with these is covered. With no proxy
 * and no bundle set, the handler options are plain (nothing extra loads); with a proxy, the
 * handler gets its options from a provider, because the proxy agents are ES modules that load
 * only then.
 */
export function sdkClientSettings(settings: SdkTimeouts) {
  const timeouts = {
    connectionTimeout: settings.connectTimeoutMs ?? httpTimeoutMs(5_000),
    requestTimeout: settings.requestTimeoutMs ?? httpTimeoutMs(15_000),
    // without this the SDK only logs a warning and keeps waiting
    throwOnRequestTimeout: true,
  };
  // a plain-http endpoint (a local test double) needs no CA list
  const plainHttp = settings.endpoint?.startsWith('http:') === true;
  const ca = plainHttp ? undefined : trustedCas(caBundleChoice(settings.caBundle));
  const direct = { ...timeouts, ...(ca ? { httpsAgent: { keepAlive: true, ca } } : {}) };
  if (!anyProxySet()) return { maxAttempts: 1, requestHandler: direct };
  const target = new URL(settings.endpoint ?? 'https://amazonaws.com');
  // NodeHttpHandler.create(fn) takes a function as its options provider; the SDK's types do not say so
  const provider = async () => {
    const routed = await proxyAgentFor(target, ca);
    if (!routed) return direct;
    return { ...direct, [target.protocol === 'https:' ? 'httpsAgent' : 'httpAgent']: routed.agent };
  };
  return { maxAttempts: 1, requestHandler: provider as unknown as typeof direct };
}
