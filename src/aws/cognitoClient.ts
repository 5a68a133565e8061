import type { Credentials } from '../core/credentials.js';
import { unreachableError } from '../core/errors.js';
import { callWithRetries } from './callWithRetries.js';
import { type CognitoCallContext, translateCognitoError } from './cognitoErrors.js';
import { partitionOfRegion } from './partition.js';
import { defaultRetryPolicy } from './retry.js';
import { type AwsClientOptions, sdkClientSettings } from './sdkClientSettings.js';

/**
 * The only place a Cognito Identity client is created, in the shape of stsClient.ts: the SDK loads
 * lazily, the client makes one attempt and fedlogin retries itself (TooManyRequestsException, 5xx,
 * network errors, with jittered backoff), and every SDK error leaves as a FedloginError.
 * GetId, GetCredentialsForIdentity and GetOpenIdToken are unsigned calls.
 */
export type CognitoOptions = AwsClientOptions;

/** Logins as Cognito takes them: provider name (login key) -> token. */
export type CognitoLogins = Record<string, string>;

export interface CognitoApi {
  readonly endpoint: string;
  readonly region: string;
  getId(params: { identityPoolId: string; logins: CognitoLogins }, context: CognitoCallContext): Promise<string>;
  getCredentialsForIdentity(
    params: { identityId: string; logins: CognitoLogins; customRoleArn?: string | undefined },
    context: CognitoCallContext,
  ): Promise<Credentials>;
  /** the 10-minute OpenID token of the basic flow */
  getOpenIdToken(params: { identityId: string; logins: CognitoLogins }, context: CognitoCallContext): Promise<string>;
}

/**
 * AWS_ENDPOINT_URL_COGNITO_IDENTITY, else AWS_ENDPOINT_URL (as the AWS tools honour them), else
 * the regional endpoint of the region's partition. Pure.
 */
export function cognitoEndpointFor(region: string, env: NodeJS.ProcessEnv): string {
  const configured = env.AWS_ENDPOINT_URL_COGNITO_IDENTITY?.trim() || env.AWS_ENDPOINT_URL?.trim();
  if (configured) return configured;
  return `https://cognito-identity.${region}.${partitionOfRegion(region).dnsSuffix}`;
}

const present = (logins: CognitoLogins) => (Object.keys(logins).length > 0 ? logins : undefined);

export async function createCognito(options: CognitoOptions): Promise<CognitoApi> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sdk = await import('@aws-sdk/client-cognito-identity');
  const { logger, region, endpoint } = options;
  const policy = options.retry ?? defaultRetryPolicy;
  const client = new sdk.CognitoIdentityClient({
    region,
    endpoint,
    ...sdkClientSettings(options),
  });

  const call = <T>(context: CognitoCallContext, operation: () => Promise<T>): Promise<T> =>
    callWithRetries(operation, {
      service: 'Cognito',
      action: context.action,
      policy,
      logger,
      translate: (error) => translateCognitoError(error, { ...context, endpoint }),
    });

  return {
    endpoint,
    region,
    async getId(params, context) {
      logger.debug(`GetId ${params.identityPoolId} logins=[${Object.keys(params.logins).join(', ')}] at ${endpoint}`);
      const out = await call(context, () =>
        client.send(new sdk.GetIdCommand({ IdentityPoolId: params.identityPoolId, Logins: present(params.logins) })),
      );
      if (!out.IdentityId)
        throw unreachableError(
          'COGNITO_BAD_RESPONSE',
          `Cognito GetId answered without an IdentityId for ${params.identityPoolId}`,
          { hint: 'Check AWS_ENDPOINT_URL_COGNITO_IDENTITY and any proxy between you and Cognito.' },
        );
      return out.IdentityId;
    },
    async getCredentialsForIdentity(params, context) {
      logger.debug(
        `GetCredentialsForIdentity ${params.identityId}${params.customRoleArn ? ` role=${params.customRoleArn}` : ''} at ${endpoint}`,
      );
      const out = await call(context, () =>
        client.send(
          new sdk.GetCredentialsForIdentityCommand({
            IdentityId: params.identityId,
            Logins: present(params.logins),
            CustomRoleArn: params.customRoleArn,
          }),
        ),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretKey || !c.Expiration) {
        throw unreachableError(
          'COGNITO_BAD_RESPONSE',
          `Cognito answered without complete credentials for ${params.identityId}`,
          { hint: 'Check AWS_ENDPOINT_URL_COGNITO_IDENTITY and any proxy between you and Cognito.' },
        );
      }
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
        accountId: params.customRoleArn?.split(':')[4],
      };
    },
    async getOpenIdToken(params, context) {
      logger.debug(`GetOpenIdToken ${params.identityId} at ${endpoint}`);
      const out = await call(context, () =>
        client.send(new sdk.GetOpenIdTokenCommand({ IdentityId: params.identityId, Logins: present(params.logins) })),
      );
      if (!out.Token)
        throw unreachableError(
          'COGNITO_BAD_RESPONSE',
          `Cognito GetOpenIdToken answered without a token for ${params.identityId}`,
          { hint: 'Check AWS_ENDPOINT_URL_COGNITO_IDENTITY and any proxy between you and Cognito.' },
        );
      return out.Token;
    },
  };
}
