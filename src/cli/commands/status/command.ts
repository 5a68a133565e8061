import type { Command } from 'commander';
import type { LazyAction } from '../../lazyAction.js';

export function registerStatus(program: Command, lazyAction: LazyAction): void {
  program
    .command('status')
    .description(
      'list fedlogin profiles under the sign-in (IdP or IAM Identity Center session) they come from, chained profiles under their source, with flow, store and cached expiry (no secrets)',
    )
    .option('--json', 'print JSON instead of a table')
    .addHelpText(
      'after',
      `
Examples:
  $ fedlogin status
  SIGN-IN / PROFILE                          FLOW   STORE  STATE  EXPIRES                   ROLE
  saml https://idp.example.com/app/aws/sso
    dev                                      saml   file   valid  2026-01-01T12:00:00.000Z  arn:aws:iam::123456789012:role/dev
       └─ app                                chain  file   none   -                         arn:aws:iam::210987654321:role/app

  # the same as JSON: "profiles" (flat, as before) and "signIns" (the tree)
  $ fedlogin status --profile dev --json

IAM Identity Center profiles (sso_session, or a legacy sso_start_url) hang off their session, whose
row reads "sso-session corp https://my-company.awsapps.com/start (eu-west-1), renewable" with
STORE sso-cache: STATE and EXPIRES are those of its token in the AWS CLI's cache
(~/.aws/sso/cache/<sha1>.json), and "renewable" says a refresh token renews it without a sign-in
("not renewable": sign in again once it expires). Each profile's row has its cached role
credentials (ROLE reads "ReadOnly in 111111111111"). In --json the sign-in carries "sso":
{session, startUrl, region, token: {state, expiration, renewable, file}}. status only reads:
nothing is renewed or sent.
`,
    )
    .action(lazyAction(() => import('./action.js'), 'runStatus'));
}
