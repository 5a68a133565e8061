/**
 * Console sign-in: trades role credentials for a sign-in token at the AWS federation endpoint
 * (GET ?Action=getSigninToken) and builds the login link. The request URL carries the secret key,
 * so nothing here logs it, and errors describe the endpoint by its origin only.
 */
import type { Credentials } from '../core/credentials.js';
import { isFedloginError, refusedError, unreachableError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { consoleLoginUrl, signinTokenUrl } from './consoleUrls.js';
import type { HttpFetch } from './network/httpRequest.js';

export interface ConsoleSigninInput {
  credentials: Credentials;
  /** https://SIGNIN_HOST/federation (see federationBaseUrl) */
  federationUrl: string;
  destination: string;
  sessionDurationSeconds?: number | undefined;
  /** the profile, for the hint line */
  profile: string;
}

export interface ConsoleSigninDeps {
  /** httpRequest (the node:http layer) in the CLI */
  fetch: HttpFetch;
  logger: Logger;
  /** bound on the request (default 15 s) */
  timeoutMs?: number;
}

export async function consoleSigninUrl(input: ConsoleSigninInput, deps: ConsoleSigninDeps): Promise<string> {
  const { logger } = deps;
  const origin = new URL(input.federationUrl).origin;
  logger.debug(`asking ${origin} for a console sign-in token`);
  let response: Awaited<ReturnType<HttpFetch>>;
  try {
    response = await deps.fetch(signinTokenUrl(input.federationUrl, input.credentials, input.sessionDurationSeconds), {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
    });
  } catch (error) {
    // a certificate or proxy failure names the host only, and says what to fix
    if (isFedloginError(error)) throw error;
    // No cause: a fetch error may quote the URL, which holds the secret key.
    const reason = (error as Error)?.name === 'TimeoutError' ? 'it did not answer in time' : 'the connection failed';
    throw unreachableError(
      'CONSOLE_SIGNIN_UNREACHABLE',
      `Could not reach the AWS federation endpoint ${origin}: ${reason}.`,
      { hint: 'Check the network (and proxy settings), then try again.' },
    );
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 400 && response.status < 500) {
    throw refusedError(
      'CONSOLE_SIGNIN_REFUSED',
      `The AWS federation endpoint refused the credentials of profile ${input.profile} (HTTP ${response.status}).`,
      {
        hint:
          input.sessionDurationSeconds !== undefined
            ? `Role-chained credentials allow at most --duration 3600; otherwise run fedlogin login --profile ${input.profile} and try again.`
            : `Run fedlogin login --profile ${input.profile} for fresh credentials and try again.`,
      },
    );
  }
  if (!response.ok) {
    throw unreachableError(
      'CONSOLE_SIGNIN_FAILED',
      `The AWS federation endpoint ${origin} failed (HTTP ${response.status}).`,
      { hint: 'Try again in a moment.' },
    );
  }
  let signinToken: unknown;
  try {
    signinToken = (JSON.parse(text) as { SigninToken?: unknown }).SigninToken;
  } catch {
    signinToken = undefined;
  }
  if (typeof signinToken !== 'string' || signinToken === '') {
    throw unreachableError(
      'CONSOLE_SIGNIN_INVALID',
      `The AWS federation endpoint ${origin} answered without a SigninToken.`,
      { hint: 'Try again; if it persists, check FEDLOGIN_SIGNIN_ENDPOINT and proxies.' },
    );
  }
  logger.addSecret(signinToken);
  return consoleLoginUrl(input.federationUrl, signinToken, input.destination);
}
