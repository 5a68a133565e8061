import type { SsoOidcApi } from '../../aws/ssoOidcClient.js';
import type { Clock } from '../../core/clock.js';
import { isFedloginError, usageError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { lockPathFor, withLock } from '../../store/lock.js';
import type { SsoSession } from './settings.js';
import { contextFor } from './signIn.js';
import { readSsoToken, type SsoTokenEntry, writeSsoToken } from './tokenCache.js';

/** Renew this long before the access token ends, as botocore does (the AWS CLI's refresh window). */
export const REFRESH_WINDOW_MS = 15 * 60_000;
/** A token with less than this left is not handed out: a call made with it could fail on the way. */
export const MIN_VALIDITY_MS = 60_000;

export interface SsoTokenDeps {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  clock: Clock;
  oidc(): Promise<SsoOidcApi>;
  lockTimeoutMs?: number;
}

const left = (entry: SsoTokenEntry, now: number) => entry.expiresAt.getTime() - now;

/** A refresh token, the client that got it, and that client's registration still valid: renewable without a person. */
export function canRefresh(entry: SsoTokenEntry, now: number): boolean {
  return Boolean(
    entry.refreshToken &&
      entry.clientId &&
      entry.clientSecret &&
      (!entry.registrationExpiresAt || entry.registrationExpiresAt.getTime() > now),
  );
}

export function signInRequired(session: SsoSession) {
  return usageError('SSO_SIGN_IN_REQUIRED', `${session.label} needs you to sign in: run ${session.signInCommand}`, {
    hint: 'There is no valid IAM Identity Center token in ~/.aws/sso/cache that can be renewed silently, and no terminal here to sign in on.',
  });
}

/**
 * A usable access token of the session from the shared token cache, renewed silently when it is
 * about to end and a refresh token allows it: CreateToken with the refresh token, under the
 * session's lock, so of many processes (fedlogin's, across the machine) one renews and the others
 * read what it wrote; the rotated refresh token is saved atomically. undefined when only a person
 * can help (the caller signs in, or fails with signInRequired).
 */
export async function usableAccessToken(
  session: SsoSession,
  deps: SsoTokenDeps,
  options: { rejected?: string } = {},
): Promise<SsoTokenEntry | undefined> {
  const { env, logger, clock } = deps;
  // `rejected`: a token the portal refused although the cache says it is valid (signed out elsewhere)
  const fresh = (entry: SsoTokenEntry | undefined) =>
    entry &&
    entry.startUrl === session.startUrl &&
    entry.accessToken !== options.rejected &&
    left(entry, clock.now()) > REFRESH_WINDOW_MS
      ? entry
      : undefined;
  // a token of another start URL (the session's sso_start_url was changed) is never renewed: its
  // refresh token belongs to the other portal's sign-in
  const renewable = (entry: SsoTokenEntry) => entry.startUrl === session.startUrl && canRefresh(entry, clock.now());
  const first = readSsoToken(env, session);
  logger.addSecret(first?.accessToken);
  if (fresh(first)) return first;
  if (!first || !renewable(first)) return usableAsIs(first);

  return withLock(
    lockPathFor(env, `sso-${session.cacheKey}`),
    async () => {
      const entry = readSsoToken(env, session);
      if (!entry) return undefined;
      logger.addSecret(entry.accessToken);
      logger.addSecret(entry.refreshToken);
      logger.addSecret(entry.clientSecret);
      if (fresh(entry)) return entry; // another process renewed it while we waited
      if (!renewable(entry)) return usableAsIs(entry);
      try {
        const oidc = await deps.oidc();
        const tokens = await oidc.createToken(
          { clientId: entry.clientId!, clientSecret: entry.clientSecret! },
          { grantType: 'refresh_token', refreshToken: entry.refreshToken! },
          contextFor(session, 'CreateToken'),
        );
        const renewed: SsoTokenEntry = {
          ...entry,
          accessToken: tokens.accessToken,
          expiresAt: tokens.expiresAt,
          refreshToken: tokens.refreshToken ?? entry.refreshToken,
        };
        writeSsoToken(env, session, renewed);
        logger.debug(`sso: renewed the access token of ${session.label} until ${renewed.expiresAt.toISOString()}`);
        return renewed;
      } catch (error) {
        if (!isFedloginError(error) || !['SSO_SIGN_IN_EXPIRED', 'SSO_CLIENT_REFUSED'].includes(error.code)) throw error;
        // the refresh token (or the registration) is over: the old access token may still serve a while
        writeSsoToken(env, session, { ...entry, refreshToken: undefined });
        logger.notice(`The saved sign-in of ${session.label} can no longer be renewed (${error.code}).`);
        return usableAsIs(entry);
      }
    },
    { timeoutMs: deps.lockTimeoutMs ?? 120_000 },
  );

  function usableAsIs(entry: SsoTokenEntry | undefined) {
    return entry && entry.startUrl === session.startUrl && left(entry, clock.now()) > MIN_VALIDITY_MS
      ? entry
      : undefined;
  }
}
