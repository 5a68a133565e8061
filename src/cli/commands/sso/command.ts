import type { Command } from 'commander';
import { addBrowserOptions } from '../../browserOptions.js';
import { type LazyAction, typedOnly } from '../../lazyAction.js';

const LOGIN_EXAMPLES = `
Examples:
  $ fedlogin sso login --sso-session corp            # browser: authorization code + PKCE
  $ fedlogin sso login --sso-session corp --device   # a URL and a code, for ssh and containers
  $ fedlogin sso login --profile dev --no-browser    # the session of profile dev; print the URL
  $ fedlogin sso login --sso-session corp --browser chrome --browser-profile "Profile 1"  # that browser and profile

The sign-in is saved where the AWS CLI keeps its own (~/.aws/sso/cache/<sha1 of the session
name>.json), so aws, boto3 and the JS and Go SDKs use it natively, and fedlogin renews it silently
with its refresh token. Settings come from ~/.aws/config:

  [sso-session corp]
  sso_start_url = https://my-company.awsapps.com/start
  sso_region = eu-west-1
  sso_registration_scopes = sso:account:access
`;

const SYNC_EXAMPLES = `
Examples:
  $ fedlogin sso sync --sso-session corp --dry-run   # show what would change
  $ fedlogin sso sync --sso-session corp             # one profile per account and role
  $ fedlogin sso sync --sso-session corp --prune --template '{account_id}-{role_name}'

Each profile written carries fedlogin_managed_by = sso-sync:NAME; only those are updated, and
--prune removes only those no longer granted. A profile a person wrote is never changed. Every
other byte of ~/.aws/config is kept. Placeholders: {account_name}, {account_id}, {role_name},
{session}; characters outside A-Z a-z 0-9 . _ - become "-".
`;

export function registerSso(program: Command, lazyAction: LazyAction): void {
  const sso = program
    .command('sso')
    .description('IAM Identity Center: sign in once, share the AWS CLI token cache, write a profile per role')
    .addHelpText(
      'after',
      `
Examples:
  $ fedlogin sso login --sso-session corp            # sign in (browser, or --device)
  $ fedlogin sso sync --sso-session corp --dry-run   # a profile per account and role
  $ aws s3 ls --profile prod-ro                      # the AWS tools read the shared token cache
  $ fedlogin exec --profile prod-ro -- terraform plan
  $ fedlogin sso logout --sso-session corp
`,
    );
  const login = sso
    .command('login')
    .description('sign in to an sso-session and save the token where the AWS tools read it')
    .option('--sso-session <name>', "the [sso-session NAME] of ~/.aws/config (default: the profile's sso_session)")
    .option('--device', 'use the device flow (the default when no browser can be opened)')
    .option('--no-device', 'use the browser flow even where no browser can be opened (the URL is shown)');
  addBrowserOptions(login)
    .option('--no-browser', 'do not open a browser; print the sign-in URL on stderr')
    .option('--timeout <time>', 'how long to wait for the sign-in, as 90 (seconds), 90s, 5m (default: 5m)')
    .addHelpText('after', LOGIN_EXAMPLES)
    .action(
      lazyAction(
        () => import('./action.js'),
        'runSsoLogin',
        (call) => typedOnly(call, 'device'),
      ),
    );
  sso
    .command('logout')
    .description(
      "sign out of an sso-session at the portal, remove its cached token and forget its profiles' cached role credentials",
    )
    .option('--sso-session <name>', "the sso-session (default: the profile's sso_session)")
    .addHelpText(
      'after',
      `
Examples:
  $ fedlogin sso logout --sso-session corp
  $ fedlogin sso logout --profile prod-ro   # the session of that profile

As aws sso logout: the portal's Logout (SSO-OIDC has no revocation), then the token cache file
~/.aws/sso/cache/<sha1 of the session name>.json removed. Also forgotten: the role credentials
fedlogin cached for the session's profiles (and for profiles chained off them), and the
~/.aws/credentials sections fedlogin wrote for them. Role credentials already handed to a
process stay valid until they expire, as with the AWS CLI. To forget one profile's credentials
and stay signed in: fedlogin logout --profile P.
`,
    )
    .action(lazyAction(() => import('./action.js'), 'runSsoLogout'));
  sso
    .command('sync')
    .description('write one profile per account and role the sso-session grants')
    .option('--sso-session <name>', "the sso-session (default: the profile's sso_session)")
    .option('--template <template>', 'profile name template (default: {account_name}-{role_name})')
    .option('--prune', 'remove profiles this sync wrote earlier whose role is no longer granted')
    .option('--dry-run', 'show the changes, write nothing')
    .addHelpText('after', SYNC_EXAMPLES)
    .action(lazyAction(() => import('./action.js'), 'runSsoSync'));
}
