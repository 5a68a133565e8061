import type { Credentials } from '../core/credentials.js';
import { formatRfc3339Seconds } from './rfc3339.js';

/** A variable name and its value, in the order they should be written. */
export type EnvVariable = [name: string, value: string];

export interface CredentialEnvOptions {
  /** sets AWS_REGION and AWS_DEFAULT_REGION (the AWS CLI v1 and older SDKs read only the latter) */
  region?: string | undefined;
  /**
   * the fedlogin profile the credentials came from, written as FEDLOGIN_PROFILE so prompts and
   * scripts can show which account a shell holds. Never AWS_PROFILE: with static keys exported,
   * a profile name would at best be ignored and at worst (`aws --profile`) win over them.
   */
  profile?: string | undefined;
}

/**
 * The environment variables that hand credentials to the AWS CLI and SDKs (the names the SDKs'
 * fromEnv providers read), in a fixed order:
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (when present),
 * AWS_CREDENTIAL_EXPIRATION (RFC 3339), AWS_ACCOUNT_ID (when known), AWS_REGION and
 * AWS_DEFAULT_REGION (when a region is given), FEDLOGIN_PROFILE (when a profile is given).
 */
export function credentialEnvVariables(creds: Credentials, options: CredentialEnvOptions = {}): EnvVariable[] {
  const vars: EnvVariable[] = [
    ['AWS_ACCESS_KEY_ID', creds.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', creds.secretAccessKey],
  ];
  if (creds.sessionToken) vars.push(['AWS_SESSION_TOKEN', creds.sessionToken]);
  vars.push(['AWS_CREDENTIAL_EXPIRATION', formatRfc3339Seconds(creds.expiration)]);
  if (creds.accountId) vars.push(['AWS_ACCOUNT_ID', creds.accountId]);
  if (options.region) {
    vars.push(['AWS_REGION', options.region], ['AWS_DEFAULT_REGION', options.region]);
  }
  if (options.profile) vars.push(['FEDLOGIN_PROFILE', options.profile]);
  return vars;
}
