import type { ProfileSettings } from '../config/profileSettings.js';
import { systemClock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import { cachedLogin } from '../flows/cachedLogin.js';
import { formatCredentialProcessJson } from '../output/credentialProcessJson.js';
import type { CredentialProcessArgs } from './credentialProcess.js';
import { exitCodeFor } from './exitCodes.js';
import { reportError } from './reportError.js';
import { hasTerminal } from './terminal.js';

/**
 * The cache-miss path of credential-process (and the keychain store's hit): open the store, take
 * the profile's lock, re-check, refresh through the profile's flow, print. Returns the exit code.
 */
export async function credentialProcessMiss(args: CredentialProcessArgs, env: NodeJS.ProcessEnv, profile: ProfileSettings): Promise<number> {
  const logger = createLogger({ debug: args.debug || env.FEDLOGIN_DEBUG === '1' });
  try {
    const result = await cachedLogin(profile, { env, logger, clock: systemClock, regionFlag: args.region, interactive: hasTerminal() });
    logger.debug(`profile ${profile.name}: ${result.fromCache ? 'served from the cache' : 'refreshed'} (${result.store} store)`);
    process.stdout.write(formatCredentialProcessJson(result.credentials));
    return 0;
  } catch (error) {
    reportError(error, { debug: logger.debugEnabled, redact: logger.redact });
    return exitCodeFor(error);
  }
}
