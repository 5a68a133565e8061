/**
 * The options that choose where credentials go (-o/--output, --format) and the check between them.
 * Loaded with every command's definition, so --help stays cheap: the formatting itself is in
 * deliver.ts and the output modules, which only the actions load.
 */
import { type Command, Option } from 'commander';
import { usageError } from '../core/errors.js';
import { ENV_FORMATS, parseEnvFormat } from '../output/envFormatNames.js';
import { parseChoice } from './parseOptions.js';

export const OUTPUT_KINDS = ['credential-process', 'env', 'json', 'credentials-file', 'github', 'none'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

export interface DeliverOptions {
  /** --output as typed; without it, env when --format is given, else credential-process */
  output?: string | undefined;
  /** --format as typed: only with --output env (which it implies) */
  format?: string | undefined;
  region?: string | undefined;
}

/**
 * The one --format option (env, serve, and with --output on the commands that deliver): its help
 * lists the formats parseEnvFormat accepts, and a bad value fails as it is parsed, before any login.
 */
export function formatOption(description: string, defaultValue?: string): Option {
  const option = new Option('--format <format>', `${description}: ${ENV_FORMATS.join('|')}`).argParser((value) =>
    parseEnvFormat(value),
  );
  return defaultValue === undefined ? option : option.default(defaultValue);
}

/** Where the credentials go: --output, else env when --format is given, else credential-process. */
export function outputKind(options: Pick<DeliverOptions, 'output' | 'format'>): OutputKind {
  const output = parseChoice(
    options.output ?? (options.format !== undefined ? 'env' : 'credential-process'),
    OUTPUT_KINDS,
    '--output',
  );
  if (options.format !== undefined && output !== 'env') {
    throw usageError('OPTION_CONFLICT', `--format is for --output env; --output ${output} has no format.`, {
      hint: 'Leave out --format, or use --output env (which --format alone implies).',
    });
  }
  return output;
}

/** -o/--output of a command that delivers credentials; a bad value fails as it is parsed. */
export function outputOption(description: string): Option {
  return new Option('-o, --output <kind>', `${description}: ${OUTPUT_KINDS.join('|')}`).argParser((value) =>
    parseChoice(value, OUTPUT_KINDS, '--output'),
  );
}

/** --format beside --output, which it implies. */
export const deliveryFormatOption = (): Option =>
  formatOption('how --output env writes the variables (--format alone implies --output env)');

/**
 * A preAction hook for the commands with outputOption and deliveryFormatOption: --format with an
 * output other than env fails before the action runs (before any sign-in).
 */
export function checkOutputOptions(command: Command): void {
  outputKind(command.opts<DeliverOptions>());
}

/** -o/--output, --format and the check between them, for each command that delivers credentials. */
export function addDeliveryOptions(command: Command, outputDescription: string): Command {
  return command
    .addOption(outputOption(outputDescription))
    .addOption(deliveryFormatOption())
    .hook('preAction', checkOutputOptions);
}
