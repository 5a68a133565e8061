import type { Command } from 'commander';
import { formatOption } from '../../deliveryOptions.js';
import type { LazyAction } from '../../lazyAction.js';

const EXAMPLES = `
Examples:
  $ fedlogin serve --profile dev              # terminal 1: prints four export lines, keeps running
  $ export AWS_CONTAINER_CREDENTIALS_FULL_URI=... AWS_CONTAINER_AUTHORIZATION_TOKEN=... AWS_REGION=...   # terminal 2
  $ aws sts get-caller-identity               # terminal 2: any AWS CLI or SDK now asks the endpoint
  $ (umask 077; fedlogin serve --profile dev > ~/.aws/dev-endpoint.sh &)   # in the background
  $ . ~/.aws/dev-endpoint.sh

Runs the container-credentials endpoint of fedlogin exec --server on its own, on 127.0.0.1 with a
random port and token, until SIGINT (Ctrl-C) or SIGTERM. It prints four lines on stdout:
  export AWS_CONTAINER_CREDENTIALS_FULL_URI='http://127.0.0.1:PORT/credentials'
  export AWS_CONTAINER_AUTHORIZATION_TOKEN='...'
  export AWS_REGION='eu-west-1'           # the profile's region (--region, AWS_REGION, region key)
  export AWS_DEFAULT_REGION='eu-west-1'
The token is a secret: anyone who has it can fetch the profile's credentials while it runs.
Unset AWS_PROFILE and AWS_ACCESS_KEY_ID in the shells that use it, or the SDKs look there first.
Each run has a new port and token. Once it ends, another local user could listen on that port:
it prints the line that makes a shell forget the endpoint, e.g.
  unset AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_AUTHORIZATION_TOKEN
`;

export function registerServe(program: Command, lazyAction: LazyAction): void {
  program
    .command('serve')
    .description(
      "serve a profile's credentials, refreshed ahead of expiry, from a local container-credentials endpoint",
    )
    .addOption(formatOption('how to print the variables', 'sh'))
    .addHelpText('after', EXAMPLES)
    .action(lazyAction(() => import('./action.js'), 'runServe'));
}
