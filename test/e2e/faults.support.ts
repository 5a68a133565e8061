import { spawnSync } from 'node:child_process';
import { chownSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { type RunCliOptions, type RunCliResult, runCli } from '../support/cli/runCli.js';
import { type LoopbackServer, startLoopbackServer } from '../support/harness/loopbackServer.js';

/**
 * Helpers for the fault matrix (faults.test.ts): file snapshots for the "nothing was touched"
 * check, the one-clear-line check, a server that answers garbage, a pid that is surely dead, and
 * a runner that drops root (file permissions mean nothing to root, so the permission faults run
 * the CLI as `nobody` when the tests run as root).
 */

/** Every file under the given roots (relative path -> bytes), directories by mode; `locks/` is fedlogin's scratch and left out. */
export function snapshot(roots: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'locks') continue;
        walk(full);
      } else {
        out.set(full, readFileSync(full).toString('base64'));
      }
    }
  };
  for (const root of roots) walk(root);
  return out;
}

/** exit code, stdout empty, a first line `fedlogin: ...` matching, at most one hint line (retry notices aside), no stack trace */
export function expectOneClearLine(result: RunCliResult, code: number, pattern: RegExp): void {
  const context = `exit ${result.code}\n${result.stderr}`;
  expect(result.timedOut, context).toBe(false);
  expect(result.code, context).toBe(code);
  expect(result.stdout, context).toBe('');
  // notices may come first (retries, the sign-in URL, a skipped role); then one error line and at most a hint
  const lines = result.stderr.trimEnd().split('\n');
  const errorLines = lines.filter((l) => l.startsWith('fedlogin: '));
  expect(errorLines, context).toHaveLength(1);
  expect(errorLines[0], context).toMatch(pattern);
  expect(lines.length - lines.indexOf(errorLines[0]!), context).toBeLessThanOrEqual(2);
  expect(result.stderr, context).not.toMatch(/^\s+at .+:\d+/m);
  expect(result.stderr, context).not.toMatch(/internal error/i);
}

/** A loopback server that answers every request with `status` and `body` (malformed on purpose). */
export async function startGarbageServer(
  status: number,
  body: string,
  contentType = 'text/xml',
): Promise<LoopbackServer & { hits: () => number }> {
  let hits = 0;
  const server = await startLoopbackServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  });
  return Object.assign(server, { hits: () => hits });
}

/** The pid of a process that has exited (and been reaped). */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

export const RUNNING_AS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

/** Gives `dir` (recursively) to the user the CLI will run as in `runCliUnprivileged`. */
export function chownForCli(dir: string): void {
  if (!RUNNING_AS_ROOT) return;
  const walk = (p: string) => {
    chownSync(p, NOBODY, NOBODY);
    if (lstatSync(p).isDirectory()) for (const name of readdirSync(p)) walk(path.join(p, name));
  };
  walk(dir);
}

/** runCli, but as `nobody` when the tests run as root (so that chmod really takes rights away). */
export function runCliUnprivileged(args: string[], opts: RunCliOptions): Promise<RunCliResult> {
  return runCli(args, RUNNING_AS_ROOT ? { ...opts, user: { uid: NOBODY, gid: NOBODY } } : opts);
}

/** What a browser does with an authorization URL: follow redirects to fedlogin's callback. */
export async function playBrowser(authUrl: string): Promise<number> {
  let url = authUrl;
  for (let hop = 0; hop < 5; hop++) {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    const location = res.headers.get('location');
    await res.arrayBuffer();
    if (!location) return res.status;
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects');
}
