import type { ProfileSettings } from '../config/profileSettings.js';
import { systemClock } from '../core/clock.js';
import type { Credentials } from '../core/credentials.js';
import type { Logger } from '../core/logger.js';
import { cachedLogin } from '../flows/cachedLogin.js';
import { hasTerminal } from './terminal.js';

/** The cache-miss path of credential-process: lock, re-check, refresh through the profile's flow. */
export async function refreshForCredentialProcess(
  profile: ProfileSettings,
  options: { env: NodeJS.ProcessEnv; logger: Logger; regionFlag?: string | undefined },
): Promise<Credentials> {
  const result = await cachedLogin(profile, {
    env: options.env,
    logger: options.logger,
    clock: systemClock,
    regionFlag: options.regionFlag,
    interactive: hasTerminal(),
  });
  options.logger.debug(`profile ${profile.name}: ${result.fromCache ? 'cache hit after waiting' : 'refreshed'} (${result.store} store)`);
  return result.credentials;
}
