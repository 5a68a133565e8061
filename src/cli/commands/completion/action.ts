import type { Command } from 'commander';
import { COMPLETION_SHELLS, completionScript } from '../../../output/completionScript.js';
import type { CliContext } from '../../context.js';
import { parseChoice } from '../../parseOptions.js';
import { completionSpec } from './spec.js';

export interface CompletionOptions {
  /** bash, zsh or fish, as typed */
  shell: string;
  /** the program whose commands are completed */
  program: Command;
}

export async function runCompletion(options: CompletionOptions, context: CliContext): Promise<void> {
  const shell = parseChoice(options.shell, COMPLETION_SHELLS, 'the shell');
  context.stdout(completionScript(shell, completionSpec(options.program)));
}
