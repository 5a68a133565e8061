import type { ClientAuth, Configuration } from 'openid-client';
import { oidcFetch } from '../../aws/network/oidcFetch.js';
import { httpTimeoutMs } from '../../core/httpTimeout.js';
import type { Logger } from '../../core/logger.js';
import type { IssuerUrl } from './issuerUrl.js';
import { translateOidcError } from './oidcErrors.js';
import { clientAuthMethod } from './refreshGrant.js';

/**
 * A confidential client authenticates as the discovery metadata allows, the same choice the silent
 * renewal makes (refreshGrant.ts): client_secret_post when listed, else client_secret_basic.
 */
function clientSecretAuth(oidc: typeof import('openid-client'), secret: string): ClientAuth {
  return (as, client, body, headers) =>
    (clientAuthMethod(as) === 'client_secret_post' ? oidc.ClientSecretPost(secret) : oidc.ClientSecretBasic(secret))(
      as,
      client,
      body,
      headers,
    );
}

export interface DiscoverOptions {
  issuer: IssuerUrl;
  clientId: string;
  clientSecret?: string | undefined;
  logger: Logger;
  /** per request, seconds */
  timeoutSeconds?: number;
  /** the profile's ca_bundle (AWS_CA_BUNDLE wins over it) */
  caBundle?: string | undefined;
}

/**
 * OpenID Provider discovery with openid-client (loaded lazily: credential-process cache hits never
 * pay for it). Plain http is allowed only for a loopback issuer, which parseIssuerUrl decided.
 * Every call openid-client makes with this configuration (discovery, token, device, refresh) goes
 * through fedlogin's node:http layer (proxy, CA bundle), never Node's global fetch.
 */
export async function discover(
  options: DiscoverOptions,
): Promise<{ config: Configuration; oidc: typeof import('openid-client') }> {
  const oidc = await import('openid-client');
  const started = performance.now();
  try {
    const config = await oidc.discovery(
      options.issuer.url,
      options.clientId,
      options.clientSecret ? { client_secret: options.clientSecret } : undefined,
      options.clientSecret ? clientSecretAuth(oidc, options.clientSecret) : oidc.None(),
      {
        execute: options.issuer.insecure ? [oidc.allowInsecureRequests] : [],
        [oidc.customFetch]: oidcFetch({ caBundle: options.caBundle }),
        timeout: options.timeoutSeconds ?? Math.ceil(httpTimeoutMs(10_000) / 1000),
      },
    );
    options.logger.debug(
      `oidc timing: discovery of ${options.issuer.url.href} took ${Math.round(performance.now() - started)} ms`,
    );
    return { config, oidc };
  } catch (error) {
    throw translateOidcError(error, options.issuer.url, 'discovery');
  }
}
