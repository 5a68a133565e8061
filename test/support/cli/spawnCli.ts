import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { leakScan } from '../harness/leakScan.js';
import { killGroup } from '../harness/processGroup.js';
import { hermeticEnv } from './hermeticEnv.js';

/**
 * The one way tests start the built CLI (runCli is spawnCli + wait): the hermetic environment of
 * hermeticEnv.ts, no controlling terminal (setsid) unless `terminal`, its own process group killed
 * at timeoutMs and when the test process exits, and every run registered with the leak scan.
 * While it runs, its output can be read and waited on, and its stdin written (stdin: 'pipe').
 */

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FEDLOGIN_BIN = fileURLToPath(new URL('../../../bin/fedlogin.js', import.meta.url));

/** The authorization URL fedlogin prints for the person (oidc-provider's /auth on loopback). */
export const OIDC_AUTH_URL = /(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/;

export interface RunCliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** true when the run was killed at timeoutMs */
  timedOut: boolean;
  durationMs: number;
}

export interface SpawnCliOptions {
  /** the HOME of the run (its AWS files and XDG folders are taken from it unless env sets them) */
  home: string;
  /** added over the hermetic environment; `undefined` removes a variable */
  env?: Record<string, string | undefined>;
  /** default 60 s; then the process group is killed with SIGKILL and result.timedOut is true */
  timeoutMs?: number;
  /** 'ignore' (default), 'pipe' (write() / endInput()), or a text written to stdin, which is then closed */
  stdin?: 'ignore' | 'pipe' | { text: string };
  /**
   * Run under a pseudo-terminal (util-linux `script`), as a person at a terminal would: the CLI
   * then has a controlling terminal, and its stdout and stderr arrive as one stream, read by
   * stderr() / waitForStderr(); result.stdout is empty.
   */
  terminal?: boolean;
  cwd?: string;
  /** the script run instead of bin/fedlogin.js (e.g. a fixture) */
  entry?: string;
  /** extra node flags before the script */
  nodeArgs?: string[];
  /** run as this user (the tests run as root and a file permission must really take rights away) */
  user?: { uid: number; gid: number };
}

export interface RunningCli {
  pid: number;
  child: ChildProcess;
  /** output so far */
  stdout(): string;
  stderr(): string;
  /** resolves with the first match; rejects after timeoutMs (default 30 s) or when the CLI exits first */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /**
   * Resolves with the first value `probe` returns other than undefined, asking it again on every
   * output chunk (no timer); rejects after timeoutMs, or when the CLI exits first, naming `what`.
   */
  waitUntil<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T>;
  /** writes to stdin (stdin: 'pipe') */
  write(text: string): void;
  /** closes stdin (stdin: 'pipe') */
  endInput(): void;
  /** sends a signal to the CLI process itself (not its group) */
  signal(name: NodeJS.Signals): void;
  /** SIGKILL to the whole process group */
  kill(): void;
  /** exit code and signal, bounded: kills the process group and rejects after timeoutMs (default 30 s) */
  exited(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** the finished run, after the leak scan has looked at it */
  result: Promise<RunCliResult>;
}

const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export function spawnCli(args: string[], options: SpawnCliOptions): RunningCli {
  const env = hermeticEnv(options.home, options.env);
  const started = Date.now();
  const argv = [...(options.nodeArgs ?? []), options.entry ?? FEDLOGIN_BIN, ...args];
  const scan = leakScan.startRun({ argv, home: options.home, env });
  const [command, commandArgs] = options.terminal
    ? ['script', ['-qefc', [process.execPath, ...argv].map(shellQuote).join(' '), '/dev/null']]
    : [process.execPath, argv];
  const stdinMode = options.stdin === undefined || options.stdin === 'ignore' ? 'ignore' : 'pipe';
  installExitHook();
  const child = spawn(command, commandArgs, {
    cwd: options.cwd ?? REPO_ROOT,
    env,
    stdio: [stdinMode, 'pipe', 'pipe'],
    // setsid: no controlling terminal, so /dev/tty is unavailable as it is for credential_process
    // under a CI runner; and a process group we can kill as a whole.
    detached: true,
    ...(options.user ?? {}),
  });
  running.add(child);

  let stdout = '';
  let stderr = '';
  let exited = false;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    if (options.terminal) stderr += chunk;
    else stdout += chunk;
    notify();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    notify();
  });
  if (child.stdin) {
    child.stdin.on('error', () => {
      // the CLI may exit without reading its input; that is for the test to judge, not an error here
    });
    if (typeof options.stdin === 'object') child.stdin.end(options.stdin.text);
  }
  scan.watch({ stdout: () => stdout, stderr: () => stderr });

  const kill = () => killGroup(child);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, options.timeoutMs ?? 60_000);

  const result = new Promise<RunCliResult>((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      running.delete(child);
      notify();
      resolve({ code, signal, stdout, stderr, timedOut, durationMs: Date.now() - started });
    });
  }).then(async (r) => {
    await scan.finish(r);
    return r;
  });
  // a test that only reads the output must not see an unhandled rejection of a run it never awaited
  result.catch(() => undefined);

  const waitUntil = <T>(probe: () => T | undefined, timeoutMs: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const context = () => `\nstdout:\n${stdout}\nstderr:\n${stderr}`;
      const check = () => {
        const value = probe();
        if (value !== undefined) return done(() => resolve(value));
        if (exited) done(() => reject(new Error(`the CLI exited before ${what}${context()}`)));
      };
      const timeout = setTimeout(
        () => done(() => reject(new Error(`no ${what} within ${timeoutMs} ms${context()}`))),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timeout);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });
  const waitForMatch = (stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs: number) =>
    waitUntil(
      () => (stream === 'stdout' ? stdout : stderr).match(pattern) ?? undefined,
      timeoutMs,
      `${pattern} on ${stream}`,
    );

  return {
    pid: child.pid!,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStdout: (pattern, timeoutMs = 30_000) => waitForMatch('stdout', pattern, timeoutMs),
    waitForStderr: (pattern, timeoutMs = 30_000) => waitForMatch('stderr', pattern, timeoutMs),
    waitUntil,
    write(text) {
      if (!child.stdin) throw new Error("spawnCli: write() needs stdin: 'pipe'");
      child.stdin.write(text);
    },
    endInput() {
      child.stdin?.end();
    },
    signal(name) {
      try {
        process.kill(child.pid!, name);
      } catch {
        // gone already
      }
    },
    kill,
    async exited(timeoutMs = 30_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          kill();
          reject(new Error(`the CLI did not end in ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
      });
      try {
        const { code, signal } = await Promise.race([result, timeout]);
        return { code, signal };
      } finally {
        clearTimeout(timer);
      }
    },
    result,
  };
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) killGroup(child);
  });
}
