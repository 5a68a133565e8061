import type { Command } from 'commander';
import { COMPLETION_SHELLS } from '../../../output/completionShells.js';
import type { LazyAction } from '../../lazyAction.js';

const EXAMPLES = `
Examples:
  $ source <(fedlogin completion bash)        # add to ~/.bashrc
  $ source <(fedlogin completion zsh)         # add to ~/.zshrc, after compinit
  $ fedlogin completion fish > ~/.config/fish/completions/fedlogin.fish

Completes commands and subcommands (saml decode), options, their values (flows, outputs, formats,
shells, browsers, regions, CI systems), profile names from $AWS_CONFIG_FILE or ~/.aws/config,
files where a file is asked for, and the command after "exec --" with that command's own
completion. A TAB never starts fedlogin: regenerate the script after upgrading.
`;

export function registerCompletion(program: Command, lazyAction: LazyAction): void {
  program
    .command('completion')
    .description('print a shell completion script: bash, zsh or fish')
    .argument('<shell>', COMPLETION_SHELLS.join('|'))
    .addHelpText('after', EXAMPLES)
    .action(
      lazyAction(
        () => import('./action.js'),
        'runCompletion',
        ({ args: [shell] }) => ({ shell: shell as string, program }),
      ),
    );
}
