import type { Command } from 'commander';
import { COMPLETION_SHELLS, type CompletionSpec } from '../../../output/completionScript.js';
import { isGlobalOption } from '../../globalOptions.js';
import type { LazyAction } from '../../lazyAction.js';

const EXAMPLES = `
Examples:
  $ source <(fedlogin completion bash)        # add to ~/.bashrc
  $ source <(fedlogin completion zsh)         # add to ~/.zshrc
  $ fedlogin completion fish > ~/.config/fish/completions/fedlogin.fish

Completes commands, their options, and profile names from $AWS_CONFIG_FILE or ~/.aws/config.
`;

/** The command tree as the completion scripts see it. */
function completionSpec(program: Command): CompletionSpec {
  const flags = (command: Command) =>
    command.options
      .filter((o) => command === program || !isGlobalOption(o))
      .flatMap((o) => [o.long, o.short])
      .filter((f): f is string => Boolean(f));
  return {
    program: program.name(),
    globalOptions: [...flags(program), '--help'],
    commands: program.commands.filter((c) => c.name() !== 'help').map((c) => ({ name: c.name(), options: flags(c) })),
  };
}

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
        ({ args: [shell] }) => ({ shell: shell as string, spec: completionSpec(program) }),
      ),
    );
}
