import { appendFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import type { Credentials } from '../core/credentials.js';
import { usageError } from '../core/errors.js';
import { formatCredentialProcessJson } from '../output/credentialProcessJson.js';
import { credentialMaskCommands, ENV_FORMATS, type EnvFormat, formatEnv, parseEnvFormat } from '../output/envFormat.js';
import { credentialEnvVariables, type EnvVariable } from '../output/envVariables.js';
import type { CliContext } from './context.js';
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

/**
 * Variables on stdout in a format. For github-env, whose stdout is appended to $GITHUB_ENV (a file
 * the runner reads, not a log), the `::add-mask::` commands go to stderr first: the runner reads
 * workflow commands from both streams, so later steps' logs hide the values.
 */
export function writeEnv(
  credentials: Credentials,
  vars: readonly EnvVariable[],
  format: EnvFormat,
  context: CliContext,
): void {
  if (format === 'github-env') context.stderr(credentialMaskCommands(credentials));
  context.stdout(formatEnv(vars, format));
}

/** Hands fresh credentials to wherever the person asked: stdout, $GITHUB_ENV, ~/.aws/credentials. */
export async function deliver(credentials: Credentials, options: DeliverOptions, context: CliContext): Promise<void> {
  const output = outputKind(options);
  const vars = () => credentialEnvVariables(credentials, { region: options.region });
  switch (output) {
    case 'credential-process':
      context.stdout(formatCredentialProcessJson(credentials));
      return;
    case 'json':
      context.stdout(formatEnv(vars(), 'json'));
      return;
    case 'env':
      writeEnv(credentials, vars(), parseEnvFormat(options.format ?? 'sh'), context);
      return;
    case 'github': {
      const envFile = context.env.GITHUB_ENV;
      if (!envFile) {
        throw usageError(
          'GITHUB_ENV_MISSING',
          '--output github needs $GITHUB_ENV, which GitHub Actions sets in every step.',
          { hint: 'Use --output env outside GitHub Actions.' },
        );
      }
      // GitHub reads workflow commands from stdout: mask first, so the values never show in logs.
      context.stdout(credentialMaskCommands(credentials));
      // One append in a single write: the runner reads the file after the step.
      await appendFile(envFile, formatEnv(vars(), 'github-env'), { mode: 0o600 });
      context.logger.notice(
        `Exported ${vars()
          .map(([name]) => name)
          .join(', ')} to $GITHUB_ENV for the next steps.`,
      );
      return;
    }
    case 'credentials-file': {
      if (!context.profile) {
        throw usageError('PROFILE_REQUIRED', '--output credentials-file needs a profile name to write.', {
          hint: 'Pass --profile NAME.',
        });
      }
      const { credentialsFilePath, writeCredentialsProfile } = await import('../store/awsFiles.js');
      const path = credentialsFilePath(context.env);
      await writeCredentialsProfile(path, context.profile, credentials, {
        notice: (line) => context.logger.notice(line),
      });
      context.logger.notice(
        `Wrote profile [${context.profile}] to ${path} (expires ${credentials.expiration.toISOString()}).`,
      );
      return;
    }
    case 'none':
      return;
  }
}
