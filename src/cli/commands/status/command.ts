import type { Command } from 'commander';
import type { RunCommand } from '../context.js';

export function registerStatus(program: Command, run: RunCommand): void {
  program
    .command('status')
    .description('list fedlogin profiles with their flow, store and cached expiry (no secrets)')
    .option('--json', 'print JSON instead of a table')
    .addHelpText('after', `
Examples:
  $ fedlogin status
  $ fedlogin status --profile dev --json
`)
    .action(async (options: { json?: boolean }, command: Command) => {
      await run(async (context) => {
        const { runStatus } = await import('./statusAction.js');
        await runStatus(options, context);
      }, command);
    });
}

export function registerLogout(program: Command, run: RunCommand): void {
  program
    .command('logout')
    .description("forget a profile's cached credentials and remove the credentials-file section fedlogin wrote")
    .option('--all', 'every fedlogin profile')
    .addHelpText('after', `
Examples:
  $ fedlogin logout --profile dev
  $ fedlogin logout --all

Sections of ~/.aws/credentials are removed only when fedlogin wrote them (they carry
x_security_token_expires); long-term keys are never touched.
`)
    .action(async (options: { all?: boolean }, command: Command) => {
      await run(async (context) => {
        const { runLogout } = await import('./logoutAction.js');
        await runLogout(options, context);
      }, command);
    });
}
