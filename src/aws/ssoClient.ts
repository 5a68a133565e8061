import type { Credentials } from '../core/credentials.js';
import { unreachableError } from '../core/errors.js';
import { callWithRetries } from './callWithRetries.js';
import { defaultRetryPolicy } from './retry.js';
import { sdkClientSettings } from './sdkClientSettings.js';
import type { SsoClientOptions } from './ssoEndpoints.js';
import { type SsoCallContext, translateSsoError } from './ssoErrors.js';

/**
 * The only place an SSO portal client is created, in the shape of stsClient.ts. Every call is
 * authorised by the sign-in's access token (the `x-amz-sso_bearer_token` header), not signed.
 */
export type SsoPortalOptions = SsoClientOptions;

export interface SsoAccountInfo {
  accountId: string;
  accountName: string;
  emailAddress?: string | undefined;
}

export interface SsoPortalApi {
  readonly endpoint: string;
  readonly region: string;
  getRoleCredentials(
    params: { accessToken: string; accountId: string; roleName: string },
    context: SsoCallContext,
  ): Promise<Credentials>;
  /** every page */
  listAccounts(accessToken: string, context: SsoCallContext): Promise<SsoAccountInfo[]>;
  /** every page */
  listAccountRoles(accessToken: string, accountId: string, context: SsoCallContext): Promise<string[]>;
  logout(accessToken: string, context: SsoCallContext): Promise<void>;
}

export async function createSsoPortal(options: SsoPortalOptions): Promise<SsoPortalApi> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sdk = await import('@aws-sdk/client-sso');
  const { logger, region, endpoint } = options;
  const policy = options.retry ?? defaultRetryPolicy;
  const client = new sdk.SSOClient({ region, endpoint, ...sdkClientSettings(options) });
  const call = <T>(context: SsoCallContext, operation: () => Promise<T>): Promise<T> =>
    callWithRetries(operation, {
      service: 'SSO portal',
      action: context.action,
      policy,
      logger,
      translate: (error) => translateSsoError(error, { ...context, endpoint }),
    });

  return {
    endpoint,
    region,
    async getRoleCredentials(params, context) {
      logger.debug(`SSO GetRoleCredentials ${params.roleName} in ${params.accountId} at ${endpoint}`);
      const out = await call(context, () => client.send(new sdk.GetRoleCredentialsCommand(params)));
      const rc = out.roleCredentials;
      if (!rc?.accessKeyId || !rc.secretAccessKey || !rc.expiration) {
        throw unreachableError(
          'SSO_BAD_RESPONSE',
          'The IAM Identity Center portal answered without role credentials.',
          {
            hint: `Check AWS_ENDPOINT_URL_SSO (${endpoint}) and any proxy in between.`,
          },
        );
      }
      logger.addSecret(rc.secretAccessKey);
      logger.addSecret(rc.sessionToken);
      return {
        accessKeyId: rc.accessKeyId,
        secretAccessKey: rc.secretAccessKey,
        sessionToken: rc.sessionToken,
        expiration: new Date(rc.expiration),
        accountId: params.accountId,
      };
    },
    async listAccounts(accessToken, context) {
      const accounts: SsoAccountInfo[] = [];
      let nextToken: string | undefined;
      do {
        const out = await call(context, () => client.send(new sdk.ListAccountsCommand({ accessToken, nextToken })));
        for (const a of out.accountList ?? [])
          if (a.accountId)
            accounts.push({
              accountId: a.accountId,
              accountName: a.accountName ?? a.accountId,
              emailAddress: a.emailAddress,
            });
        nextToken = out.nextToken || undefined;
      } while (nextToken);
      return accounts;
    },
    async listAccountRoles(accessToken, accountId, context) {
      const roles: string[] = [];
      let nextToken: string | undefined;
      do {
        const out = await call(context, () =>
          client.send(new sdk.ListAccountRolesCommand({ accessToken, accountId, nextToken })),
        );
        for (const r of out.roleList ?? []) if (r.roleName) roles.push(r.roleName);
        nextToken = out.nextToken || undefined;
      } while (nextToken);
      return roles;
    },
    async logout(accessToken, context) {
      logger.debug(`SSO Logout at ${endpoint}`);
      await call(context, () => client.send(new sdk.LogoutCommand({ accessToken })));
    },
  };
}
