import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Measures one child process at a time, the same way for every command: wall time from just
 * before the spawn to the reaping of the child, and its peak RSS (ru_maxrss from wait4). Node has
 * no wait4, so a small long-lived Python helper (measure.py) spawns and reaps the children; without
 * python3 the bench falls back to timing from Node and reports no RSS.
 */

export interface Job {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** files the child's stdout and stderr go to */
  stdout: string;
  stderr: string;
  timeoutSeconds: number;
}

export interface Measurement {
  wallMs: number;
  /** user + system CPU time; undefined when measured without the helper */
  cpuMs: number | undefined;
  /** undefined when measured without the helper */
  maxRssKb: number | undefined;
  exitCode: number | null;
  signal: number | string | null;
  timedOut: boolean;
}

export interface ChildMeter {
  /** how children are measured, for the report */
  readonly method: string;
  measure(job: Job): Promise<Measurement>;
  close(): Promise<void>;
}

const HELPER = fileURLToPath(new URL('./measure.py', import.meta.url));

export function findPython(): string | undefined {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(candidate, ['-c', 'import os; os.posix_spawn; os.wait4'], {
      stdio: 'ignore',
      timeout: 10_000,
    });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

export function startChildMeter(): ChildMeter {
  const python = findPython();
  return python ? pythonMeter(python) : nodeMeter();
}

function pythonMeter(python: string): ChildMeter {
  const helper: ChildProcessWithoutNullStreams = spawn(python, [HELPER], { stdio: ['pipe', 'pipe', 'pipe'] });
  let helperError = '';
  helper.stderr.setEncoding('utf8').on('data', (chunk: string) => (helperError = (helperError + chunk).slice(-2000)));
  const lines = createInterface({ input: helper.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<never>((_, reject) =>
    helper.once('exit', (code, signal) =>
      reject(new Error(`measure.py exited (${signal ?? code}): ${helperError.trim()}`)),
    ),
  );
  exited.catch(() => {
    // surfaced by the next measure()
  });
  let queue = Promise.resolve();

  const measureOne = async (job: Job): Promise<Measurement> => {
    helper.stdin.write(`${JSON.stringify({ ...job, timeout: job.timeoutSeconds })}\n`);
    // The helper kills the child at its timeout; this bounds the helper itself.
    const guard = new Promise<never>((_, reject) => {
      setTimeout(
        () => reject(new Error('measure.py did not answer in time')),
        (job.timeoutSeconds + 30) * 1000,
      ).unref();
    });
    const next = await Promise.race([lines.next(), exited, guard]);
    if (next.done) throw new Error(`measure.py closed its output: ${helperError.trim()}`);
    const answer = JSON.parse(next.value) as Partial<Measurement> & { error?: string };
    if (answer.error) throw new Error(`measure.py could not run ${job.argv.join(' ')}: ${answer.error}`);
    return answer as Measurement;
  };

  return {
    method: `${python} bench/measure.py (posix_spawn + wait4: wall time, CPU time and ru_maxrss of each child)`,
    measure(job) {
      const result = queue.then(() => measureOne(job));
      queue = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
    async close() {
      helper.stdin.end();
      await Promise.race([
        new Promise((resolve) => helper.once('exit', resolve)),
        new Promise((r) => setTimeout(r, 5000).unref()),
      ]);
      if (helper.exitCode === null) helper.kill('SIGKILL');
    },
  };
}

function nodeMeter(): ChildMeter {
  return {
    method: 'node child_process.spawn (python3 not found: wall time only, no peak RSS)',
    measure(job) {
      return new Promise((resolve, reject) => {
        const out = openSync(job.stdout, 'w', 0o600);
        const err = openSync(job.stderr, 'w', 0o600);
        const started = performance.now();
        const child = spawn(job.argv[0]!, job.argv.slice(1), {
          env: job.env,
          cwd: job.cwd,
          stdio: ['ignore', out, err],
        });
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, job.timeoutSeconds * 1000);
        child.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.once('exit', (code, signal) => {
          const wallMs = performance.now() - started;
          clearTimeout(timer);
          closeSync(out);
          closeSync(err);
          resolve({ wallMs, cpuMs: undefined, maxRssKb: undefined, exitCode: code, signal, timedOut });
        });
      });
    },
    async close() {},
  };
}
