/**
 * The URLs of console sign-in through the AWS federation endpoint, pure (no I/O), with the hosts
 * of the role's partition (signin.aws.amazon.com, signin.amazonaws.cn,
 * signin.amazonaws-us-gov.com and their console hosts).
 */
import type { Credentials } from '../core/credentials.js';
import { usageError } from '../core/errors.js';
import type { Partition } from './partition.js';

export const CONSOLE_ISSUER = 'fedlogin';

/** https://SIGNIN_HOST/federation, or the override (FEDLOGIN_SIGNIN_ENDPOINT, for tests). */
export function federationBaseUrl(partition: Partition, override?: string): string {
  if (override && override.trim()) {
    let url: URL;
    try {
      url = new URL(override.trim());
    } catch {
      throw usageError('SIGNIN_ENDPOINT_INVALID', `FEDLOGIN_SIGNIN_ENDPOINT is not a URL: "${override}".`, {
        hint: 'Example: https://signin.aws.amazon.com/federation',
      });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw usageError('SIGNIN_ENDPOINT_INVALID', `FEDLOGIN_SIGNIN_ENDPOINT must be an http(s) URL: "${override}".`);
    }
    url.search = '';
    url.hash = '';
    return url.toString();
  }
  return `https://${partition.signinHost}/federation`;
}

/** The console's home page in a region: https://CONSOLE_HOST/console/home?region=REGION. */
export function defaultConsoleDestination(partition: Partition, region?: string): string {
  const url = new URL(`https://${partition.consoleHost}/console/home`);
  if (region) url.searchParams.set('region', region);
  return url.toString();
}

/**
 * --destination: an absolute http(s) URL is taken as is; a path ("/s3/home") is resolved against
 * the partition's console host.
 */
export function consoleDestination(partition: Partition, destination: string | undefined, region?: string): string {
  if (destination === undefined || destination.trim() === '') return defaultConsoleDestination(partition, region);
  const value = destination.trim();
  let url: URL;
  try {
    url = value.startsWith('/') ? new URL(value, `https://${partition.consoleHost}`) : new URL(value);
  } catch {
    throw usageError('DESTINATION_INVALID', `--destination is neither a URL nor a path: "${value}".`, {
      hint: 'Example: --destination /s3/home or --destination https://console.aws.amazon.com/ec2/home',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw usageError('DESTINATION_INVALID', `--destination must be an http(s) URL or a path: "${value}".`);
  }
  return url.toString();
}

/**
 * The Session parameter of getSigninToken: JSON {sessionId, sessionKey, sessionToken}. Role
 * credentials always carry a session token; without one the federation endpoint cannot sign in.
 */
export function federationSessionJson(credentials: Credentials): string {
  if (!credentials.sessionToken) {
    throw usageError(
      'CONSOLE_NEEDS_SESSION',
      'Console sign-in needs temporary credentials with a session token; these have none.',
    );
  }
  return JSON.stringify({
    sessionId: credentials.accessKeyId,
    sessionKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
  });
}

/** The getSigninToken request. It carries the secret key: never log it. */
export function signinTokenUrl(base: string, credentials: Credentials, sessionDurationSeconds?: number): string {
  const url = new URL(base);
  url.searchParams.set('Action', 'getSigninToken');
  if (sessionDurationSeconds !== undefined) url.searchParams.set('SessionDuration', String(sessionDurationSeconds));
  url.searchParams.set('Session', federationSessionJson(credentials));
  return url.toString();
}

/** The sign-in link a browser opens; valid 15 minutes, and a bearer credential until used. */
export function consoleLoginUrl(
  base: string,
  signinToken: string,
  destination: string,
  issuer = CONSOLE_ISSUER,
): string {
  const url = new URL(base);
  url.searchParams.set('Action', 'login');
  url.searchParams.set('Issuer', issuer);
  url.searchParams.set('Destination', destination);
  url.searchParams.set('SigninToken', signinToken);
  return url.toString();
}

/**
 * The sign-in link by way of the console's sign-out, so a browser still signed in to another
 * account (or holding a console session that ended on AWS's side) signs in to this one:
 * https://us-east-1.signin.aws.amazon.com/oauth?Action=logout&redirect_uri=<the link>. The sign-out
 * honours redirect_uri only on us-east-1's sign-in host and only towards a sign-in URL of that
 * host, so the link moves there too (a SigninToken from signin.aws.amazon.com is good there; Leapp,
 * aws-vault's auto-logout, kion-cli and janus chain it the same way). Other partitions: undefined
 * (the chain is not known to work there; the link is opened as it is). With FEDLOGIN_SIGNIN_ENDPOINT
 * (tests), the sign-out is /oauth on that endpoint's origin.
 */
export function signOutFirstUrl(loginUrl: string, partition: Partition, overridden: boolean): string | undefined {
  const login = new URL(loginUrl);
  if (!overridden) {
    if (partition.name !== 'aws') return undefined;
    login.host = `us-east-1.${partition.signinHost}`;
  }
  const logout = new URL('/oauth', login.origin);
  logout.searchParams.set('Action', 'logout');
  logout.searchParams.set('redirect_uri', login.toString());
  return logout.toString();
}
