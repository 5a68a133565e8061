import type { Command } from 'commander';
import type { LazyAction } from '../../lazyAction.js';

const EXAMPLES = `
Examples:
  # ~/.aws/config
  [profile dev]
  credential_process = fedlogin credential-process --profile dev
  fedlogin_flow = web-identity
  fedlogin_role_arn = arn:aws:iam::123456789012:role/dev
  fedlogin_token_file = /var/run/secrets/token

  $ aws sts get-caller-identity --profile dev

Prints {"Version":1,...} on stdout for the AWS CLI and SDKs. Served from fedlogin's cache while more
than the refresh window (fedlogin_refresh_window, default 15m) is left; otherwise one process per
profile refreshes while the others wait for its result. When a refresh needs you and there is no
terminal, it fails at once and names the command to run.
`;

export function registerCredentialProcess(program: Command, lazyAction: LazyAction): void {
  program
    .command('credential-process')
    .description('print credentials for a profile in the credential_process format (the line for ~/.aws/config)')
    .addHelpText('after', EXAMPLES)
    .action(lazyAction(() => import('./action.js'), 'runCredentialProcess'));
}
