import type { Command } from 'commander';
import { browserOption, browserProfileOption } from '../../browserOptions.js';
import { addDeliveryOptions } from '../../deliveryOptions.js';
import type { LazyAction } from '../../lazyAction.js';
import { policyArnOption, policyFileOption } from '../../sessionPolicyOptions.js';
import type { SamlOptions } from './action.js';

const EXAMPLES = `
Examples:
  # Sign in at your IdP in your own Chrome/Chromium/Edge/Brave, pick a role, print credential JSON
  $ fedlogin saml --idp-url https://idp.example.com/app/aws/sso --output env

  # Name the role; write it to ~/.aws/credentials as [dev]
  $ fedlogin saml --idp-url https://idp.example.com/app/aws/sso \\
      --role-arn arn:aws:iam::123456789012:role/dev --output credentials-file --profile dev

  # One sign-in, a renewing ~/.aws/config profile for every role the IdP grants ([prod-admin],
  # [dev-readonly], ...; accounts without an alias are named as AWS's role-selection page shows them)
  $ fedlogin saml --idp-url https://idp.example.com/app/aws/sso --all-roles \\
      --account-aliases 123456789012=prod,210987654321=dev
  # See what would change first; later, remove the profiles of roles the IdP no longer grants
  $ fedlogin saml --idp-url https://idp.example.com/app/aws/sso --all-roles --dry-run
  $ fedlogin saml --idp-url https://idp.example.com/app/aws/sso --all-roles --prune
  # Static keys in ~/.aws/credentials instead (they expire with the session)
  $ fedlogin saml --idp-url https://idp.example.com/app/aws/sso --all-roles --output credentials-file

  # Device-trust IdPs (Entra compliant device, Google endpoint verification, Okta device trust):
  # sign in in your own browser profile (close that browser first)...
  $ fedlogin saml --idp-url https://idp.example.com/app/aws/sso --browser edge --browser-profile "Profile 1"
  # ...or in your running browser, started with remote debugging (see docs/browsers.md)
  $ fedlogin saml --idp-url https://idp.example.com/app/aws/sso --browser-url http://127.0.0.1:9222
  # Narrow the session below what the role allows (session policies)
  $ fedlogin saml --idp-url https://idp.example.com/app/aws/sso --role-arn arn:aws:iam::123456789012:role/dev \\
      --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess --policy-file read-logs.json

  # No browser: a SAMLResponse you captured yourself
  $ fedlogin saml --assertion-file response.b64 --role-arn arn:aws:iam::123456789012:role/dev
  $ fedlogin saml decode response.b64          # roles, expiry, recipient; never the assertion

  # As a profile in ~/.aws/config (silent renewal through the browser session)
  [profile dev]
  credential_process = fedlogin credential-process --profile dev
  fedlogin_flow = saml
  fedlogin_idp_url = https://idp.example.com/app/aws/sso
  fedlogin_role_arn = arn:aws:iam::123456789012:role/dev

  # A profile chained from dev (role_arn + source_profile = dev, or fedlogin_chain_role_arn):
  # the sign-in, then each hop, cached for every profile of the chain
  $ fedlogin saml --profile app

Each IdP gets its own browser profile under $XDG_DATA_HOME/fedlogin/browser/; the IdP session
carries over between runs, including session cookies the IdP sets without "remember me".
`;

export function registerSaml(program: Command, lazyAction: LazyAction): void {
  const saml = addDeliveryOptions(
    program
      .command('saml')
      .description('sign in at a SAML IdP in your own browser and exchange the assertion with AssumeRoleWithSAML')
      .option('--idp-url <url>', "the AWS app's IdP-initiated sign-on URL (default: the profile's fedlogin_idp_url)")
      .option(
        '--role-arn <arn>',
        'role to assume (default: fedlogin_role_arn; else the only role, or a choice on the terminal)',
      )
      .option('--assertion-file <file>', "read a base64 SAMLResponse from a file ('-' for stdin) instead of signing in")
      .addOption(browserOption('drives'))
      .addOption(browserProfileOption())
      .option(
        '--browser-url <url>',
        'attach to your running browser started with --remote-debugging-port, e.g. http://127.0.0.1:9222',
      )
      .option('--headed', 'always show the browser window')
      .option('--headless', 'never show a window (works only while the IdP session lasts)')
      .option('--acs-url-pattern <pattern>', 'also capture POSTs to this URL (`*` wildcards), for IdP proxies')
      .option('--account-aliases <list>', 'account names for the role list: 123456789012=prod,210987654321=dev')
      .option(
        '--duration <time>',
        "session length, 15m to 12h, as 900 (seconds), 15m, 1h or 1h30m (capped by the IdP's SessionDuration)",
      )
      .option(
        '--all-roles',
        'write a renewing ~/.aws/config profile for every role in the assertion (static keys in ~/.aws/credentials with --output credentials-file)',
      )
      .option(
        '--profile-template <template>',
        'profile names for --all-roles: {account} (alias, else the name AWS shows, else the ID) {account_id} {role} {partition}',
        '{account}-{role}',
      )
      .option(
        '--prune',
        "with --all-roles: remove the profiles this IdP's --all-roles wrote for roles it no longer grants",
      )
      .option(
        '--dry-run',
        'with --all-roles: print the changes to ~/.aws/config and write nothing (signs in for the role list; no STS call)',
      )
      .option(
        '--no-account-names-from-aws',
        "with --all-roles: do not ask AWS's role-selection page (signin.aws.amazon.com/saml) for account names",
      )
      .option(
        '--timeout <time>',
        'how long to wait for the sign-in to finish, 5s to 1h, as 300 (seconds), 90s, 5m or 1m30s (default: 5m, or fedlogin_login_timeout)',
      )
      .option(
        '--silent-timeout <time>',
        'how long a silent renewal through the IdP session may take before a window opens, 1s to 2m, as 10 (seconds), 30s or 1m (default: 10s, or fedlogin_silent_timeout)',
      )
      .addOption(policyArnOption())
      .addOption(policyFileOption()),
    'where the credentials go (default: credential-process)',
  )
    .addHelpText('after', EXAMPLES)
    .action(lazyAction(() => import('./action.js'), 'runSaml'));

  saml
    .command('decode')
    .description('show the roles, expiry, recipient and status of a SAMLResponse (never the assertion itself)')
    .argument('[file]', "a file with the base64 SAMLResponse, or '-' for stdin", '-')
    .option('--json', 'print JSON instead of a table')
    .option('--no-check', 'show the assertion even when STS would refuse it (expired, failed status, wrong recipient)')
    .option('--account-aliases <list>', 'account names: 123456789012=prod,...')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .action(
      lazyAction(
        () => import('./decodeAction.js'),
        'runSamlDecode',
        ({ args: [file], options, command }) => ({
          ...options,
          file: file as string,
          // `saml` has --account-aliases too, and commander hands it to the parent when given after decode
          accountAliases: options.accountAliases ?? command.parent?.opts<SamlOptions>().accountAliases,
        }),
      ),
    );
}
