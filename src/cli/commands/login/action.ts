import { requireProfile } from '../../../config/profileSettings.js';
import { ProfileValues } from '../../../config/profileValues.js';
import type { CliContext } from '../../context.js';
import { deliver } from '../../deliver.js';
import { commandCachedLogin } from '../../profileCredentials.js';
import { warnShadowedProfiles } from '../../shadowWarning.js';

export interface LoginOptions {
  output?: string;
  format?: string;
}

export async function runLogin(options: LoginOptions, context: CliContext): Promise<void> {
  const name = context.profile ?? 'default';
  const profile = requireProfile(context.env, name);
  const values = new ProfileValues(profile);
  const result = await commandCachedLogin(profile, context, { interactive: true, force: true });
  const { credentials } = result;
  // Deliver first: a failing write (a read-only ~/.aws) must not follow a success line.
  const writeFile = values.boolean('fedlogin_write_credentials') === true && options.output !== 'credentials-file';
  if (writeFile) await deliver(credentials, { output: 'credentials-file' }, { ...context, profile: name });
  if (options.output || options.format)
    await deliver(
      credentials,
      { output: options.output, format: options.format, region: profile.values.region },
      { ...context, profile: name },
    );
  context.logger.notice(
    `Logged in for profile ${name} (${values.flow()} flow); credentials cached in the ${result.store} store until ${credentials.expiration.toISOString()}.`,
  );
  warnShadowedProfiles(context);
}
