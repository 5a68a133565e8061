import { parseEnvFormat } from '../../../output/envFormat.js';
import { credentialEnvVariables } from '../../../output/envVariables.js';
import type { CliContext } from '../../context.js';
import { writeEnv } from '../../deliver.js';
import { profileCredentials } from '../../profileCredentials.js';

export interface EnvOptions {
  format: string;
}

export async function runEnv(options: EnvOptions, context: CliContext): Promise<void> {
  const format = parseEnvFormat(options.format);
  const profile = profileCredentials(context);
  const credentials = await profile.credentials();
  writeEnv(credentials, credentialEnvVariables(credentials, { region: profile.region }), format, context);
}
