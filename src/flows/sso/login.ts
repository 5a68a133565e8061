import { isFedloginError } from '../../core/errors.js';
import { signInRequired, usableAccessToken } from './accessToken.js';
import type { SsoDeps } from './nodeSsoDeps.js';
import type { SsoSession } from './settings.js';
import { contextFor, type SsoSignInOptions, signInToSso } from './signIn.js';
import { deleteSsoToken, readSsoToken, type SsoTokenEntry, ssoTokenPath, writeSsoToken } from './tokenCache.js';

/** Five minutes to sign in, as the OIDC flow allows. */
export const DEFAULT_SSO_TIMEOUT_MS = 5 * 60_000;

/**
 * `fedlogin sso login`: a full sign-in (unless `reuse` and the cache holds a token that is valid
 * or can be renewed silently), saved to the shared token cache for every AWS tool.
 */
export async function loginToSso(
  session: SsoSession,
  options: SsoSignInOptions & { reuse?: boolean },
  deps: SsoDeps,
): Promise<SsoTokenEntry> {
  if (options.reuse) {
    const usable = await usableAccessToken(session, deps);
    if (usable) return usable;
  }
  const entry = await signInToSso(session, options, deps);
  writeSsoToken(deps.env, session, entry);
  deps.logger.debug(`sso: token cache written to ${ssoTokenPath(deps.env, session)}`);
  return entry;
}

/** A valid access token: cached, renewed silently, or (with a person at hand) a new sign-in. */
export async function accessTokenFor(
  session: SsoSession,
  deps: SsoDeps,
  interactive: boolean,
  /** a token the portal refused: renewed even if the cache says it is valid */
  rejected?: string,
): Promise<SsoTokenEntry> {
  const usable = await usableAccessToken(session, deps, { rejected });
  if (usable) return usable;
  if (!interactive) throw signInRequired(session);
  return loginToSso(session, { openBrowser: true, timeoutMs: DEFAULT_SSO_TIMEOUT_MS }, deps);
}

/**
 * `fedlogin sso logout`: ends the session at the portal (Logout; SSO-OIDC has no revocation) and
 * removes the token cache file. A portal that cannot be reached or already forgot the token does
 * not stop the local removal. Returns what was done, for the notice.
 */
export async function logoutOfSso(session: SsoSession, deps: SsoDeps): Promise<{ portal: boolean; file: boolean }> {
  const entry = readSsoToken(deps.env, session);
  let portal = false;
  if (entry && entry.expiresAt.getTime() > deps.clock.now()) {
    deps.logger.addSecret(entry.accessToken);
    try {
      await (await deps.portal()).logout(entry.accessToken, contextFor(session, 'Logout'));
      portal = true;
    } catch (error) {
      if (!isFedloginError(error)) throw error;
      deps.logger.notice(`The portal did not confirm the logout (${error.code}); removing the local sign-in anyway.`);
    }
  }
  return { portal, file: deleteSsoToken(deps.env, session) };
}
