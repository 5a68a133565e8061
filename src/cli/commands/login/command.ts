import type { Command } from 'commander';
import { addDeliveryOptions } from '../../deliveryOptions.js';
import type { LazyAction } from '../../lazyAction.js';

const EXAMPLES = `
Examples:
  $ fedlogin login --profile dev                     # log in with the profile's flow, fill the cache
  $ fedlogin login --profile dev --output credentials-file   # also write [dev] to ~/.aws/credentials
  $ eval "$(fedlogin login --profile dev --output env)"

A profile with fedlogin_write_credentials = true always writes ~/.aws/credentials as well.
`;

export function registerLogin(program: Command, lazyAction: LazyAction): void {
  addDeliveryOptions(
    program
      .command('login')
      .description("log in with the profile's configured flow and fill the cache (asks for you when needed)"),
    'also deliver the credentials',
  )
    .addHelpText('after', EXAMPLES)
    .action(lazyAction(() => import('./action.js'), 'runLogin'));
}
