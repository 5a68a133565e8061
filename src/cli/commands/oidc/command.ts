import type { Command } from 'commander';
import { addBrowserOptions } from '../../browserOptions.js';
import { addDeliveryOptions } from '../../deliveryOptions.js';
import { type LazyAction, typedOnly } from '../../lazyAction.js';
import { policyArnOption, policyFileOption } from '../../sessionPolicyOptions.js';

const EXAMPLES = `
Examples:
  # Sign in in your browser (authorization code + PKCE), print credential_process JSON
  $ fedlogin oidc --issuer https://login.example.com --client-id fedlogin-cli \\
      --role-arn arn:aws:iam::123456789012:role/dev

  # Over ssh or in a container: the device flow (a URL and a code to enter on another device)
  $ fedlogin oidc --device --issuer https://login.example.com --client-id fedlogin-cli --role-arn ...

  # As a profile in ~/.aws/config; renews silently with the IdP's refresh token
  [profile dev]
  credential_process = fedlogin credential-process --profile dev
  fedlogin_flow = oidc
  fedlogin_issuer = https://login.example.com
  fedlogin_client_id = fedlogin-cli
  fedlogin_role_arn = arn:aws:iam::123456789012:role/dev
  # fedlogin_prompt = consent   (IdPs that issue refresh tokens only after consent)

  $ fedlogin login --profile dev        # the first sign-in; credential-process renews after that

  # One sign-in, a renewing profile for every role listed ([123456789012-dev], [210987654321-ops])
  $ fedlogin oidc --issuer https://login.example.com --client-id fedlogin-cli --all-roles \\
      --role-arns arn:aws:iam::123456789012:role/dev,arn:aws:iam::210987654321:role/ops
  # ...or the roles listed in a profile (fedlogin_role_arns = ARN, ARN ...); --dry-run, --prune
  $ fedlogin oidc --profile corp --all-roles --dry-run

  # Sign in in a browser and profile of your choice (also fedlogin_browser, fedlogin_browser_profile)
  $ fedlogin oidc --profile dev --browser chrome --browser-profile "Profile 1"

  # A profile chained from dev (role_arn + source_profile = dev, or fedlogin_chain_role_arn):
  # the sign-in, then each hop, cached for every profile of the chain
  $ fedlogin oidc --profile app

Renewal: an IdP may renew without a new ID token (OpenID Connect Core 12.2). fedlogin then uses
the access token when it is a JWT from the issuer for the client ID, else it says why you must
sign in again. --issuer is the exact "issuer" of the IdP's discovery document; a discovery URL
that redirects is reported with its target, not followed.

A confidential client's secret is read from FEDLOGIN_OIDC_CLIENT_SECRET, never from the command line.
`;

export function registerOidc(program: Command, lazyAction: LazyAction): void {
  const command = program
    .command('oidc')
    .description(
      'sign in at an OpenID Connect IdP (browser or device flow) and exchange the token for role credentials',
    )
    .option(
      '--issuer <url>',
      "the IdP's issuer URL (https; http only on 127.0.0.1/::1/localhost) (default: the profile's fedlogin_issuer)",
    )
    .option('--client-id <id>', 'the OIDC client (a public, native app client) (default: fedlogin_client_id)')
    .option('--role-arn <arn>', 'role to assume (default: fedlogin_role_arn)')
    .option(
      '--all-roles',
      'write a renewing ~/.aws/config profile for every role of --role-arns (or fedlogin_role_arns), from one sign-in',
    )
    .option(
      '--role-arns <list>',
      'the roles for --all-roles, separated by commas or blanks (default: fedlogin_role_arns)',
    )
    .option(
      '--profile-template <template>',
      'profile names for --all-roles: {account} (the alias, else the account ID) {account_id} {role} {partition}',
      '{account}-{role}',
    )
    .option(
      '--account-aliases <list>',
      'account names for --all-roles: 123456789012=prod,210987654321=dev (default: fedlogin_account_aliases)',
    )
    .option('--prune', 'with --all-roles: remove the profiles this issuer and client wrote for roles no longer listed')
    .option('--dry-run', 'with --all-roles: print the changes to ~/.aws/config and write nothing; no sign-in')
    .option('--scope <scopes>', 'scopes to request (default: openid, plus offline_access when the IdP supports it)')
    .option('--token-type <type>', 'the token given to STS: id|access (default: id)')
    .option('--device', 'use the device flow: show a URL and a code (the default when no browser can be opened)')
    .option('--no-device', 'use the browser flow even where no browser can be opened (the URL is shown)');
  addDeliveryOptions(
    addBrowserOptions(command)
      .option('--no-browser', 'do not open a browser; show the sign-in URL to open yourself')
      .option('--prompt <prompt>', 'the OIDC prompt parameter, e.g. consent or login')
      .option(
        '--timeout <time>',
        'how long to wait for the sign-in, 1s to 1h, as 90 (seconds), 90s, 5m or 1m30s (default: 5m)',
      )
      .option('--duration <time>', 'session length, 15m to 12h, as 900 (seconds), 15m, 1h or 1h30m (default: 1h)')
      .option(
        '--role-session-name <name>',
        "session name shown in CloudTrail (default: the token's preferred_username, email or sub)",
      )
      .addOption(policyArnOption())
      .addOption(policyFileOption())
      .addHelpText('after', EXAMPLES),
    'where the credentials go (default: credential-process)',
  ).action(
    lazyAction(
      () => import('./action.js'),
      'runOidc',
      (call) => typedOnly(call, 'device'),
    ),
  );
}
