import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import { registerSecret } from '../harness/leakScan.js';

/**
 * A real OpenID Provider (oidc-provider 9) on 127.0.0.1 for the OIDC flow's e2e tests: a native
 * public client (PKCE S256 required, loopback redirects on any port), the device flow, refresh
 * tokens with offline_access, and the provider's own dev login + consent pages (any login and
 * password), which a browser driven by playwright fills in. Counts successful grants by type from
 * the provider's events, so a test can tell a refresh-token renewal from a new sign-in.
 */

export interface OidcProviderOptions {
  clientId?: string;
  /** claims for every account: preferred_username defaults to the login typed on the page */
  email?: (login: string) => string;
  /** the poll interval put into device authorization responses (oidc-provider sends none); default 1 s */
  deviceInterval?: number;
  /** lifetime of device codes; default 600 s */
  deviceCodeTtlSeconds?: number;
  /**
   * false: refresh-token answers carry no id_token (allowed by OpenID Connect Core 12.2, and what
   * some IdPs do); the answer is otherwise the provider's own (access token, rotated refresh token)
   */
  idTokenOnRefresh?: boolean;
  /**
   * 'jwt': access tokens are JWTs signed with the provider's key (its resource indicators feature,
   * one resource server for every grant), as Okta, Entra ID, Auth0 and Keycloak issue; default
   * 'opaque' (the provider's default)
   */
  accessTokenFormat?: 'opaque' | 'jwt';
  /** the aud of JWT access tokens; default the client ID */
  accessTokenAudience?: string;
  /**
   * An https issuer served behind a TLS front (test/support/network: https://idp.corp.example);
   * the provider then trusts the front's X-Forwarded-Proto/-Host. Default http://127.0.0.1:PORT.
   */
  issuer?: string;
  /**
   * A confidential client: its secret, and the one client authentication method the provider then
   * registers for it and advertises (with 'none' for nobody else) in its discovery document
   */
  clientSecret?: string;
  clientAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  /** lifetime of ID tokens (and opaque access tokens); default 3600 s */
  idTokenTtlSeconds?: number;
}

/** What a token endpoint request carried, for tests of client authentication (never the values). */
export interface TokenRequest {
  grantType: string;
  /** an Authorization: Basic header */
  basic: boolean;
  /** client_id and client_secret in the form */
  formClientId: boolean;
  formClientSecret: boolean;
  /** what the provider answered */
  status: number;
  error?: string;
}

export interface TestOidcProvider {
  /** http://127.0.0.1:PORT, or the issuer given */
  issuer: string;
  /** http://127.0.0.1:PORT, where the provider listens (what a TLS front forwards to) */
  backendUrl: string;
  clientId: string;
  /** successful token endpoint grants, by grant_type */
  grants: Record<string, number>;
  grantCount(grantType: string): number;
  /** every token endpoint request, in order */
  tokenRequests: TokenRequest[];
  /** the provider's revocations of a whole grant (a used refresh token presented again) */
  grantRevocations(): number;
  /** revokes every refresh token issued so far (the next refresh gets invalid_grant) */
  revokeRefreshTokens(): Promise<void>;
  close(): Promise<void>;
}

interface MiddlewareContext {
  path: string;
  method: string;
  status: number;
  body: unknown;
  headers: Record<string, string | undefined>;
  oidc?: { params?: { grant_type?: unknown }; body?: Record<string, unknown> };
}

interface OidcProviderInstance {
  on(event: string, listener: (...args: never[]) => void): void;
  use(middleware: (ctx: MiddlewareContext, next: () => Promise<void>) => Promise<void>): void;
  callback(): (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
  RefreshToken: { find(jti: string): Promise<{ destroy(): Promise<void> } | undefined> };
}

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const RESOURCE = 'urn:fedlogin-test:aws';

export async function startOidcProvider(options: OidcProviderOptions = {}): Promise<TestOidcProvider> {
  // oidc-provider warns on Node 20 ("unsupported runtime") and works; keep test output clean.
  // oidc-provider ships no types; the test only uses a small, stable part of it.
  const packageName: string = 'oidc-provider';
  const { default: Provider } = (await import(packageName)) as {
    default: new (issuer: string, config: unknown) => OidcProviderInstance;
  };
  const clientId = options.clientId ?? 'fedlogin-test';
  if (options.clientSecret) registerSecret(options.clientSecret, 'token', 'the test client secret');
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const backendUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = options.issuer ?? backendUrl;
  const grants: Record<string, number> = {};
  const refreshTokens = new Set<string>();

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        application_type: 'native',
        token_endpoint_auth_method: options.clientAuthMethod ?? 'none',
        ...(options.clientSecret ? { client_secret: options.clientSecret } : {}),
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['fedlogin-test-cookie-key'] },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email'], profile: ['preferred_username'] },
    conformIdTokenClaims: false,
    // rotation for every client (oidc-provider rotates public clients' tokens anyway); a rotated
    // token presented again revokes the whole grant
    rotateRefreshToken: true,
    ...(options.clientAuthMethod ? { clientAuthMethods: [options.clientAuthMethod, 'none'] } : {}),
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      revocation: { enabled: true },
      ...(options.accessTokenFormat === 'jwt'
        ? {
            resourceIndicators: {
              enabled: true,
              defaultResource: () => RESOURCE,
              useGrantedResource: () => true,
              getResourceServerInfo: () => ({
                scope: 'aws',
                audience: options.accessTokenAudience ?? clientId,
                accessTokenFormat: 'jwt',
                jwt: { sign: { alg: 'RS256' } },
              }),
            },
          }
        : {}),
    },
    pkce: { required: () => true },
    findAccount: (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: () => ({
        sub,
        preferred_username: sub,
        email: options.email ? options.email(sub) : `${sub}@example.test`,
      }),
    }),
    ttl: {
      IdToken: options.idTokenTtlSeconds ?? 3600,
      AccessToken: options.idTokenTtlSeconds ?? 3600,
      RefreshToken: 86_400,
      DeviceCode: options.deviceCodeTtlSeconds ?? 600,
      Interaction: 600,
      Session: 3600,
      Grant: 86_400,
    },
  });
  // oidc-provider builds its URLs from the request: behind the front, from X-Forwarded-Proto/-Host.
  if (options.issuer !== undefined) (provider as unknown as { proxy: boolean }).proxy = true;
  provider.on('grant.success', (ctx: { oidc: { params: { grant_type?: string } } }) => {
    const type = String(ctx.oidc.params.grant_type);
    grants[type] = (grants[type] ?? 0) + 1;
  });
  provider.on('refresh_token.saved', (token: { jti: string }) => refreshTokens.add(token.jti));
  let revocations = 0;
  provider.on('grant.revoked', () => {
    revocations += 1;
  });
  const tokenRequests: TokenRequest[] = [];
  // oidc-provider sends no `interval`; clients then wait 5 s between polls. Tests should not.
  provider.use(async (ctx: MiddlewareContext, next: () => Promise<void>) => {
    await next();
    if (ctx.path === '/device/auth' && ctx.body && typeof ctx.body === 'object') {
      (ctx.body as Record<string, unknown>).interval = options.deviceInterval ?? 1;
    }
    if (ctx.path === '/token' && ctx.method === 'POST') {
      const form = ctx.oidc?.body ?? {};
      const answer = ctx.body && typeof ctx.body === 'object' ? (ctx.body as Record<string, unknown>) : {};
      tokenRequests.push({
        grantType: String(form.grant_type),
        basic: /^basic /i.test(ctx.headers.authorization ?? ''),
        formClientId: typeof form.client_id === 'string',
        formClientSecret: typeof form.client_secret === 'string',
        status: ctx.status,
        ...(typeof answer.error === 'string' ? { error: answer.error } : {}),
      });
    }
    if (ctx.path === '/token' && ctx.body && typeof ctx.body === 'object') {
      const body = ctx.body as Record<string, unknown>;
      // the provider's own answer to a refresh grant, minus the ID token
      if (options.idTokenOnRefresh === false && ctx.oidc?.params?.grant_type === 'refresh_token') delete body.id_token;
      for (const name of ['id_token', 'access_token', 'refresh_token'])
        registerSecret(body[name] as string, 'token', `oidc-provider's ${name}`);
    }
  });
  const callback = provider.callback();
  server.on('request', callback);

  return {
    issuer,
    backendUrl,
    clientId,
    grants,
    grantCount: (type) => grants[type] ?? 0,
    tokenRequests,
    grantRevocations: () => revocations,
    async revokeRefreshTokens() {
      for (const jti of refreshTokens) {
        const token = await provider.RefreshToken.find(jti);
        await token?.destroy();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
