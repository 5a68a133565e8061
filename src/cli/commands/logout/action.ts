import { profileCacheKey } from '../../../config/profileCacheKey.js';
import { usageError } from '../../../core/errors.js';
import { openProfileStore } from '../../../flows/cachedLogin.js';
import { credentialsFilePath, removeFedloginCredentialsProfile } from '../../../store/awsFiles.js';
import { deleteCachedCredentials } from '../../../store/credentialCache.js';
import type { CliContext } from '../../context.js';
import { fedloginProfiles } from '../../fedloginProfiles.js';

export interface LogoutOptions {
  all?: boolean;
}

export async function runLogout(options: LogoutOptions, context: CliContext): Promise<void> {
  if (!options.all && !context.profile) {
    throw usageError('PROFILE_REQUIRED', 'Say which profile to log out of: --profile NAME, or --all.');
  }
  const profiles = fedloginProfiles(context.env, options.all ? undefined : context.profile);
  if (!options.all && profiles.length === 0) {
    throw usageError('PROFILE_NOT_FOUND', `No profile "${context.profile}" in the AWS config file.`);
  }
  const credentialsFile = credentialsFilePath(context.env);
  for (const profile of profiles) {
    const store = await openProfileStore(profile, context.env);
    const cached = await deleteCachedCredentials(store, profileCacheKey(profile, context.env, context.region));
    const section = await removeFedloginCredentialsProfile(credentialsFile, profile.name, {
      notice: (line) => context.logger.notice(line),
    });
    const done = [
      cached ? `cached credentials (${store.kind} store)` : '',
      section ? `[${profile.name}] in ${credentialsFile}` : '',
    ].filter(Boolean);
    context.logger.notice(`${profile.name}: ${done.length ? `removed ${done.join(' and ')}` : 'nothing to remove'}.`);
  }
}
