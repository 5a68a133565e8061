import type { Credentials } from '../core/credentials.js';
import { credentialEnvVariables } from './envVariables.js';

/**
 * Variables that would make an SDK in the child look for credentials somewhere other than what
 * fedlogin hands it: a profile to re-resolve (AWS_PROFILE would even win over keys in
 * `aws --profile`-style lookups), stale keys, a second container endpoint (the SDKs prefer
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI over the FULL_URI), a token file next to a token (SDKs
 * disagree on precedence), or web identity settings (checked before the container provider).
 */
export const CREDENTIAL_SOURCE_VARIABLES = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ACCOUNT_ID',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
] as const;

/** What the child gets: the keys themselves, or the address of a local endpoint that serves them. */
export type ChildCredentials =
  | { kind: 'keys'; credentials: Credentials }
  | { kind: 'endpoint'; url: string; authorizationToken: string };

export interface ChildEnvironmentOptions {
  /** AWS_REGION and AWS_DEFAULT_REGION */
  region?: string | undefined;
  /** FEDLOGIN_PROFILE, which also marks the child as running under fedlogin exec */
  profile: string;
}

/**
 * The environment of `fedlogin exec`'s child: the parent's, minus every other credential source,
 * plus the credentials (or the endpoint) and FEDLOGIN_PROFILE. Pure; the parent is not changed.
 */
export function childEnvironment(
  parent: NodeJS.ProcessEnv,
  given: ChildCredentials,
  options: ChildEnvironmentOptions,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...parent };
  for (const name of CREDENTIAL_SOURCE_VARIABLES) delete env[name];
  if (given.kind === 'keys') {
    for (const [name, value] of credentialEnvVariables(given.credentials, {
      region: options.region,
      profile: options.profile,
    })) {
      env[name] = value;
    }
  } else {
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI = given.url;
    env.AWS_CONTAINER_AUTHORIZATION_TOKEN = given.authorizationToken;
    if (options.region) {
      env.AWS_REGION = options.region;
      env.AWS_DEFAULT_REGION = options.region;
    }
    env.FEDLOGIN_PROFILE = options.profile;
  }
  return env;
}
