/**
 * Running the fixture scripts as child processes (the child side: ../fixtures/child.mjs), with
 * bounded waits and no child left behind:
 * - every child runs in its own process group and is SIGKILLed (group and all) after each test
 *   and when this process exits;
 * - a child's stdin is a pipe from here: when this process dies, the child sees it end and exits.
 * Children that must start together print "ready" and wait for "go" (releaseTogether).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { killGroup } from '../../support/harness/processGroup.js';
import { compiledStoreDir } from './compileStore.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');

const live = new Set<ChildProcess>();

interface LineReader {
  lines: string[];
  waiters: Array<(line: string) => void>;
  ended: boolean;
  stderr: string;
}
const readers = new WeakMap<ChildProcess, LineReader>();

export function spawnFixture(script: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(process.execPath, [join(FIXTURES, script), ...args], {
    env: { ...process.env, ...env, FEDLOGIN_STORE_BUILD: compiledStoreDir() },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true, // its own process group, killed as one
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  child.stdin?.on('error', () => {}); // EPIPE when it died first
  const reader: LineReader = { lines: [], waiters: [], ended: false, stderr: '' };
  child.once('close', () => (reader.ended = true));
  readers.set(child, reader);
  let buffer = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => (reader.stderr = (reader.stderr + d).slice(-4000)));
  child.stdout?.on('data', (d: string) => {
    buffer += d;
    for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const waiter = reader.waiters.shift();
      if (waiter) waiter(line);
      else reader.lines.push(line);
    }
  });
  return child;
}

/** Kills every fixture child still running; returns how many there were. */
export function reapChildren(): number {
  const running = [...live];
  for (const child of running) killGroup(child);
  live.clear();
  return running.length;
}

afterEach(() => {
  reapChildren();
});
process.once('exit', reapChildren);

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Resolves when the child exits; rejects if it takes longer than timeoutMs (and kills it). */
export function finished(child: ChildProcess, timeoutMs = 20_000): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr });
      return;
    }
    const timer = setTimeout(() => {
      killGroup(child);
      reject(new Error(`child ${child.pid} still running after ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Resolves with the child's next stdout line; rejects when its output ends first or it takes too long. */
export function nextLine(child: ChildProcess, timeoutMs = 30_000): Promise<string> {
  const reader = readers.get(child);
  if (!reader) return Promise.reject(new Error('not a fixture child (spawnFixture)'));
  const queued = reader.lines.shift();
  if (queued !== undefined) return Promise.resolve(queued);
  return new Promise((resolve, reject) => {
    const settle = (outcome: () => void) => {
      clearTimeout(timer);
      child.off('close', onClose);
      const at = reader.waiters.indexOf(waiter);
      if (at !== -1) reader.waiters.splice(at, 1);
      outcome();
    };
    // 'close' comes after the last of its output, so a line written just before exiting is not lost
    const onClose = (code: number | null, signal: NodeJS.Signals | null) =>
      settle(() =>
        reject(new Error(`child ${child.pid} ended (${code ?? signal}) before a line; stderr: ${reader.stderr}`)),
      );
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(new Error(`no line from child ${child.pid} within ${timeoutMs} ms; stderr: ${reader.stderr}`)),
        ),
      timeoutMs,
    );
    const waiter = (line: string) => settle(() => resolve(line));
    reader.waiters.push(waiter);
    if (reader.ended) onClose(child.exitCode, child.signalCode);
    else child.once('close', onClose);
  });
}

/**
 * Waits (bounded) until every child has said "ready", then writes "go" to all of them at once.
 * Returns how many were waiting when released: the caller asserts it is all of them.
 */
export async function releaseTogether(children: ChildProcess[], timeoutMs = 60_000): Promise<number> {
  const lines = await Promise.all(children.map((child) => nextLine(child, timeoutMs)));
  const waiting = lines.filter((line) => line === 'ready').length;
  for (const child of children) child.stdin?.write('go\n');
  return waiting;
}
