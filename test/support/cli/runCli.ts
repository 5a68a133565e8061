import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { leakScan } from '../harness/leakScan.js';
import { homeEnv, makeTempHome } from './tempHome.js';

export { makeTempHome, prepareHome, homeEnv, type TempHome } from './tempHome.js';

/**
 * Runs the built CLI as a user's shell would, but hermetically: a small allowlist of the parent's
 * environment, a throwaway HOME (with AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and XDG_* inside
 * it), no AWS_* or CI variables from the parent, no controlling terminal, and a bounded run time.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FEDLOGIN_BIN = fileURLToPath(new URL('../../../bin/fedlogin.js', import.meta.url));

/** The only variables taken from the parent. The D-Bus session is left out on purpose, so a test
 * can never touch the developer's real keychain unless it passes DBUS_SESSION_BUS_ADDRESS. */
const INHERITED = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'SYSTEMROOT', 'NODE_V8_COVERAGE'];

/** Fixed for every run: quiet SDK, plain output, and no IMDS probe leaving the machine. */
export const FIXED_ENV: Record<string, string> = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_EC2_METADATA_DISABLED: 'true',
  NO_COLOR: '1',
};

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
}

export interface RunCliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** true when the run was killed at timeoutMs */
  timedOut: boolean;
  durationMs: number;
}

/** The environment runCli gives the child, for a HOME (pure; exported for tests and other spawners). */
export function hermeticEnv(
  home: string,
  overrides: Record<string, string | undefined> = {},
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, homeEnv(home), FIXED_ENV);
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export async function runCli(args: string[], opts: RunCliOptions = {}): Promise<RunCliResult> {
  const givenHome = opts.env?.HOME;
  const temp = givenHome === undefined ? await makeTempHome() : undefined;
  const home = givenHome ?? temp!.home;
  // A given HOME brings its own AWS/XDG defaults unless the test set them too.
  const env = hermeticEnv(home, opts.env);
  const argv = [...(opts.nodeArgs ?? []), opts.entry ?? FEDLOGIN_BIN, ...args];
  const scan = leakScan.startRun({ argv, home, env });
  try {
    const result = await spawnBounded(argv, env, opts);
    await scan.finish(result);
    return result;
  } finally {
    if (temp) await rm(temp.home, { recursive: true, force: true });
  }
}

function spawnBounded(argv: string[], env: Record<string, string>, opts: RunCliOptions): Promise<RunCliResult> {
  installExitHook();
  const started = Date.now();
  const child = spawn(process.execPath, argv, {
    cwd: opts.cwd ?? REPO_ROOT,
    env,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    // setsid: no controlling terminal, so /dev/tty is unavailable as it is for credential_process
    // under a CI runner; and a process group we can kill as a whole.
    detached: true,
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  if (opts.input !== undefined) {
    child.stdin!.on('error', () => {
      // the CLI may exit without reading its input; that is for the test to judge, not an error here
    });
    child.stdin!.end(opts.input);
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child);
  }, opts.timeoutMs ?? 30_000);

  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr, timedOut, durationMs: Date.now() - started });
    });
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) killGroup(child);
  });
}
