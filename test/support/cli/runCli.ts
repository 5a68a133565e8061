import { rm } from 'node:fs/promises';
import { type RunCliResult, spawnCli } from './spawnCli.js';
import { makeTempHome } from './tempHome.js';

export { FIXED_ENV, hermeticEnv } from './hermeticEnv.js';
export { FEDLOGIN_BIN, REPO_ROOT, type RunCliResult } from './spawnCli.js';
export { homeEnv, makeTempHome, prepareHome, type TempHome } from './tempHome.js';

/**
 * Runs the built CLI as a user's shell would, but hermetically (see spawnCli and hermeticEnv): a
 * throwaway HOME unless env.HOME is given, no controlling terminal, and a bounded run time.
 */

export interface RunCliOptions {
  /** added over the hermetic environment; `undefined` removes a variable */
  env?: Record<string, string | undefined>;
  /** written to stdin, which is closed afterwards; without it stdin is /dev/null-like ('ignore') */
  input?: string;
  /** default 30 s; then the process group is killed with SIGKILL */
  timeoutMs?: number;
  cwd?: string;
  /** the script run instead of bin/fedlogin.js (e.g. a fixture) */
  entry?: string;
  /** extra node flags before the script */
  nodeArgs?: string[];
  /** run as this user (see SpawnCliOptions.user) */
  user?: { uid: number; gid: number };
}

export async function runCli(args: string[], opts: RunCliOptions = {}): Promise<RunCliResult> {
  const givenHome = opts.env?.HOME;
  const temp = givenHome === undefined ? await makeTempHome() : undefined;
  try {
    const { input, timeoutMs, ...rest } = opts;
    return await spawnCli(args, {
      ...rest,
      home: givenHome ?? temp!.home,
      stdin: input === undefined ? 'ignore' : { text: input },
      timeoutMs: timeoutMs ?? 30_000,
    }).result;
  } finally {
    if (temp) await rm(temp.home, { recursive: true, force: true });
  }
}
