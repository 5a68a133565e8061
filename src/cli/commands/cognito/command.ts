import type { Command } from 'commander';
import { addDeliveryOptions } from '../../deliveryOptions.js';
import { type LazyAction, typedOnly } from '../../lazyAction.js';
import { collect } from '../../parseOptions.js';

const EXAMPLES = `
Examples:
  # Guest (unauthenticated) access; the pool must allow it
  $ fedlogin cognito --identity-pool-id us-east-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f --guest

  # A Cognito user pool's ID token, read from a file (re-read on every refresh)
  $ fedlogin cognito --identity-pool-id us-east-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f \\
      --login cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123=@id-token.jwt --output env

  # Sign in at an OIDC IdP (browser, or --device), its ID token as the login under the issuer's
  # host + path; here a Cognito user pool's hosted sign-in
  $ fedlogin cognito --identity-pool-id us-east-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f \\
      --issuer https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123 --client-id 1example23456789

  # Basic (classic) flow: Cognito's OpenID token, then AssumeRoleWithWebIdentity into your role
  $ fedlogin cognito --identity-pool-id us-east-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f --guest \\
      --basic --role-arn arn:aws:iam::123456789012:role/cognito-guest

  # As a credential_process in ~/.aws/config
  [profile app]
  credential_process = fedlogin credential-process --profile app
  fedlogin_flow = cognito
  fedlogin_identity_pool_id = us-east-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f
  fedlogin_login = accounts.google.com=@/home/me/.cache/google-id-token

  # A profile with an OIDC login: credential-process renews through the refresh token
  [profile app-sso]
  credential_process = fedlogin credential-process --profile app-sso
  fedlogin_flow = cognito
  fedlogin_identity_pool_id = us-east-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f
  fedlogin_issuer = https://login.example.com
  fedlogin_client_id = fedlogin-cli
  # fedlogin_prompt = consent   (IdPs that issue refresh tokens only after consent)

  $ fedlogin login --profile app-sso    # the first sign-in; credential-process renews after that
  $ fedlogin cognito --profile app-admin  # chained from app-sso: the sign-in, then each hop

Login keys: a Cognito user pool is cognito-idp.REGION.amazonaws.com/POOL_ID; Google
accounts.google.com; any OIDC provider its issuer without https://; SAML the provider ARN, with
the base64 SAMLResponse in the file; --issuer signs in and uses the issuer's host + path. The
region is the pool ID's prefix. The IdentityId is remembered per pool and user, so GetId runs once.
A confidential client's secret is read from FEDLOGIN_OIDC_CLIENT_SECRET, never from the command line.
`;

export function registerCognito(program: Command, lazyAction: LazyAction): void {
  addDeliveryOptions(
    program
      .command('cognito')
      .description('get credentials from a Cognito identity pool (enhanced flow, or --basic with your own role)')
      .option('--identity-pool-id <id>', "the pool, REGION:UUID (default: the profile's fedlogin_identity_pool_id)")
      .option('--login <key=@file>', 'a login: provider name and the file holding its token (repeatable)', collect)
      .option('--guest', 'unauthenticated access: no logins (the pool must allow guests)')
      .option(
        '--issuer <url>',
        "sign in at this OIDC IdP; its ID token is the login under the issuer's host + path (default: fedlogin_issuer)",
      )
      .option(
        '--client-id <id>',
        'with --issuer: the OIDC client (a public, native app client) (default: fedlogin_client_id)',
      )
      .option(
        '--scope <scopes>',
        'with --issuer: scopes to request (default: openid, plus offline_access when the IdP supports it)',
      )
      .option('--device', 'with --issuer: use the device flow (a URL and a code)')
      .option('--no-device', 'with --issuer: use the browser flow even where no browser can be opened')
      .option('--no-browser', 'with --issuer: do not open a browser; show the sign-in URL to open yourself')
      .option('--prompt <prompt>', 'with --issuer: the OIDC prompt parameter, e.g. consent or login')
      .option(
        '--timeout <time>',
        'with --issuer: how long to wait for the sign-in, 1s to 1h, as 90 (seconds), 90s, 5m or 1m30s (default: 5m)',
      )
      .option('--basic', 'basic (classic) flow: GetOpenIdToken, then AssumeRoleWithWebIdentity into --role-arn')
      .option('--role-arn <arn>', 'with --basic: the role to assume')
      .option('--custom-role-arn <arn>', "enhanced flow: which role to get when the pool's rules allow several")
      .option('--role-session-name <name>', 'with --basic: session name (default: from the identity ID)')
      .option('--duration <time>', 'with --basic: session length, 15m to 12h, as 900 (seconds), 15m, 1h or 1h30m')
      .addHelpText('after', EXAMPLES),
    'where the credentials go (default: credential-process)',
  ).action(
    lazyAction(
      () => import('./action.js'),
      'runCognito',
      (call) => typedOnly(call, 'device'),
    ),
  );
}
