import type { Command } from 'commander';
import type { LazyAction } from '../../lazyAction.js';

const EXAMPLES = `
Examples:
  $ fedlogin exec --profile dev aws s3 ls
  $ fedlogin exec --profile dev ls -la
  $ fedlogin exec --profile dev -- terraform plan             # "--" works too
  $ fedlogin exec --profile dev --server ./long-running-job.sh   # credentials never go stale

fedlogin's own options go before the command; everything from the command's first word on is the
command's, untouched (aws --version is the AWS CLI's version, not fedlogin's).

Without --server the command gets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
AWS_CREDENTIAL_EXPIRATION, AWS_REGION and AWS_DEFAULT_REGION; they stop working when the session
ends. With --server it gets AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN
instead: a local endpoint on 127.0.0.1 that the AWS CLI and SDKs ask for credentials, refreshed
ahead of expiry for as long as the command runs.

Either way AWS_PROFILE and AWS_DEFAULT_PROFILE are removed (so the SDKs do not resolve the profile
again) and FEDLOGIN_PROFILE is set. Running fedlogin exec inside another is refused unless --force.
Signals (SIGINT, SIGTERM, SIGHUP) are passed on; fedlogin exits with the command's exit code, or
128+N when a signal N ended it.
`;

export function registerExec(program: Command, lazyAction: LazyAction): void {
  program
    .command('exec')
    .description("run a command with a profile's credentials in its environment")
    .argument('<command...>', 'the command and its arguments')
    .passThroughOptions()
    .option('--server', 'serve refreshing credentials from a local endpoint instead of putting keys in the environment')
    .option('--force', 'run even inside another fedlogin exec (FEDLOGIN_PROFILE is set)')
    .addHelpText('after', EXAMPLES)
    .action(
      lazyAction(
        () => import('./action.js'),
        'runExec',
        ({ args: [commandLine], options }) => ({ ...options, commandLine: commandLine as string[] }),
      ),
    );
}
