import { withChainedProfiles } from '../../config/chainedProfiles.js';
import type { ProfileSettings } from '../../config/profileSettings.js';
import { ProfileValues } from '../../config/profileValues.js';
import { isFedloginError } from '../../core/errors.js';
import { readAwsFile } from '../../store/awsFileRead.js';
import { configFilePath } from '../../store/awsPaths.js';
import { canRefresh, REFRESH_WINDOW_MS } from './accessToken.js';
import { resolveProfileSession, resolveSsoSession } from './resolveSettings.js';
import type { SsoSession } from './settings.js';
import { readSsoToken, ssoTokenPath } from './tokenCache.js';

/**
 * Which profiles sign in through which IAM Identity Center session, and what the session's token
 * in the shared cache looks like: for `status`, `logout` and `sso logout`. Never a network call.
 */

/** An SSO profile: fedlogin_flow = sso, or sso_account_id and sso_role_name with a session (the AWS CLI's own). */
export function isSsoProfile(profile: ProfileSettings): boolean {
  try {
    return new ProfileValues(profile).flow() === 'sso';
  } catch {
    return false; // a bad fedlogin_flow: not an SSO profile (the command using it reports why)
  }
}

/** Whether an SSO profile signs in through `session`: its sso_session, or (legacy, no sso_session) its sso_start_url. Pure. */
export function usesSession(profile: ProfileSettings, session: SsoSession): boolean {
  const values = new ProfileValues(profile);
  const name = values.string('sso_session');
  if (session.name !== undefined) return name === session.name;
  return name === undefined && values.string('sso_start_url') === session.startUrl;
}

/**
 * The profiles whose credentials come from `session`: its SSO profiles, and the profiles chained
 * off them (role_arn with source_profile, at any depth). Pure; `all` in file order.
 */
export function profilesOfSession(all: readonly ProfileSettings[], session: SsoSession): ProfileSettings[] {
  return withChainedProfiles(all, (p) => isSsoProfile(p) && usesSession(p, session));
}

/** A session of the config file, or why it cannot be used (a missing section, a bad URL). */
export type SessionLookup = { session: SsoSession; problem?: undefined } | { session?: undefined; problem: string };

function lookup(resolve: () => SsoSession): SessionLookup {
  try {
    return { session: resolve() };
  } catch (error) {
    if (!isFedloginError(error)) throw error;
    return { problem: error.message };
  }
}

/** The session an SSO profile signs in through. */
export const sessionOfProfile = (env: NodeJS.ProcessEnv, profile: ProfileSettings): SessionLookup =>
  lookup(() => resolveProfileSession(env, new ProfileValues(profile)));

/**
 * Every sign-in of the config file, for `logout --all`: each [sso-session NAME] section and each
 * legacy start URL of an SSO profile (`profiles`), once each, in file order.
 */
export function configuredSessions(
  env: NodeJS.ProcessEnv,
  profiles: readonly ProfileSettings[],
): { label: string; lookup: SessionLookup }[] {
  const found: { label: string; lookup: SessionLookup }[] = [];
  const seen = new Set<string>();
  for (const section of readAwsFile(configFilePath(env)).sections) {
    const name = /^sso-session[ \t]+(\S+)[ \t]*$/.exec(section.header)?.[1];
    if (!name || seen.has(`session ${name}`)) continue;
    seen.add(`session ${name}`);
    found.push({ label: `sso-session ${name}`, lookup: lookup(() => resolveSsoSession(env, name)) });
  }
  for (const profile of profiles) {
    if (!isSsoProfile(profile) || new ProfileValues(profile).string('sso_session')) continue;
    const result = sessionOfProfile(env, profile);
    const key = result.session ? `url ${result.session.startUrl}` : `profile ${profile.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ label: result.session?.label ?? `profile ${profile.name}`, lookup: result });
  }
  return found;
}

/** The session's token in the shared cache (~/.aws/sso/cache), as status shows it: no secret. */
export interface SsoTokenStatus {
  /** the cache file */
  file: string;
  /** valid: more than the 15-minute renewal window left; none: no file, or one for another start URL */
  state: 'valid' | 'refresh-due' | 'expired' | 'none';
  expiration: string | null;
  /** a refresh token and a client registration still valid: the token renews without a person */
  renewable: boolean;
}

export function ssoTokenStatus(env: NodeJS.ProcessEnv, session: SsoSession, now: number): SsoTokenStatus {
  const file = ssoTokenPath(env, session);
  const entry = readSsoToken(env, session);
  if (!entry || entry.startUrl !== session.startUrl) return { file, state: 'none', expiration: null, renewable: false };
  const left = entry.expiresAt.getTime() - now;
  return {
    file,
    state: left <= 0 ? 'expired' : left <= REFRESH_WINDOW_MS ? 'refresh-due' : 'valid',
    expiration: entry.expiresAt.toISOString(),
    renewable: canRefresh(entry, now),
  };
}

/**
 * The ca_bundle for a session's own calls (SSO-OIDC, the portal's Logout): the profile in effect
 * (--profile or AWS_PROFILE) as botocore reads it, else the first of the session's profiles that
 * names one, else [default]'s. AWS_CA_BUNDLE wins over all of them (src/aws/network/trust.ts).
 */
export function caBundleForSession(
  profiles: readonly ProfileSettings[],
  inEffect: ProfileSettings | undefined,
  fallback: ProfileSettings | undefined,
): string | undefined {
  const of = (p: ProfileSettings | undefined) => (p ? new ProfileValues(p).string('ca_bundle') : undefined);
  return of(inEffect) ?? profiles.map(of).find(Boolean) ?? of(fallback);
}
