import type { Command } from 'commander';
import type { LazyAction } from '../../lazyAction.js';

export function registerStatus(program: Command, lazyAction: LazyAction): void {
  program
    .command('status')
    .description(
      'list fedlogin profiles under the sign-in (IdP or session) they come from, chained profiles under their source, with flow, store and cached expiry (no secrets)',
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
`,
    )
    .action(lazyAction(() => import('./action.js'), 'runStatus'));
}
