import { loadProfile } from '../config/profileSettings.js';
import { systemClock } from '../core/clock.js';
import { usageError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { cachedLogin } from '../flows/cachedLogin.js';
import { formatCredentialProcessJson } from '../output/credentialProcessJson.js';
import { configFilePath } from '../store/awsPaths.js';
import type { CredentialProcessArgs } from './credentialProcess.js';
import { exitCodeFor } from './exitCodes.js';
import { reportError } from './reportError.js';
import { hasTerminal } from './terminal.js';

/**
 * The cache-miss path of credential-process (and the keychain store's hit): open the store, take
 * the profile's lock, re-check, refresh through the profile's flow, print. Returns the exit code.
 */
export async function credentialProcessMiss(args: CredentialProcessArgs, env: NodeJS.ProcessEnv): Promise<number> {
  const logger = createLogger({ debug: args.debug || env.FEDLOGIN_DEBUG === '1' });
  try {
    const name = args.profile || env.AWS_PROFILE || 'default';
    const profile = loadProfile(env, name);
    if (!profile) {
      throw usageError('PROFILE_NOT_FOUND', `No profile "${name}" in ${configFilePath(env)}.`, `Create it with: fedlogin configure --profile ${name}`);
    }
    const result = await cachedLogin(profile, { env, logger, clock: systemClock, regionFlag: args.region, interactive: hasTerminal() });
    logger.debug(`profile ${profile.name}: ${result.fromCache ? 'served from the cache' : 'refreshed'} (${result.store} store)`);
    process.stdout.write(formatCredentialProcessJson(result.credentials));
    return 0;
  } catch (error) {
    reportError(error, { debug: logger.debugEnabled, redact: logger.redact });
    return exitCodeFor(error);
  }
}
