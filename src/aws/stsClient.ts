import type { Credentials } from '../core/credentials.js';
import { unreachableError } from '../core/errors.js';
import { callWithRetries } from './callWithRetries.js';
import { defaultRetryPolicy } from './retry.js';
import { type AwsClientOptions, sdkClientSettings } from './sdkClientSettings.js';
import { type SessionPolicy, sessionPolicyParams } from './sessionPolicy.js';
import { type StsCallContext, translateStsError } from './stsErrors.js';

/**
 * The only place an STS client is created. The AWS SDK loads lazily (it costs ~100 ms), retries
 * are fedlogin's own (bounded, jittered, and only for transient errors), and every SDK error
 * leaves as a FedloginError.
 */
export type StsOptions = AwsClientOptions;

export interface WebIdentityParams {
  /** session policies narrowing the session (PolicyArns, Policy) */
  sessionPolicy?: SessionPolicy | undefined;
  roleArn: string;
  roleSessionName: string;
  webIdentityToken: string;
  durationSeconds?: number | undefined;
}

export interface AssumeRoleParams {
  /** the role's sts:ExternalId condition (a profile's external_id) */
  externalId?: string | undefined;
  /** session policies narrowing the session (PolicyArns, Policy) */
  sessionPolicy?: SessionPolicy | undefined;
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number | undefined;
}

export interface SamlParams {
  /** session policies narrowing the session (PolicyArns, Policy) */
  sessionPolicy?: SessionPolicy | undefined;
  roleArn: string;
  principalArn: string;
  samlAssertion: string;
  durationSeconds?: number | undefined;
}

export interface StsApi {
  readonly endpoint: string;
  readonly region: string;
  assumeRoleWithWebIdentity(params: WebIdentityParams, context: StsCallContext): Promise<Credentials>;
  assumeRoleWithSaml(params: SamlParams, context: StsCallContext): Promise<Credentials>;
  assumeRole(source: Credentials, params: AssumeRoleParams, context: StsCallContext): Promise<Credentials>;
}

interface SdkCredentials {
  AccessKeyId?: string;
  SecretAccessKey?: string;
  SessionToken?: string;
  Expiration?: Date;
}

function toCredentials(sdk: SdkCredentials | undefined, roleArn: string): Credentials {
  if (!sdk?.AccessKeyId || !sdk.SecretAccessKey || !sdk.Expiration) {
    // a proxy or captive portal answering 200 with something else: the service was not really reached
    throw unreachableError('STS_BAD_RESPONSE', `STS answered without complete credentials for ${roleArn}.`, {
      hint: 'Check AWS_ENDPOINT_URL_STS and any proxy between you and STS.',
    });
  }
  return {
    accessKeyId: sdk.AccessKeyId,
    secretAccessKey: sdk.SecretAccessKey,
    sessionToken: sdk.SessionToken,
    expiration: sdk.Expiration,
    accountId: roleArn.split(':')[4],
  };
}

export async function createSts(options: StsOptions): Promise<StsApi> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sdk = await import('@aws-sdk/client-sts');
  const { logger, region, endpoint } = options;
  const policy = options.retry ?? defaultRetryPolicy;
  const clientFor = (credentials?: Credentials) =>
    new sdk.STSClient({
      region,
      endpoint,
      ...sdkClientSettings(options),
      ...(credentials
        ? {
            credentials: {
              accessKeyId: credentials.accessKeyId,
              secretAccessKey: credentials.secretAccessKey,
              sessionToken: credentials.sessionToken,
            },
          }
        : {}),
    });
  const unsigned = clientFor();

  const call = <T>(context: StsCallContext, operation: () => Promise<T>): Promise<T> =>
    callWithRetries(operation, {
      service: 'STS',
      action: context.action,
      policy,
      logger,
      translate: (error) => translateStsError(error, { ...context, endpoint }),
      // STS says InvalidIdentityToken when it briefly cannot fetch the IdP's keys: one retry.
      retryable: (info, attempt) =>
        info.code === 'InvalidIdentityToken' && /retrieve|verification key/i.test(info.message)
          ? attempt < 2
          : undefined,
    });

  return {
    endpoint,
    region,
    async assumeRoleWithWebIdentity(params, context) {
      logger.debug(`AssumeRoleWithWebIdentity ${params.roleArn} session=${params.roleSessionName} at ${endpoint}`);
      const out = await call(context, () =>
        unsigned.send(
          new sdk.AssumeRoleWithWebIdentityCommand({
            RoleArn: params.roleArn,
            RoleSessionName: params.roleSessionName,
            WebIdentityToken: params.webIdentityToken,
            DurationSeconds: params.durationSeconds,
            ...sessionPolicyParams(params.sessionPolicy),
          }),
        ),
      );
      return toCredentials(out.Credentials, params.roleArn);
    },
    async assumeRoleWithSaml(params, context) {
      logger.debug(`AssumeRoleWithSAML ${params.roleArn} via ${params.principalArn} at ${endpoint}`);
      const out = await call(context, () =>
        unsigned.send(
          new sdk.AssumeRoleWithSAMLCommand({
            RoleArn: params.roleArn,
            PrincipalArn: params.principalArn,
            SAMLAssertion: params.samlAssertion,
            DurationSeconds: params.durationSeconds,
            ...sessionPolicyParams(params.sessionPolicy),
          }),
        ),
      );
      return toCredentials(out.Credentials, params.roleArn);
    },
    async assumeRole(source, params, context) {
      logger.debug(
        `AssumeRole ${params.roleArn} session=${params.roleSessionName}${params.externalId === undefined ? '' : ' with an external ID'} at ${endpoint}`,
      );
      const signed = clientFor(source);
      const out = await call(context, () =>
        signed.send(
          new sdk.AssumeRoleCommand({
            RoleArn: params.roleArn,
            RoleSessionName: params.roleSessionName,
            DurationSeconds: params.durationSeconds,
            ExternalId: params.externalId,
            ...sessionPolicyParams(params.sessionPolicy),
          }),
        ),
      );
      return toCredentials(out.Credentials, params.roleArn);
    },
  };
}
