import type { Argument, Command, Option } from 'commander';
import { ALL_KNOWN_REGIONS } from '../../../aws/regions.js';
import { FLOW_NAMES, STORE_CHOICES } from '../../../config/profileValues.js';
import { ANY_BROWSER_NAMES } from '../../../core/findBrowser.js';
import { OIDC_TOKEN_TYPES } from '../../../flows/oidc/settings.js';
import { CI_NAMES } from '../../../flows/webIdentity/ciName.js';
import {
  COMPLETION_SHELLS,
  type CompletionCommand,
  type CompletionOption,
  type CompletionSpec,
  type CompletionValue,
} from '../../../output/completionScript.js';
import { ENV_FORMATS } from '../../../output/envFormat.js';
import { OUTPUT_KINDS } from '../../deliveryOptions.js';

/**
 * What the value of an option is, by its long flag, with the lists the commands check their
 * values against: the same flag means the same thing in every command (a new command that takes
 * --output or --profile is completed without a word here).
 */
const OPTION_VALUES: Readonly<Record<string, CompletionValue>> = {
  '--profile': 'profile',
  '--output': { words: OUTPUT_KINDS },
  '--format': { words: ENV_FORMATS },
  '--flow': { words: FLOW_NAMES },
  '--ci': { words: ['auto', ...CI_NAMES] },
  '--browser': { words: ANY_BROWSER_NAMES, files: true },
  '--region': { words: ALL_KNOWN_REGIONS },
  '--store': { words: STORE_CHOICES },
  '--token-type': { words: OIDC_TOKEN_TYPES },
};

/** What a positional argument is, by its name in the command's usage (`<shell>`, `[file]`, `<command...>`). */
const ARGUMENT_VALUES: Readonly<Record<string, CompletionValue>> = {
  shell: { words: COMPLETION_SHELLS },
  file: 'file',
  command: 'command',
};

/** A file is asked for: `--token-file <path>`, `--assertion-file <file>`, `--key <file>`. */
const FILE_PLACEHOLDER = /<(file|path|dir)>|\[(file|path|dir)\]/;

function optionValue(option: Option): CompletionValue | undefined {
  if (!option.required && !option.optional) return undefined;
  if (option.argChoices) return { words: option.argChoices };
  const known = option.long ? OPTION_VALUES[option.long] : undefined;
  if (known) return known;
  if (FILE_PLACEHOLDER.test(option.flags) || option.long?.endsWith('-file')) return 'file';
  return 'text';
}

function argumentValue(args: readonly Argument[]): CompletionValue | undefined {
  const first = args[0];
  if (!first) return undefined;
  if (first.argChoices) return { words: first.argChoices };
  return ARGUMENT_VALUES[first.name()] ?? 'text';
}

function options(command: Command): CompletionOption[] {
  return command.options
    .filter((o) => !o.hidden)
    .map((o) => ({
      flags: [o.long, o.short].filter((f): f is string => Boolean(f)),
      value: optionValue(o),
    }));
}

function commandSpec(command: Command): CompletionCommand {
  return {
    name: command.name(),
    options: options(command),
    argument: argumentValue(command.registeredArguments),
    commands: subcommands(command),
  };
}

const subcommands = (command: Command) => command.commands.filter((c) => c.name() !== 'help').map(commandSpec);

/** The command tree as the completion scripts see it, read from the program itself. */
export function completionSpec(program: Command): CompletionSpec {
  return {
    program: program.name(),
    options: options(program),
    commands: subcommands(program),
  };
}
