import { type Command, Option } from 'commander';
import { parseRegion } from '../config/resolveRegion.js';

const GROUP = 'Global options:';

/** fedlogin's global options, made afresh for each command that lists them. */
function globalOptions(): Option[] {
  return [
    new Option('-p, --profile <name>', 'AWS profile (default: $AWS_PROFILE)'),
    new Option(
      '--region <region>',
      'AWS region for STS (default: $AWS_REGION, the profile, or the partition default)',
    ).argParser((value) => parseRegion(value, '--region')),
    new Option('--debug', 'print diagnostic details (never secrets) and stack traces to stderr'),
    new Option('-q, --quiet', 'print only errors to stderr'),
    new Option('--no-color', 'no colours (NO_COLOR is honoured too)'),
  ].map((option) => option.helpGroup(GROUP));
}

/** The attribute names of the global options (--no-color -> color). */
const GLOBAL_NAMES: readonly string[] = globalOptions().map((option) => option.attributeName());

/** Whether an option of a command is one of the global options every command repeats. */
export function isGlobalOption(option: Option): boolean {
  return option.helpGroupHeading === GROUP;
}

/**
 * Gives the program and every command below it the global options. The program parses its
 * options positionally (before the command name only), so that `exec` can pass everything after
 * its command word on untouched; each command therefore accepts the global options itself, and
 * lists them in its --help.
 */
export function addGlobalOptions(command: Command): void {
  for (const option of globalOptions()) command.addOption(option);
  for (const sub of command.commands) addGlobalOptions(sub);
}

/**
 * Before an action runs: a global option given after the command name (`login --profile dev`)
 * becomes the program's value, so `optsWithGlobals()` (where the program's values win) sees what
 * was typed wherever it was typed. The value typed nearest the command wins.
 */
export function liftGlobalOptions(program: Command, actionCommand: Command): void {
  for (const name of GLOBAL_NAMES) {
    for (let command: Command | null = actionCommand; command && command !== program; command = command.parent) {
      const source = command.getOptionValueSource(name);
      if (source === 'cli' || source === 'env') {
        program.setOptionValueWithSource(name, command.getOptionValue(name), source);
        break;
      }
    }
  }
}
