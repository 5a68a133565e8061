import { unreachableError } from '../core/errors.js';
import { callWithRetries } from './callWithRetries.js';
import { defaultRetryPolicy } from './retry.js';
import { sdkClientSettings } from './sdkClientSettings.js';
import type { SsoClientOptions } from './ssoEndpoints.js';
import { type SsoCallContext, translateSsoError } from './ssoErrors.js';

/**
 * The only place an SSO-OIDC client is created, in the shape of stsClient.ts: the SDK loads
 * lazily, one attempt per SDK call with fedlogin's own retries, every error translated once
 * (ssoErrors.ts). SSO-OIDC calls are unsigned; SSO-OIDC has no token revocation.
 */
export type SsoOidcOptions = SsoClientOptions;

export interface SsoClientRegistration {
  clientId: string;
  clientSecret: string;
  expiresAt: Date;
}

export interface SsoTokens {
  accessToken: string;
  expiresAt: Date;
  refreshToken?: string | undefined;
}

export interface SsoDeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string | undefined;
  expiresIn: number;
  interval: number;
}

export type SsoTokenGrant =
  | { grantType: 'refresh_token'; refreshToken: string }
  | { grantType: 'authorization_code'; code: string; redirectUri: string; codeVerifier: string };

/** A device-code poll: tokens, or the OAuth answer that says to keep polling. */
export type SsoDevicePoll = SsoTokens | 'authorization_pending' | 'slow_down';

export interface SsoOidcApi {
  readonly endpoint: string;
  readonly region: string;
  registerClient(
    params: {
      clientName: string;
      scopes: string[];
      grantTypes?: string[];
      redirectUris?: string[];
      issuerUrl?: string;
    },
    context: SsoCallContext,
  ): Promise<SsoClientRegistration>;
  startDeviceAuthorization(
    params: { clientId: string; clientSecret: string; startUrl: string },
    context: SsoCallContext,
  ): Promise<SsoDeviceAuthorization>;
  createToken(
    client: { clientId: string; clientSecret: string },
    grant: SsoTokenGrant,
    context: SsoCallContext,
  ): Promise<SsoTokens>;
  pollDeviceToken(
    client: { clientId: string; clientSecret: string },
    deviceCode: string,
    context: SsoCallContext,
  ): Promise<SsoDevicePoll>;
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function incomplete(what: string, endpoint: string) {
  return unreachableError('SSO_BAD_RESPONSE', `IAM Identity Center answered ${what} without the expected fields.`, {
    hint: `Check AWS_ENDPOINT_URL_SSO_OIDC (${endpoint}) and any proxy in between.`,
  });
}

export async function createSsoOidc(options: SsoOidcOptions): Promise<SsoOidcApi> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sdk = await import('@aws-sdk/client-sso-oidc');
  const { logger, region, endpoint } = options;
  const policy = options.retry ?? defaultRetryPolicy;
  const client = new sdk.SSOOIDCClient({ region, endpoint, ...sdkClientSettings(options) });

  const call = <T>(context: SsoCallContext, operation: () => Promise<T>): Promise<T> =>
    callWithRetries(operation, {
      service: 'SSO OIDC',
      action: context.action,
      policy,
      logger,
      translate: (error) => translateSsoError(error, { ...context, endpoint }),
      // the device flow's own answers are never retried here: the poll loop paces them
      retryable: (info) => (info.code === 'SlowDown' || info.code === 'AuthorizationPending' ? false : undefined),
    });

  const tokensOf = (out: { accessToken?: string; expiresIn?: number; refreshToken?: string }): SsoTokens => {
    if (!out.accessToken || !out.expiresIn) throw incomplete('CreateToken', endpoint);
    logger.addSecret(out.accessToken);
    logger.addSecret(out.refreshToken);
    return {
      accessToken: out.accessToken,
      expiresAt: new Date(Date.now() + out.expiresIn * 1000),
      refreshToken: out.refreshToken,
    };
  };

  return {
    endpoint,
    region,
    async registerClient(params, context) {
      logger.debug(`SSO OIDC RegisterClient at ${endpoint}`);
      const out = await call(context, () =>
        client.send(new sdk.RegisterClientCommand({ clientType: 'public', ...params })),
      );
      if (!out.clientId || !out.clientSecret || !out.clientSecretExpiresAt)
        throw incomplete('RegisterClient', endpoint);
      logger.addSecret(out.clientSecret);
      return {
        clientId: out.clientId,
        clientSecret: out.clientSecret,
        expiresAt: new Date(out.clientSecretExpiresAt * 1000),
      };
    },
    async startDeviceAuthorization(params, context) {
      logger.debug(`SSO OIDC StartDeviceAuthorization at ${endpoint}`);
      const out = await call(context, () => client.send(new sdk.StartDeviceAuthorizationCommand(params)));
      if (!out.deviceCode || !out.userCode || !out.verificationUri)
        throw incomplete('StartDeviceAuthorization', endpoint);
      logger.addSecret(out.deviceCode);
      return {
        deviceCode: out.deviceCode,
        userCode: out.userCode,
        verificationUri: out.verificationUri,
        verificationUriComplete: out.verificationUriComplete,
        expiresIn: out.expiresIn ?? 600,
        interval: out.interval ?? 5,
      };
    },
    async createToken(registration, grant, context) {
      logger.debug(`SSO OIDC CreateToken (${grant.grantType}) at ${endpoint}`);
      const out = await call(context, () => client.send(new sdk.CreateTokenCommand({ ...registration, ...grant })));
      return tokensOf(out);
    },
    async pollDeviceToken(registration, deviceCode, context) {
      const out = await call(context, () =>
        client
          .send(new sdk.CreateTokenCommand({ ...registration, grantType: DEVICE_GRANT, deviceCode }))
          .catch((error: unknown) => {
            if (error instanceof sdk.AuthorizationPendingException) return 'authorization_pending' as const;
            if (error instanceof sdk.SlowDownException) return 'slow_down' as const;
            throw error;
          }),
      );
      return typeof out === 'string' ? out : tokensOf(out);
    },
  };
}
