/**
 * `fedlogin credential-process --profile P`, the line in ~/.aws/config that AWS tools run on every
 * command. The cache hit is the hot path: it imports only Node built-ins, the profile reader, the
 * file store's read side and the JSON formatter (measured in bench/; bundled on its own into
 * dist/bundle/credentialProcess.cjs by scripts/bundle.mjs, and free of node:crypto). Anything else
 * (a miss, the keychain, a flow, an error to report) goes to credentialProcessRefresh.ts, which is
 * in the CLI's module graph (dist/bundle/), so there is one error class and one reportError.
 */
import { isFresh, storeChoice } from '../config/cachePolicy.js';
import { profileCacheKey } from '../config/profileCacheKey.js';
import { type ProfileSettings, requireProfile } from '../config/profileSettings.js';
import { systemClock } from '../core/clock.js';
import { formatCredentialProcessJson } from '../output/credentialProcessJson.js';
import { cacheDir } from '../store/cacheDir.js';
import { parseCachedCredentials } from '../store/credentialCache.js';
import { readEntry } from '../store/fileStoreEntry.js';
import { readStoreDecision } from '../store/storeDecision.js';
import { writeStdout } from './writeStdout.js';

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

export interface CacheLookup {
  profile: ProfileSettings;
  /** the line to print, when the file store holds fresh credentials for the profile */
  answer?: string;
}

/**
 * The cache hit, synchronous and without output. Throws what the profile reader and the file
 * store's checks throw.
 */
export function lookUpCache(args: CredentialProcessArgs, env: NodeJS.ProcessEnv): CacheLookup {
  const profile = requireProfile(env, args.profile || env.AWS_PROFILE || 'default');
  const now = systemClock.now();
  const choice = storeChoice(profile, env);
  if (choice === 'file' || (choice === 'auto' && readStoreDecision(env, now) === 'file')) {
    const cached = parseCachedCredentials(readEntry(cacheDir(env), profileCacheKey(profile, env, args.region)));
    if (isFresh(cached, profile, now)) return { profile, answer: formatCredentialProcessJson(cached) };
  }
  return { profile };
}

/**
 * Prints credentials in the credential_process format; returns the exit code. Synchronous on a
 * cache hit, with the answer written in full, so the launcher can exit at once; a promise for
 * everything else.
 */
export function credentialProcess(
  args: CredentialProcessArgs,
  env: NodeJS.ProcessEnv = process.env,
  stdout: (text: string) => void = writeStdout,
): number | Promise<number> {
  let hit: CacheLookup | undefined;
  try {
    hit = lookUpCache(args, env);
  } catch {
    // Not reported here: the miss path meets the same error again and reports it with the CLI's
    // error class and exit codes (on stderr: the AWS CLI shows it, the Go SDK passes it through).
  }
  if (hit?.answer !== undefined) {
    stdout(hit.answer);
    return 0;
  }
  // The profile is plain data and crosses over as it is, so a miss reads ~/.aws/config once.
  return import('./credentialProcessRefresh.js').then(({ credentialProcessMiss }) =>
    credentialProcessMiss(args, env, hit?.profile, stdout),
  );
}
