import type { Command } from 'commander';
import type { LazyAction } from '../../lazyAction.js';

const EXAMPLES = `
Examples:
  $ fedlogin console --profile dev                          # opens the console home in your browser
  $ fedlogin console --profile dev --destination /s3/home   # a path on the console host, or a full URL
  $ fedlogin console --profile dev --duration 4h
  $ fedlogin console --profile dev --print                  # print the sign-in link instead

Signs in through the AWS federation endpoint of the role's partition (signin.aws.amazon.com,
signin.amazonaws.cn, signin.amazonaws-us-gov.com). The link printed with --print is valid for
15 minutes and signs in whoever opens it: treat it as a secret. Role-chained credentials allow
at most --duration 1h. Without --print the browser ($BROWSER, else the system's) is started with
a one-shot 127.0.0.1 address that redirects once to the link, so the link never appears in the
process list; fedlogin waits up to 2 minutes for the browser to open it.
`;

export function registerConsole(program: Command, lazyAction: LazyAction): void {
  program
    .command('console')
    .description("open the AWS web console signed in with a profile's credentials")
    .option(
      '--destination <url>',
      'console page to open: a URL or a path such as /ec2/home (default: the console home of the region)',
    )
    .option('--duration <time>', 'console session length, 15m to 12h, as 900 (seconds), 15m, 1h or 1h30m (default: 1h)')
    .option('--print', 'print the sign-in link on stdout instead of opening a browser')
    .addHelpText('after', EXAMPLES)
    .action(lazyAction(() => import('./action.js'), 'runConsole'));
}
