/**
 * Handing credentials over (stdout, $GITHUB_ENV, ~/.aws/credentials), for the actions; the
 * options that choose how are in deliveryOptions.ts, which the commands' definitions load.
 */
import { appendFile } from 'node:fs/promises';
import type { Credentials } from '../core/credentials.js';
import { usageError } from '../core/errors.js';
import { formatCredentialProcessJson } from '../output/credentialProcessJson.js';
import { credentialMaskCommands, type EnvFormat, formatEnv, parseEnvFormat } from '../output/envFormat.js';
import { credentialEnvVariables, type EnvVariable } from '../output/envVariables.js';
import type { CliContext } from './context.js';
import { type DeliverOptions, outputKind } from './deliveryOptions.js';

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
