import { proxyPasswords } from '../aws/network/proxyUrl.js';
import type { ProfileSettings } from '../config/profileSettings.js';
import { systemClock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import { cachedLogin } from '../flows/cachedLogin.js';
import { formatCredentialProcessJson } from '../output/credentialProcessJson.js';
import { type CredentialProcessArgs, lookUpCache } from './credentialProcess.js';
import { exitCodeFor } from './exitCodes.js';
import { reportError } from './reportError.js';
import { hasTerminal } from './terminal.js';
import { writeStdout } from './writeStdout.js';

/**
 * Everything of credential-process past a file-store cache hit: the keychain store's hit, a miss
 * (open the store, take the profile's lock, re-check, refresh through the profile's flow, print)
 * and the errors. An entry point of the CLI's bundle (scripts/bundle.mjs), so its error classes
 * are the CLI's. `known` is the profile the hit path read; without it (the hit path threw), the
 * hit is tried again here, so that its error is thrown and reported in this module graph.
 * Returns the exit code.
 */
export async function credentialProcessMiss(
  args: CredentialProcessArgs,
  env: NodeJS.ProcessEnv,
  known: ProfileSettings | undefined,
  stdout: (text: string) => void = writeStdout,
): Promise<number> {
  const logger = createLogger({ debug: args.debug || env.FEDLOGIN_DEBUG === '1' });
  for (const password of proxyPasswords(env)) logger.addSecret(password);
  try {
    let profile = known;
    if (!profile) {
      const hit = lookUpCache(args, env);
      if (hit.answer !== undefined) {
        stdout(hit.answer);
        return 0;
      }
      profile = hit.profile;
    }
    const result = await cachedLogin(profile, {
      env,
      logger,
      clock: systemClock,
      regionFlag: args.region,
      interactive: hasTerminal(),
    });
    logger.debug(
      `profile ${profile.name}: ${result.fromCache ? 'served from the cache' : 'refreshed'} (${result.store} store)`,
    );
    stdout(formatCredentialProcessJson(result.credentials));
    return 0;
  } catch (error) {
    reportError(error, { debug: logger.debugEnabled, redact: logger.redact });
    return exitCodeFor(error);
  }
}
