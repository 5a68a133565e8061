import { createHash, randomBytes } from 'node:crypto';
import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
  paginateListAccountRoles,
  paginateListAccounts,
  SSOClient,
} from '@aws-sdk/client-sso';
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SsoEndpoint, startSsoEndpoint } from '../support/aws/ssoEndpoint.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const START_URL = 'https://example-start.awsapps.com/start';

async function sdkError(promise: Promise<unknown>) {
  return (await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  )) as Error & { error?: string; $metadata: { httpStatusCode?: number } };
}

describe('startSsoEndpoint with the real SDK clients', () => {
  let sso: SsoEndpoint;
  let oidc: SSOOIDCClient;
  let portal: SSOClient;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    sso = await startSsoEndpoint({
      accounts: [
        { accountId: '111111111111', accountName: 'prod', roles: ['ReadOnly', 'Admin', 'Billing'] },
        { accountId: '222222222222', accountName: 'dev', roles: ['Developer'] },
        { accountId: '333333333333', accountName: 'sandbox', roles: ['Developer'] },
      ],
    });
    // the environment variables the SDKs honour, not the endpoint option: this is what consumers use
    for (const [key, value] of Object.entries(sso.env)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    oidc = new SSOOIDCClient({ region: 'eu-west-1', maxAttempts: 1 });
    portal = new SSOClient({ region: 'eu-west-1', maxAttempts: 1 });
  });
  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    oidc?.destroy();
    portal?.destroy();
    await sso?.close();
  });
  beforeEach(() => {
    sso.reset();
    sso.setApproval('auto');
  });

  const register = (grantTypes?: string[], redirectUris?: string[]) =>
    oidc.send(
      new RegisterClientCommand({
        clientName: 'selftest',
        clientType: 'public',
        scopes: ['sso:account:access'],
        ...(grantTypes ? { grantTypes, redirectUris, issuerUrl: START_URL } : {}),
      }),
    );

  async function deviceTokens() {
    const client = await register();
    const device = await oidc.send(
      new StartDeviceAuthorizationCommand({
        clientId: client.clientId!,
        clientSecret: client.clientSecret!,
        startUrl: START_URL,
      }),
    );
    const poll = () =>
      oidc.send(
        new CreateTokenCommand({
          clientId: client.clientId!,
          clientSecret: client.clientSecret!,
          grantType: DEVICE_GRANT,
          deviceCode: device.deviceCode!,
        }),
      );
    const pending = await sdkError(poll());
    expect(pending.name).toBe('AuthorizationPendingException');
    expect(pending.error).toBe('authorization_pending');
    return { client, device, tokens: await poll() };
  }

  it('device flow: RegisterClient, StartDeviceAuthorization, authorization_pending, then tokens', async () => {
    const { client, device, tokens } = await deviceTokens();
    expect(client.clientSecretExpiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(device.userCode).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(device.verificationUriComplete).toContain(sso.oidcUrl);
    expect(device.interval).toBe(1);
    expect(tokens.accessToken).toMatch(/^aoa/);
    expect(tokens.refreshToken).toMatch(/^aor/);
    expect(tokens.expiresIn).toBe(3600);
    expect(sso.count('CreateToken')).toBe(2);
    expect(sso.grants[DEVICE_GRANT]).toBe(2);
  });

  it('slow_down and expired_token as the SDK names them', async () => {
    const client = await register();
    const poll = () =>
      oidc.send(
        new CreateTokenCommand({
          clientId: client.clientId!,
          clientSecret: client.clientSecret!,
          grantType: DEVICE_GRANT,
          deviceCode: 'x',
        }),
      );
    sso.failNext(1, { type: 'SlowDownException', error: 'slow_down', operation: 'CreateToken' });
    const slow = await sdkError(poll());
    expect([slow.name, slow.error, slow.$metadata.httpStatusCode]).toEqual(['SlowDownException', 'slow_down', 400]);
    sso.failNext(1, { type: 'ExpiredTokenException', error: 'expired_token', operation: 'CreateToken' });
    const expired = await sdkError(poll());
    expect(expired.name).toBe('ExpiredTokenException');
    const wrongSecret = await sdkError(
      oidc.send(
        new CreateTokenCommand({
          clientId: client.clientId!,
          clientSecret: 'nope',
          grantType: DEVICE_GRANT,
          deviceCode: 'x',
        }),
      ),
    );
    expect([wrongSecret.name, wrongSecret.$metadata.httpStatusCode]).toEqual(['InvalidClientException', 401]);
  });

  it('authorization code + PKCE through /authorize, code bound to verifier and redirect', async () => {
    const redirectUri = 'http://127.0.0.1:1/oauth/callback';
    const client = await register(['authorization_code', 'refresh_token'], ['http://127.0.0.1/oauth/callback']);
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = new URL(`${sso.oidcUrl}/authorize`);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: client.clientId!,
      redirect_uri: redirectUri,
      state: 'st4te',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scopes: 'sso:account:access',
    }))
      authorize.searchParams.set(k, v);
    const res = await fetch(authorize, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('st4te');
    const code = back.searchParams.get('code')!;
    const exchange = (codeVerifier: string) =>
      oidc.send(
        new CreateTokenCommand({
          clientId: client.clientId!,
          clientSecret: client.clientSecret!,
          grantType: 'authorization_code',
          code,
          redirectUri,
          codeVerifier,
        }),
      );
    expect((await sdkError(exchange('wrong-verifier'))).name).toBe('InvalidGrantException');
    const tokens = await exchange(verifier);
    expect(tokens.refreshToken).toBeDefined();
    expect((await sdkError(exchange(verifier))).name).toBe('InvalidGrantException'); // a code works once

    sso.setApproval('deny');
    const denied = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
    expect(denied.searchParams.get('error')).toBe('access_denied');
    const unregistered = new URL(authorize);
    unregistered.searchParams.set('redirect_uri', 'http://evil.example/cb');
    expect((await fetch(unregistered, { redirect: 'manual' })).status).toBe(400);
  });

  it('refresh_token rotates: the new token works, the old one is invalid_grant', async () => {
    const { client, tokens } = await deviceTokens();
    const refresh = (refreshToken: string) =>
      oidc.send(
        new CreateTokenCommand({
          clientId: client.clientId!,
          clientSecret: client.clientSecret!,
          grantType: 'refresh_token',
          refreshToken,
        }),
      );
    const renewed = await refresh(tokens.refreshToken!);
    expect(renewed.refreshToken).not.toBe(tokens.refreshToken);
    expect(renewed.accessToken).not.toBe(tokens.accessToken);
    const old = await sdkError(refresh(tokens.refreshToken!));
    expect([old.name, old.error]).toEqual(['InvalidGrantException', 'invalid_grant']);
    expect((await refresh(renewed.refreshToken!)).accessToken).toBeDefined();
    expect(sso.grants.refresh_token).toBe(3);
  });

  it('portal: role credentials, paginated lists, bearer checks, logout', async () => {
    const { tokens } = await deviceTokens();
    const accessToken = tokens.accessToken!;
    const creds = await portal.send(
      new GetRoleCredentialsCommand({ accessToken, accountId: '111111111111', roleName: 'Admin' }),
    );
    expect(creds.roleCredentials?.accessKeyId).toMatch(/^ASIA/);
    expect(creds.roleCredentials?.expiration).toBeGreaterThan(Date.now());
    const firstPage = await portal.send(new ListAccountsCommand({ accessToken }));
    expect(firstPage.accountList).toHaveLength(2);
    expect(firstPage.nextToken).toBeDefined();
    const accounts = [];
    for await (const p of paginateListAccounts({ client: portal }, { accessToken }))
      accounts.push(...(p.accountList ?? []));
    expect(accounts.map((a) => a.accountName)).toEqual(['prod', 'dev', 'sandbox']);
    const roles = [];
    for await (const p of paginateListAccountRoles({ client: portal }, { accessToken, accountId: '111111111111' }))
      roles.push(...(p.roleList ?? []));
    expect(roles.map((r) => r.roleName)).toEqual(['ReadOnly', 'Admin', 'Billing']);
    expect(sso.count('ListAccountRoles')).toBe(2);
    const missing = await sdkError(
      portal.send(new ListAccountRolesCommand({ accessToken, accountId: '999999999999' })),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
    const bad = await sdkError(portal.send(new ListAccountsCommand({ accessToken: 'aoa-unknown' })));
    expect([bad.name, bad.$metadata.httpStatusCode]).toEqual(['UnauthorizedException', 401]);
    sso.failNext(1, { type: 'TooManyRequestsException', status: 429, operation: 'GetRoleCredentials' });
    const throttled = await sdkError(
      portal.send(new GetRoleCredentialsCommand({ accessToken, accountId: '111111111111', roleName: 'Admin' })),
    );
    expect(throttled.name).toBe('TooManyRequestsException');
    await portal.send(new LogoutCommand({ accessToken }));
    expect(sso.isAccessTokenValid(accessToken)).toBe(false);
    const after = await sdkError(portal.send(new ListAccountsCommand({ accessToken })));
    expect(after.name).toBe('UnauthorizedException');
  });

  it('expired access tokens are refused by the portal', async () => {
    const { tokens } = await deviceTokens();
    sso.expireAccessTokens();
    const error = await sdkError(portal.send(new ListAccountsCommand({ accessToken: tokens.accessToken! })));
    expect(error.name).toBe('UnauthorizedException');
  });
});
