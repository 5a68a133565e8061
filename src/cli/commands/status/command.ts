import type { Command } from 'commander';
import type { LazyAction } from '../../lazyAction.js';

export function registerStatus(program: Command, lazyAction: LazyAction): void {
  program
    .command('status')
    .description('list fedlogin profiles with their flow, store and cached expiry (no secrets)')
    .option('--json', 'print JSON instead of a table')
    .addHelpText(
      'after',
      `
Examples:
  $ fedlogin status
  $ fedlogin status --profile dev --json
`,
    )
    .action(lazyAction(() => import('./action.js'), 'runStatus'));
}
