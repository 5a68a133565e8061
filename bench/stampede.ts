import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { StsEndpoint } from '../test/support/aws/stsEndpoint.js';

/**
 * N `credential-process` runs started at once on a profile with an empty cache, as a Terraform
 * plan or a parallel test suite does. The single-flight lock must let exactly one of them call STS;
 * the others wait and print the same credentials.
 */

export interface StampedeOptions {
  sts: StsEndpoint;
  size: number;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
}

export interface StampedeResult {
  totalMs: number;
  slowestMs: number;
  /** AssumeRoleWithWebIdentity requests the STS double received during the stampede */
  stsCalls: number;
  distinctOutputs: number;
  identical: boolean;
  /** e.g. "32x 0" */
  exitCodes: string;
  /** non-zero exits and timeouts, with the tail of stderr (fedlogin never prints secrets there) */
  failures: string[];
}

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

export async function runStampede(opts: StampedeOptions): Promise<StampedeResult> {
  const before = opts.sts.count('AssumeRoleWithWebIdentity');
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: opts.size }, () => runChild(opts, started)));
  const totalMs = performance.now() - started;
  const stsCalls = opts.sts.count('AssumeRoleWithWebIdentity') - before;

  const outputs = new Set(results.map((r) => r.stdout));
  const codes = new Map<string, number>();
  for (const r of results) {
    const key = r.timedOut ? 'timeout' : String(r.code ?? r.signal);
    codes.set(key, (codes.get(key) ?? 0) + 1);
  }
  const failures = results
    .filter((r) => r.timedOut || r.code !== 0)
    .map(
      (r) =>
        `${r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal}`}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
  return {
    totalMs,
    slowestMs: Math.max(...results.map((r) => r.ms)),
    stsCalls,
    distinctOutputs: outputs.size,
    identical: outputs.size === 1 && results[0]!.stdout.length > 0,
    exitCodes: [...codes].map(([code, n]) => `${n}x ${code}`).join(', '),
    failures,
  };
}

function runChild(opts: StampedeOptions, started: number): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(opts.argv[0]!, opts.argv.slice(1), {
      env: opts.env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({
        code: null,
        signal: null,
        stdout,
        stderr: `${stderr}${error.message}`,
        ms: performance.now() - started,
        timedOut,
      });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started, timedOut });
    });
  });
}
