import type { Command } from 'commander';
import type { LazyAction } from '../../lazyAction.js';

export function registerLogout(program: Command, lazyAction: LazyAction): void {
  program
    .command('logout')
    .description("forget a profile's cached credentials and remove the credentials-file section fedlogin wrote")
    .option('--all', 'every fedlogin profile')
    .addHelpText(
      'after',
      `
Examples:
  $ fedlogin logout --profile dev
  $ fedlogin logout --all

Sections of ~/.aws/credentials are removed only when fedlogin wrote them (they carry
x_security_token_expires); long-term keys are never touched.
`,
    )
    .action(lazyAction(() => import('./action.js'), 'runLogout'));
}
