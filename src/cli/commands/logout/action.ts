import { usageError } from '../../../core/errors.js';
import { forgetProfileCredentials } from '../../../flows/forgetCredentials.js';
import { configuredSessions, isSsoProfile, sessionOfProfile } from '../../../flows/sso/sessions.js';
import type { CliContext } from '../../context.js';
import { fedloginProfiles } from '../../fedloginProfiles.js';
import { signOutOfSsoSession } from '../../ssoSessions.js';

export interface LogoutOptions {
  all?: boolean;
}

/**
 * Forgets fedlogin's credentials of one profile (--profile) or of every fedlogin profile (--all).
 * IAM Identity Center: --all also signs out of every session of the config file, as
 * `aws sso logout` does (the portal's Logout, the token cache file removed); --profile P of an SSO
 * profile forgets P's role credentials only and leaves the session, which other profiles and the
 * AWS tools share, signed in (the notice names `fedlogin sso logout`).
 */
export async function runLogout(options: LogoutOptions, context: CliContext): Promise<void> {
  if (!options.all && !context.profile) {
    throw usageError('PROFILE_REQUIRED', 'Say which profile to log out of: --profile NAME, or --all.');
  }
  const profiles = fedloginProfiles(context.env, options.all ? undefined : context.profile);
  if (!options.all && profiles.length === 0) {
    throw usageError('PROFILE_NOT_FOUND', `No profile "${context.profile}" in the AWS config file.`);
  }
  for (const profile of profiles) {
    const { removed } = await forgetProfileCredentials(profile, {
      env: context.env,
      regionFlag: context.region,
      notice: (line) => context.logger.notice(line),
    });
    context.logger.notice(
      `${profile.name}: ${removed.length ? `removed ${removed.join(' and ')}` : 'nothing to remove'}.`,
    );
    if (!options.all && isSsoProfile(profile)) {
      const { session } = sessionOfProfile(context.env, profile);
      if (session) {
        const end = session.name ? `--sso-session ${session.name}` : `--profile ${profile.name}`;
        context.logger.notice(
          `${session.label} stays signed in (other profiles and the AWS tools share it); to end it: fedlogin sso logout ${end}`,
        );
      }
    }
  }
  if (!options.all) return;
  for (const { label, lookup } of configuredSessions(context.env, profiles)) {
    if (lookup.session) await signOutOfSsoSession(lookup.session, context, { keepRoleCredentials: true });
    else context.logger.notice(`${label}: not signed out: ${lookup.problem}`);
  }
}
