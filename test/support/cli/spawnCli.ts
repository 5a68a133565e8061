import { spawn } from 'node:child_process';
import { leakScan } from '../harness/leakScan.js';
import { FEDLOGIN_BIN, REPO_ROOT, hermeticEnv, type RunCliResult } from './runCli.js';

/**
 * The built CLI like runCli (hermetic env, no controlling terminal, bounded), but with stderr
 * readable while it runs, so a test can pick the sign-in URL or device code off it and act.
 */
export interface StreamingCli {
  pid: number;
  /** stderr so far */
  stderr(): string;
  /** resolves with the first match on stderr; rejects after timeoutMs or when the CLI exits first */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  signal(name: NodeJS.Signals): void;
  /** the finished run */
  result: Promise<RunCliResult>;
}

/** The authorization URL fedlogin prints for the person (oidc-provider's /auth on loopback). */
export const OIDC_AUTH_URL = /(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/;

const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

export interface SpawnCliOptions {
  home: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /**
   * Run under a pseudo-terminal (util-linux `script`), as a person at a terminal would: the CLI
   * then has a controlling terminal, and its stdout and stderr arrive as one stream, read by
   * stderr() / waitForStderr(); result.stdout is empty.
   */
  terminal?: boolean;
}

export function spawnCli(args: string[], options: SpawnCliOptions): StreamingCli {
  const env = hermeticEnv(options.home, options.env);
  const started = Date.now();
  const argv = [process.execPath, FEDLOGIN_BIN, ...args];
  const scan = leakScan.startRun({ argv: argv.slice(1), home: options.home, env });
  const [command, commandArgs] = options.terminal
    ? ['script', ['-qefc', argv.map(shellQuote).join(' '), '/dev/null']]
    : [argv[0]!, argv.slice(1)];
  const child = spawn(command, commandArgs, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    if (!options.terminal) return void (stdout += c);
    stderr += c;
    for (const l of listeners) l();
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
    for (const l of listeners) l();
  });
  let timedOut = false;
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // gone already
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill('SIGKILL');
  }, options.timeoutMs ?? 60_000);
  const onExit = () => kill('SIGKILL');
  process.once('exit', onExit);
  let exited = false;
  scan.watch({ stdout: () => stdout, stderr: () => stderr });
  const result = new Promise<RunCliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      process.off('exit', onExit);
      for (const l of listeners) l();
      resolve({ code, signal, stdout, stderr, timedOut, durationMs: Date.now() - started });
    });
  }).then(async (r) => (await scan.finish(r), r));
  return {
    pid: child.pid!,
    stderr: () => stderr,
    waitForStderr(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = stderr.match(pattern);
          if (match) return done(() => resolve(match));
          if (exited) done(() => reject(new Error(`CLI exited before printing ${pattern}; stderr:\n${stderr}`)));
        };
        const timeout = setTimeout(() => done(() => reject(new Error(`no ${pattern} on stderr within ${timeoutMs} ms; stderr:\n${stderr}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timeout);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    signal: (name) => {
      try {
        process.kill(child.pid!, name);
      } catch {
        // gone already
      }
    },
    result,
  };
}
