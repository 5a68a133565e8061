import { httpRequest } from '../../aws/network/httpRequest.js';
import { httpTimeoutMs } from '../../core/httpTimeout.js';
import { decodeJwtClaims } from '../../core/jwtClaims.js';
import type { Logger } from '../../core/logger.js';
import type { SecretStore } from '../../store/secretStore.js';
import type { IssuerUrl } from './issuerUrl.js';
import { translateOidcError } from './oidcErrors.js';
import { discoveryKey } from './secretKeys.js';
import type { OidcTokens } from './tokens.js';

/**
 * The silent renewal's refresh-token grant (RFC 6749 section 6) on fedlogin's own node:http layer
 * (proxy, CA bundle, time limit), without openid-client: openid-client and oauth4webapi build
 * fetch Response and Headers objects, whose first use loads undici, a third of a renewal's cost.
 * The interactive sign-in keeps openid-client (discover.ts).
 *
 * The issuer's discovery metadata (token endpoint, client authentication methods) is kept in the
 * secret store for DISCOVERY_TTL_MS; a grant that fails for any reason but invalid_grant drops it,
 * so the next run discovers again. A discovery document this module cannot use is handed to
 * openid-client's discovery, which words the error exactly as a sign-in would.
 */

/** The discovery fields a refresh grant needs. */
export interface RefreshMetadata {
  issuer: string;
  token_endpoint: string;
  token_endpoint_auth_methods_supported?: string[] | undefined;
}

export const DISCOVERY_TTL_MS = 24 * 3600_000;

export interface RefreshGrantOptions {
  issuer: IssuerUrl;
  clientId: string;
  clientSecret?: string | undefined;
  refreshToken: string;
  /** the profile's ca_bundle (AWS_CA_BUNDLE wins over it) */
  caBundle?: string | undefined;
  /** where the discovery metadata is kept between runs */
  secrets: SecretStore;
  logger: Logger;
  /** seconds since the epoch; default now */
  now?: number;
}

export interface RefreshGrantResult {
  tokens: OidcTokens;
  /** the access token's expires_in, seconds */
  expiresIn?: number | undefined;
}

const trimSlash = (value: string) => value.replace(/\/+$/, '');
const WELL_KNOWN = '/.well-known/openid-configuration';

function usableMetadata(value: unknown, issuer: IssuerUrl): RefreshMetadata | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const m = value as Partial<RefreshMetadata>;
  if (typeof m.issuer !== 'string' || trimSlash(m.issuer) !== trimSlash(issuer.url.href)) return undefined;
  if (typeof m.token_endpoint !== 'string') return undefined;
  let endpoint: URL;
  try {
    endpoint = new URL(m.token_endpoint);
  } catch {
    return undefined;
  }
  // plain http only where the issuer itself may use it (a loopback issuer)
  if (endpoint.protocol !== 'https:' && !(endpoint.protocol === 'http:' && issuer.insecure)) return undefined;
  const methods = Array.isArray(m.token_endpoint_auth_methods_supported)
    ? m.token_endpoint_auth_methods_supported.filter((x): x is string => typeof x === 'string')
    : undefined;
  return { issuer: m.issuer, token_endpoint: m.token_endpoint, token_endpoint_auth_methods_supported: methods };
}

async function keptMetadata(options: RefreshGrantOptions): Promise<RefreshMetadata | undefined> {
  const raw = await options.secrets.get(discoveryKey(options.issuer.url));
  if (!raw) return undefined;
  try {
    const { fetchedAt, metadata } = JSON.parse(raw) as { fetchedAt?: unknown; metadata?: unknown };
    if (typeof fetchedAt !== 'number' || Math.abs(Date.now() - fetchedAt) > DISCOVERY_TTL_MS) return undefined;
    return usableMetadata(metadata, options.issuer);
  } catch {
    return undefined;
  }
}

/** Discovery on the node:http layer; what it cannot use goes to openid-client for the exact error. */
async function fetchMetadata(options: RefreshGrantOptions): Promise<RefreshMetadata> {
  const started = performance.now();
  const url = `${trimSlash(options.issuer.url.href)}${WELL_KNOWN}`;
  let found: RefreshMetadata | undefined;
  try {
    const response = await httpRequest(url, {
      headers: { accept: 'application/json' },
      caBundle: options.caBundle,
      timeoutMs: httpTimeoutMs(10_000),
    });
    if (response.status === 200) found = usableMetadata(JSON.parse(response.body.toString('utf8')), options.issuer);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw translateOidcError(error, options.issuer.url, 'discovery');
  }
  if (!found) {
    // openid-client's discovery throws the same error a sign-in would; if it is content, so be it
    const { discover } = await import('./discover.js');
    const { config } = await discover({
      issuer: options.issuer,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      logger: options.logger,
      caBundle: options.caBundle,
    });
    found = usableMetadata(config.serverMetadata(), options.issuer);
    if (!found) {
      throw translateOidcError(
        new Error(`no usable token_endpoint (https${options.issuer.insecure ? ' or loopback http' : ''})`),
        options.issuer.url,
        'discovery',
      );
    }
  }
  options.logger.debug(
    `oidc timing: discovery of ${options.issuer.url.href} took ${Math.round(performance.now() - started)} ms`,
  );
  await options.secrets.set(
    discoveryKey(options.issuer.url),
    JSON.stringify({ fetchedAt: Date.now(), metadata: found }),
  );
  return found;
}

/** RFC 6749 2.3.1: the client id and secret are form-encoded before they are joined for Basic. */
const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);

/**
 * The client authentication a confidential client uses: client_secret_post when the IdP lists it
 * (what openid-client chose, so IdPs that work today keep working), else client_secret_basic
 * (RFC 8414's default when the list is absent; every authorization server must support it for
 * clients with a password, RFC 6749 2.3.1).
 */
export function clientAuthMethod(
  metadata: Pick<RefreshMetadata, 'token_endpoint_auth_methods_supported'>,
): 'client_secret_post' | 'client_secret_basic' {
  return metadata.token_endpoint_auth_methods_supported?.includes('client_secret_post')
    ? 'client_secret_post'
    : 'client_secret_basic';
}

/** The form and headers of the grant (RFC 6749 section 6). Pure. */
export function refreshRequest(
  metadata: RefreshMetadata,
  options: Pick<RefreshGrantOptions, 'clientId' | 'clientSecret' | 'refreshToken'>,
): { body: string; headers: Record<string, string> } {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: options.refreshToken });
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
    accept: 'application/json',
  };
  if (!options.clientSecret) {
    form.set('client_id', options.clientId);
  } else if (clientAuthMethod(metadata) === 'client_secret_post') {
    form.set('client_id', options.clientId);
    form.set('client_secret', options.clientSecret);
  } else {
    const pair = `${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  return { body: form.toString(), headers };
}

interface TokenAnswer {
  error?: unknown;
  error_description?: unknown;
  access_token?: unknown;
  token_type?: unknown;
  id_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
}

/** An error shaped like openid-client's, so translateOidcError words it the same way. */
const invalid = (message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), extra);

/** oauth4webapi's default tolerance for clock differences */
const CLOCK_TOLERANCE_SECONDS = 30;

/** The checks openid-client makes on a refresh answer's ID token (it came over TLS from the token endpoint). */
function checkIdToken(idToken: string, options: RefreshGrantOptions, now: number): void {
  let claims: ReturnType<typeof decodeJwtClaims>;
  try {
    claims = decodeJwtClaims(idToken, 'ID token');
  } catch {
    throw invalid('the id_token is not a JWT');
  }
  if (typeof claims.iss !== 'string' || trimSlash(claims.iss) !== trimSlash(options.issuer.url.href)) {
    throw invalid('unexpected JWT "iss" (issuer) claim value', {
      code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
      cause: { claim: 'iss' },
    });
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(options.clientId)) throw invalid('unexpected JWT "aud" (audience) claim value');
  if (claims.azp !== undefined && claims.azp !== options.clientId)
    throw invalid('unexpected JWT "azp" (authorized party) claim value');
  if (typeof claims.exp !== 'number' || claims.exp <= now - CLOCK_TOLERANCE_SECONDS)
    throw invalid('unexpected JWT "exp" (expiration time) claim value, expiration is past current timestamp');
  if (typeof claims.iat !== 'number') throw invalid('JWT "iat" (issued at) claim missing');
  if (typeof claims.sub !== 'string') throw invalid('JWT "sub" (subject) claim missing');
}

async function postGrant(metadata: RefreshMetadata, options: RefreshGrantOptions) {
  const request = refreshRequest(metadata, options);
  const response = await httpRequest(metadata.token_endpoint, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    caBundle: options.caBundle,
    timeoutMs: httpTimeoutMs(10_000),
  });
  return { status: response.status, body: response.body.toString('utf8') };
}

/** Failures before any request reached a server: the refresh token was not presented. */
const neverProcessed = (error: unknown) =>
  ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(String((error as { code?: unknown } | undefined)?.code));

/**
 * Renews a sign-in with its refresh token. invalid_grant (expired, revoked, rotated elsewhere) comes
 * back as undefined, meaning "sign in again"; anything else is a FedloginError worded as before.
 */
export async function refreshGrant(options: RefreshGrantOptions): Promise<RefreshGrantResult | undefined> {
  const { logger } = options;
  const issuer = options.issuer.url;
  const kept = await keptMetadata(options);
  let metadata = kept ?? (await fetchMetadata(options));
  const started = performance.now();
  let answer: TokenAnswer;
  let status: number;
  try {
    let sent = await postGrant(metadata, options).catch((error: unknown) => {
      // a kept token endpoint that is gone, where the grant cannot have been processed (so the
      // refresh token was not used up): discover again and try once more
      if (!kept || !neverProcessed(error)) throw error;
      return undefined;
    });
    if (!sent || (kept && (sent.status === 404 || sent.status === 405 || sent.status === 410))) {
      logger.debug('the kept token endpoint is gone; discovering the issuer again');
      await options.secrets.delete(discoveryKey(issuer));
      metadata = await fetchMetadata(options);
      sent = await postGrant(metadata, options);
    }
    status = sent.status;
    try {
      answer = JSON.parse(sent.body) as TokenAnswer;
      if (!answer || typeof answer !== 'object') throw new SyntaxError('not an object');
    } catch {
      throw invalid(`the token endpoint answered HTTP ${status} without a JSON body`, { status });
    }
  } catch (error) {
    await options.secrets.delete(discoveryKey(issuer));
    throw translateOidcError(error, issuer, 'refresh');
  }
  logger.debug(`oidc timing: refresh token grant took ${Math.round(performance.now() - started)} ms`);
  for (const name of ['access_token', 'id_token', 'refresh_token'] as const) {
    const value = answer[name];
    if (typeof value === 'string') logger.addSecret(value);
  }
  if (status !== 200 || typeof answer.error === 'string') {
    if (answer.error === 'invalid_grant') {
      logger.debug('the stored refresh token was refused (invalid_grant)');
      return undefined;
    }
    await options.secrets.delete(discoveryKey(issuer));
    throw translateOidcError(
      typeof answer.error === 'string'
        ? {
            error: answer.error,
            error_description: typeof answer.error_description === 'string' ? answer.error_description : undefined,
            status,
          }
        : invalid(`unexpected HTTP status code ${status}`, { status }),
      issuer,
      'refresh',
    );
  }
  try {
    if (typeof answer.access_token !== 'string' || !answer.access_token)
      throw invalid('"response" body "access_token" property must be a string');
    if (typeof answer.token_type !== 'string') throw invalid('"response" body "token_type" property must be a string');
    if (answer.id_token !== undefined && typeof answer.id_token !== 'string')
      throw invalid('"response" body "id_token" property must be a string');
    if (answer.refresh_token !== undefined && typeof answer.refresh_token !== 'string')
      throw invalid('"response" body "refresh_token" property must be a string');
    if (answer.id_token) checkIdToken(answer.id_token, options, options.now ?? Math.floor(Date.now() / 1000));
  } catch (error) {
    // a status keeps translateOidcError from looking for a fetch Response (which would load undici)
    throw translateOidcError(Object.assign(error as Error, { status }), issuer, 'refresh');
  }
  return {
    tokens: {
      accessToken: answer.access_token,
      idToken: (answer.id_token as string | undefined) || undefined,
      refreshToken: (answer.refresh_token as string | undefined) || undefined,
    },
    expiresIn: typeof answer.expires_in === 'number' ? answer.expires_in : undefined,
  };
}
