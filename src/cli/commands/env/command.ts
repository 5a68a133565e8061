import type { Command } from 'commander';
import { formatOption } from '../../deliveryOptions.js';
import type { LazyAction } from '../../lazyAction.js';

const EXAMPLES = `
Examples:
  $ eval "$(fedlogin env --profile dev)"                       # sh, bash, zsh
  $ fedlogin env --profile dev --format fish | source
  PS> fedlogin env --profile dev --format powershell | Invoke-Expression
  $ fedlogin env --profile dev --format dotenv > .env          # keep it out of version control
  $ fedlogin env --profile ci --format github-env >> "$GITHUB_ENV"

Prints AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION,
AWS_REGION and AWS_DEFAULT_REGION (secrets: stdout only). With --format github-env the
::add-mask:: workflow commands for the key id, secret key and session token go to stderr first
(the runner reads commands from both streams), so later steps' logs hide them. The credentials come from the cache and
are refreshed through the profile's flow when they are close to expiry, as credential-process does.
They do not refresh themselves later: for long jobs use fedlogin exec --server.
`;

export function registerEnv(program: Command, lazyAction: LazyAction): void {
  program
    .command('env')
    .description("print a profile's credentials as environment variables for a shell, a .env file or CI")
    .addOption(formatOption('how to write the variables', 'sh'))
    .addHelpText('after', EXAMPLES)
    .action(lazyAction(() => import('./action.js'), 'runEnv'));
}
