import type { Command } from 'commander';
import type { LazyAction } from '../../lazyAction.js';

export function registerLogout(program: Command, lazyAction: LazyAction): void {
  program
    .command('logout')
    .description("forget a profile's cached credentials and remove the credentials-file section fedlogin wrote")
    .option('--all', 'every fedlogin profile, and sign out of every IAM Identity Center session')
    .addHelpText(
      'after',
      `
Examples:
  $ fedlogin logout --profile dev
  $ fedlogin logout --profile prod-ro   # an SSO profile: its role credentials; the session stays
  $ fedlogin logout --all

Sections of ~/.aws/credentials are removed only when fedlogin wrote them (they carry
x_security_token_expires); long-term keys are never touched. For a saml profile the SAML
assertion kept for its IdP (shared by the profiles of that IdP for a few minutes) goes too.

IAM Identity Center (SSO) profiles: --profile P forgets P's cached role credentials only; the
session stays signed in, because other profiles and the AWS tools share it (end it with
fedlogin sso logout --sso-session NAME). --all also signs out of every session of ~/.aws/config
([sso-session NAME] sections, and legacy profiles' sso_start_url), as aws sso logout does: the
portal's Logout, then ~/.aws/sso/cache/<sha1>.json removed. No other file of ~/.aws/sso/cache
is touched, nor the AWS CLI's own role-credential cache (~/.aws/cli/cache).

For an OIDC or Cognito profile, the ID token its sign-in's last renewal kept for the other
profiles of that sign-in is forgotten too; the refresh token stays, so the next renewal asks the
IdP again without a browser.
`,
    )
    .action(lazyAction(() => import('./action.js'), 'runLogout'));
}
