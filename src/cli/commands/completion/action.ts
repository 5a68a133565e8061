import { COMPLETION_SHELLS, type CompletionSpec, completionScript } from '../../../output/completionScript.js';
import type { CliContext } from '../../context.js';
import { parseChoice } from '../../parseOptions.js';

export interface CompletionOptions {
  /** bash, zsh or fish, as typed */
  shell: string;
  /** the command tree to complete */
  spec: CompletionSpec;
}

export async function runCompletion(options: CompletionOptions, context: CliContext): Promise<void> {
  context.stdout(completionScript(parseChoice(options.shell, COMPLETION_SHELLS, 'the shell'), options.spec));
}
