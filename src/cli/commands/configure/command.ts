import type { Command } from 'commander';
import { FLOW_NAMES } from '../../../config/profileValues.js';
import type { LazyAction } from '../../lazyAction.js';
import { collect } from '../../parseOptions.js';

const EXAMPLES = `
Examples:
  $ fedlogin configure --profile dev                 # asks, with the profile's current values as defaults
  $ fedlogin configure --profile ci --flow web-identity --role-arn arn:aws:iam::123456789012:role/ci \\
      --token-file /var/run/secrets/token --non-interactive
  $ fedlogin configure --profile dev --flow oidc --issuer https://login.example.com --client-id cli \\
      --role-arn arn:aws:iam::123456789012:role/dev --region eu-west-1
  $ fedlogin configure --profile sso --flow saml --idp-url https://idp.example.com/app/aws/sso
  $ fedlogin configure --profile app --flow cognito --identity-pool-id us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b \
      --issuer https://login.example.com --client-id cli      # users sign in at an OpenID Provider
  $ fedlogin configure --profile prod-ro --flow sso --sso-session corp \\
      --sso-start-url https://my-company.awsapps.com/start --sso-region eu-west-1 \\
      --sso-account-id 111111111111 --sso-role-name ReadOnly --non-interactive

Writes the fedlogin_* keys and credential_process = fedlogin credential-process --profile NAME into
the profile of ~/.aws/config, keeping its other keys and comments; changing a profile's flow drops
the old flow's fedlogin_* keys. When the fedlogin on PATH is not this one (run from a checkout or
through npx), credential_process names this fedlogin by its absolute path instead.
Flags given are not asked for; without a terminal (or with --non-interactive) nothing is asked, and
a missing required value is a usage error naming its flag. At a prompt that shows a value, Enter
keeps it and "-" clears an optional one. Esc or Ctrl-C aborts without writing anything.
With --flow sso it writes [sso-session NAME] (sso_start_url, sso_region) and the profile's
sso_session, sso_account_id and sso_role_name, as the AWS CLI does, and no credential_process: the
AWS tools use the shared sign-in natively (fedlogin sso login).
`;

export function registerConfigure(program: Command, lazyAction: LazyAction): void {
  program
    .command('configure')
    .description('set up a profile in ~/.aws/config for one of the flows (asks, or takes flags)')
    .option('--flow <flow>', `login flow: ${FLOW_NAMES.join('|')} (default: the profile's, else asked)`)
    .option('--non-interactive', 'never ask; a missing required value is an error')
    .option('--role-arn <arn>', 'role to assume (web-identity, oidc, saml, cognito --basic)')
    .option('--token-file <path>', 'web-identity: the token file')
    .option('--token-env <name>', 'web-identity: the environment variable holding the token')
    .option('--ci <name>', 'web-identity: auto|github|gitlab|circleci|buildkite|bitbucket|azure-devops|kubernetes')
    .option('--audience <aud>', 'web-identity: audience to request from the CI')
    .option('--role-session-name <name>', 'web-identity: session name')
    .option('--idp-url <url>', "saml: the AWS app's IdP-initiated sign-on URL")
    .option('--browser <path|name>', 'saml: browser to drive')
    .option('--account-aliases <list>', 'saml: 123456789012=prod,210987654321=dev')
    .option('--issuer <url>', 'oidc, cognito (an OIDC login): issuer URL')
    .option('--client-id <id>', 'oidc, cognito: client ID')
    .option('--scope <scopes>', 'oidc, cognito: scopes to request')
    .option('--device', 'oidc, cognito: use the device flow')
    .option('--identity-pool-id <id>', 'cognito: REGION:UUID')
    .option('--login <key=@file>', 'cognito: a login (repeatable)', collect)
    .option('--guest', 'cognito: unauthenticated access')
    .option('--basic', 'cognito: basic flow (with --role-arn)')
    .option('--custom-role-arn <arn>', 'cognito: role to pick in the enhanced flow')
    .option('--sso-session <name>', 'sso: the [sso-session NAME] the profile signs in with')
    .option('--sso-start-url <url>', 'sso: the AWS access portal URL of the session')
    .option('--sso-region <region>', 'sso: the IAM Identity Center region of the session')
    .option('--sso-account-id <id>', 'sso: the account of the profile')
    .option('--sso-role-name <name>', 'sso: the role (permission set) of the profile')
    .option('--duration <time>', 'session length, 15m to 12h, as 900 (seconds), 15m, 1h or 1h30m')
    .option('--store <store>', 'where credentials are cached: auto|keychain|file')
    .addHelpText('after', EXAMPLES)
    .action(lazyAction(() => import('./action.js'), 'runConfigure'));
}
