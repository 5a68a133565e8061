/**
 * `fedlogin credential-process --profile P`, the line in ~/.aws/config that AWS tools run on every
 * command. The cache hit is the hot path: it imports only Node built-ins, the profile reader, the
 * file store's read side and the JSON formatter (measured in bench/; bundled into one file by
 * scripts/bundle.mjs, and free of node:crypto). Anything else (a miss, the keychain, a flow) loads
 * lazily.
 */
import { isFresh, storeChoice } from '../config/cachePolicy.js';
import { profileCacheKey } from '../config/profileCacheKey.js';
import { requireProfile, type ProfileSettings } from '../config/profileSettings.js';
import { systemClock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import { formatCredentialProcessJson } from '../output/credentialProcessJson.js';
import { cacheDir } from '../store/cacheDir.js';
import { parseCachedCredentials } from '../store/credentialCache.js';
import { readEntry } from '../store/fileStoreEntry.js';
import { readStoreDecision } from '../store/storeDecision.js';
import { exitCodeFor } from './exitCodes.js';
import { reportError } from './reportError.js';

export interface CredentialProcessArgs {
  profile?: string | undefined;
  region?: string | undefined;
  debug: boolean;
}

/** The few flags credential-process takes; undefined hands anything else (--help) to commander. */
export function parseCredentialProcessArgs(argv: string[]): CredentialProcessArgs | undefined {
  const args: CredentialProcessArgs = { debug: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === 'credential-process' && i === 0) continue;
    if (flag === '--debug' && eq < 0) {
      args.debug = true;
      continue;
    }
    if (flag !== '--profile' && flag !== '-p' && flag !== '--region') return undefined;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (!value || value.startsWith('-')) return undefined;
    if (flag === '--region') args.region = value;
    else args.profile = value;
  }
  return args;
}

export async function credentialProcess(args: CredentialProcessArgs, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const logger = createLogger({ debug: args.debug || env.FEDLOGIN_DEBUG === '1' });
  let profile: ProfileSettings;
  try {
    profile = requireProfile(env, args.profile || env.AWS_PROFILE || 'default');
    const now = systemClock.now();
    const choice = storeChoice(profile, env);
    if (choice === 'file' || (choice === 'auto' && readStoreDecision(env, now) === 'file')) {
      const cached = parseCachedCredentials(readEntry(cacheDir(env), profileCacheKey(profile, env, args.region)));
      if (isFresh(cached, profile, now)) {
        process.stdout.write(formatCredentialProcessJson(cached));
        return 0;
      }
    }
  } catch (error) {
    // stderr: the AWS CLI shows it when credential_process fails; the Go SDK passes it through.
    reportError(error, { debug: logger.debugEnabled, redact: logger.redact });
    return exitCodeFor(error);
  }
  // The miss path is its own module graph (in the published package the hit path above is a
  // bundle), so it reports its own errors: their classes are the ones it imported. The profile is
  // plain data and crosses over as it is.
  const { credentialProcessMiss } = await import('./credentialProcessRefresh.js');
  return credentialProcessMiss(args, env, profile);
}
