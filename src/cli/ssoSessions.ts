import { loadProfile } from '../config/profileSettings.js';
import { forgetProfileCredentials } from '../flows/forgetCredentials.js';
import { logoutOfSso } from '../flows/sso/login.js';
import { nodeSsoDeps } from '../flows/sso/nodeSsoDeps.js';
import { caBundleForSession, profilesOfSession } from '../flows/sso/sessions.js';
import type { SsoSession } from '../flows/sso/settings.js';
import { ssoTokenPath } from '../flows/sso/tokenCache.js';
import type { CliContext } from './context.js';
import { fedloginProfiles } from './fedloginProfiles.js';

/** The ca_bundle for the session's own calls (see caBundleForSession), from its profiles of the config file. */
export function sessionCaBundle(
  session: SsoSession,
  context: CliContext,
  profiles = profilesOfSession(fedloginProfiles(context.env), session),
): string | undefined {
  const { env } = context;
  return caBundleForSession(
    profiles,
    context.profile ? loadProfile(env, context.profile) : undefined,
    loadProfile(env, 'default'),
  );
}

/**
 * Signs out of one IAM Identity Center session as `aws sso logout` does (the portal's Logout, then
 * the token cache file removed) and, unless `keepRoleCredentials`, forgets fedlogin's cached role
 * credentials of every profile of the session (and of the profiles chained off them). One notice
 * line says what was done. For `sso logout` and `logout --all`.
 */
export async function signOutOfSsoSession(
  session: SsoSession,
  context: CliContext,
  options: { keepRoleCredentials?: boolean } = {},
): Promise<void> {
  const { env } = context;
  const profiles = profilesOfSession(fedloginProfiles(env), session);
  const caBundle = sessionCaBundle(session, context, profiles);
  const done = await logoutOfSso(session, nodeSsoDeps(session, { env, logger: context.logger, caBundle }));
  const forgotten: string[] = [];
  if (!options.keepRoleCredentials) {
    for (const profile of profiles) {
      const { removed } = await forgetProfileCredentials(profile, {
        env,
        regionFlag: context.region,
        notice: (line) => context.logger.notice(line),
      });
      if (removed.length) forgotten.push(profile.name);
    }
  }
  const what = [
    done.portal ? 'signed out at the portal' : '',
    done.file ? `removed ${ssoTokenPath(env, session)}` : '',
    forgotten.length ? `forgot the cached role credentials of ${forgotten.join(', ')}` : '',
  ].filter(Boolean);
  context.logger.notice(`${session.label}: ${what.length ? what.join('; ') : 'was not signed in'}.`);
}
