import type { Command } from 'commander';
import { addBrowserOptions } from '../../browserOptions.js';
import type { LazyAction } from '../../lazyAction.js';

const EXAMPLES = `
Examples:
  $ fedlogin console --profile dev                          # opens the console home in your browser
  $ fedlogin console --profile dev --destination /s3/home   # a path on the console host, or a full URL
  $ fedlogin console --profile dev --duration 4h
  $ fedlogin console --profile dev --print                  # print the sign-in link instead
  $ fedlogin console --profile dev --browser firefox        # a browser of your choice
  $ fedlogin console --profile dev --browser chrome --browser-profile "Profile 1"
  $ fedlogin console --profile dev --isolated               # dev's own browser profile...
  $ fedlogin console --profile prod --isolated              # ...and prod's, side by side

Signs in through the AWS federation endpoint of the role's partition (signin.aws.amazon.com,
signin.amazonaws.cn, signin.amazonaws-us-gov.com). The link printed with --print is valid for
15 minutes and signs in whoever opens it: treat it as a secret. Role-chained credentials allow
at most --duration 1h. Without --print the browser (--browser, else $BROWSER, else the system's) is started with
a one-shot 127.0.0.1 address that redirects once to the link, so the link never appears in the
process list; fedlogin waits up to 2 minutes for the browser to open it. The link first signs
the browser out of any console session it holds (the federation endpoint's logout), so switching
accounts just works. --isolated opens a browser profile of fedlogin's own for each AWS profile
(under ~/.local/share/fedlogin/console/), which keeps its console settings, so several accounts
stay signed in side by side; it uses --browser, else $BROWSER when that names a browser, else the
first of Chrome, Chromium, Edge, Brave, Firefox found.
`;

export function registerConsole(program: Command, lazyAction: LazyAction): void {
  const command = program
    .command('console')
    .description("open the AWS web console signed in with a profile's credentials")
    .option(
      '--destination <url>',
      'console page to open: a URL or a path such as /ec2/home (default: the console home of the region)',
    )
    .option('--duration <time>', 'console session length, 15m to 12h, as 900 (seconds), 15m, 1h or 1h30m (default: 1h)')
    .option('--print', 'print the sign-in link on stdout instead of opening a browser');
  addBrowserOptions(command)
    .option('--isolated', "open the console in the AWS profile's own browser profile, kept between runs")
    .addHelpText('after', EXAMPLES)
    .action(lazyAction(() => import('./action.js'), 'runConsole'));
}
