import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { FedloginError } from '../../src/core/errors.js';
import { acquireLock, BREAK_STALE_MS, lockPathFor, readLockHolder, withLock } from '../../src/store/lock.js';
import { finished, nextLine, releaseTogether, spawnFixture } from './support/children.js';
import { perms, rejection, tempDir } from './support/tempDir.js';

const deadPid = () =>
  Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

const holderJson = (over: Partial<{ pid: number; hostname: string; createdAt: string; token: string }> = {}) =>
  JSON.stringify({
    pid: deadPid(),
    hostname: hostname(),
    createdAt: new Date().toISOString(),
    token: 'someone-else',
    ...over,
  });

/** Checks that enter/exit lines never interleave: at most one holder at a time. */
function assertExclusive(journal: string): number {
  let inside: string | undefined;
  let entries = 0;
  for (const line of journal.trim().split('\n')) {
    const [what, pid] = line.split(' ');
    if (what === 'enter') {
      expect(inside, `pid ${pid} entered while ${inside} was inside`).toBeUndefined();
      inside = pid;
      entries += 1;
    } else {
      expect(inside).toBe(pid);
      inside = undefined;
    }
  }
  return entries;
}

describe('acquireLock across processes', () => {
  /** `count` processes each taking the lock `rounds` times for a read-pause-write increment, released together */
  async function counters(count: number, rounds: number, pauseMs: number) {
    const root = tempDir('lock');
    const lock = join(root, 'counter.lock');
    const counter = join(root, 'counter');
    const journal = join(root, 'journal');
    writeFileSync(counter, '0');
    writeFileSync(journal, '');
    const children = Array.from({ length: count }, () =>
      spawnFixture('lockCounter.mjs', [lock, counter, journal, String(rounds), String(pauseMs)]),
    );
    let running = count;
    const exits = children.map((child) => finished(child, 60_000).finally(() => (running -= 1)));
    expect(await releaseTogether(children), 'children waiting for the common start').toBe(count);
    const ended = async () => {
      for (const r of await Promise.all(exits)) expect(r.code, r.stderr).toBe(0);
    };
    return { lock, counter, journal, running: () => running, ended };
  }

  it('excludes: 6 processes x 15 read-pause-write increments end at exactly 90', async () => {
    const { lock, counter, journal, ended } = await counters(6, 15, 2);
    await ended();
    expect(readFileSync(counter, 'utf8')).toBe('90');
    expect(assertExclusive(readFileSync(journal, 'utf8'))).toBe(90);
    expect(existsSync(lock)).toBe(false);
  }, 60_000);

  it('is never seen without its holder: an observer reading the lock while 4 processes take turns 60 times', async () => {
    const { lock, counter, running, ended } = await counters(4, 15, 0);
    let reads = 0;
    const withoutHolder: string[] = [];
    while (running() > 0) {
      let raw: string | undefined;
      try {
        raw = readFileSync(lock, 'utf8');
      } catch {
        // free at this moment
      }
      if (raw !== undefined) {
        reads += 1;
        if (!raw.startsWith('{"pid"') || !raw.endsWith('}')) withoutHolder.push(raw);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await ended();
    expect(readFileSync(counter, 'utf8')).toBe('60');
    expect(reads, 'the observer saw the lock held at least once').toBeGreaterThan(0);
    expect(withoutHolder).toEqual([]);
  }, 60_000);

  it('recovers a lock whose holder was killed, and only one of several waiters gets it at a time', async () => {
    const root = tempDir('lock');
    const lock = join(root, 'held.lock');
    const holder = spawnFixture('lockHolder.mjs', [lock]);
    const exit = finished(holder);
    expect(await nextLine(holder)).toBe('locked');
    expect(readLockHolder(lock)?.pid).toBe(holder.pid);
    holder.kill('SIGKILL');
    await exit;

    // four waiters race to break the dead holder's lock; each then holds it for a while
    const counter = join(root, 'counter');
    const journal = join(root, 'journal');
    writeFileSync(counter, '0');
    writeFileSync(journal, '');
    const waiters = Array.from({ length: 4 }, () =>
      spawnFixture('lockCounter.mjs', [lock, counter, journal, '1', '150']),
    );
    const exits = waiters.map((child) => finished(child, 40_000));
    expect(await releaseTogether(waiters), 'waiters waiting for the common start').toBe(4);
    for (const r of await Promise.all(exits)) expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(counter, 'utf8')).toBe('4');
    expect(assertExclusive(readFileSync(journal, 'utf8'))).toBe(4);
    expect(existsSync(`${lock}.break`)).toBe(false);
  }, 30_000);
});

describe('acquireLock', () => {
  it('writes {pid, hostname, createdAt} to a 0600 file and releases idempotently', async () => {
    const root = tempDir('lock');
    const lock = join(root, 'sub', 'a.lock');
    const before = Date.now();
    const release = await acquireLock(lock, { timeoutMs: 1000 });
    const after = Date.now();
    const holder = JSON.parse(readFileSync(lock, 'utf8'));
    expect(holder).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(Date.parse(holder.createdAt)).toBeGreaterThanOrEqual(before - 1); // ISO 8601 keeps milliseconds
    expect(Date.parse(holder.createdAt)).toBeLessThanOrEqual(after);
    expect(perms(statSync(lock).mode)).toBe(0o600);
    expect(perms(statSync(join(root, 'sub')).mode)).toBe(0o700);
    release();
    release();
    expect(existsSync(lock)).toBe(false);
  });

  it('times out with LOCK_TIMEOUT naming the lock file and the holder’s pid', async () => {
    const root = tempDir('lock');
    const lock = join(root, 'busy.lock');
    const holder = spawnFixture('lockHolder.mjs', [lock]);
    const exit = finished(holder);
    try {
      expect(await nextLine(holder)).toBe('locked');
      // a clock that moves 100 ms each time it is read: the wait is measured on it, not on the wall
      const start = Date.now();
      const readings: number[] = [];
      const clock: Clock = {
        now: () => {
          readings.push(start + 100 * readings.length);
          return readings.at(-1)!;
        },
      };
      const error = await rejection(acquireLock(lock, { timeoutMs: 300, clock }));
      // it tried until its clock reached the deadline, and gave up on the first look past it
      const waited = readings.map((t) => t - readings[0]!);
      expect(waited.at(-1)).toBeGreaterThanOrEqual(300);
      expect(waited.at(-2)).toBeLessThan(300);
      expect(error).toBeInstanceOf(FedloginError);
      expect(error.code).toBe('LOCK_TIMEOUT');
      expect(error.message).toContain(lock);
      expect(error.message).toContain(`pid ${holder.pid}`);
      expect(error.hint).toContain(`delete ${lock}`);
    } finally {
      holder.kill('SIGKILL');
      await exit;
    }
  });

  it('waits for a holder in the same process (not re-entrant) and gets it once released', async () => {
    const lock = join(tempDir('lock'), 'x.lock');
    const release = await acquireLock(lock, { timeoutMs: 100 });
    expect((await rejection(acquireLock(lock, { timeoutMs: 100 }))).code).toBe('LOCK_TIMEOUT');
    // the first attempt runs before acquireLock returns its promise, so this one is waiting now
    let settled = false;
    const again = acquireLock(lock, { timeoutMs: 10_000 }).finally(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(readLockHolder(lock)?.pid).toBe(process.pid);
    release();
    (await again)();
    expect(existsSync(lock)).toBe(false);
  });

  it('does not delete a lock that is no longer its own', async () => {
    const lock = join(tempDir('lock'), 'x.lock');
    const release = await acquireLock(lock, { timeoutMs: 100 });
    const theirs = holderJson({ pid: 1, token: 'theirs' });
    writeFileSync(lock, theirs); // as if ours had been broken and someone else took it
    release();
    expect(readFileSync(lock, 'utf8')).toBe(theirs);
  });

  it('breaks the lock of a dead pid on this host, and of our own pid from before we started (pid reuse)', async () => {
    const root = tempDir('lock');
    const beforeUs = new Date(performance.timeOrigin - 1000).toISOString();
    for (const holder of [{ pid: deadPid() }, { pid: process.pid, createdAt: beforeUs }]) {
      const lock = join(root, `${holder.pid}.lock`);
      writeFileSync(lock, holderJson(holder));
      const release = await acquireLock(lock, { timeoutMs: 1000 });
      expect(readLockHolder(lock)?.token).not.toBe('someone-else');
      release();
    }
  });

  it('leaves a lock with our pid taken since we started alone (another thread of ours)', async () => {
    const lock = join(tempDir('lock'), 'x.lock');
    writeFileSync(lock, holderJson({ pid: process.pid }));
    expect((await rejection(acquireLock(lock, { timeoutMs: 150 }))).code).toBe('LOCK_TIMEOUT');
  });

  it('leaves a lock of another host alone unless it is older than staleMs', async () => {
    const lock = join(tempDir('lock'), 'x.lock');
    writeFileSync(lock, holderJson({ hostname: 'elsewhere', createdAt: new Date(Date.now() - 60_000).toISOString() }));
    const error = await rejection(acquireLock(lock, { timeoutMs: 150 }));
    expect(error.message).toContain('on elsewhere');
    const release = await acquireLock(lock, { timeoutMs: 1000, staleMs: 30_000 });
    release();
  });

  it('breaks a lock written before the last boot, whatever its pid', async () => {
    const lock = join(tempDir('lock'), 'x.lock');
    writeFileSync(lock, holderJson({ pid: 1, createdAt: '2001-01-01T00:00:00.000Z' }));
    (await acquireLock(lock, { timeoutMs: 1000 }))();
  });

  it("treats an empty lock file (never one of fedlogin's: they are linked in whole) as garbage, broken after a few seconds", async () => {
    const lock = join(tempDir('lock'), 'x.lock');
    writeFileSync(lock, '');
    expect((await rejection(acquireLock(lock, { timeoutMs: 150 }))).message).toContain('did not say who it is');
    const old = (Date.now() - 10_000) / 1000;
    utimesSync(lock, old, old);
    (await acquireLock(lock, { timeoutMs: 1000 }))();
  });

  it('waits while another waiter is breaking the lock, and takes over a .break file its breaker left behind', async () => {
    const lock = join(tempDir('lock'), 'x.lock');
    writeFileSync(lock, holderJson());
    writeFileSync(`${lock}.break`, '{}');
    expect((await rejection(acquireLock(lock, { timeoutMs: 200 }))).code).toBe('LOCK_TIMEOUT');
    const old = (Date.now() - BREAK_STALE_MS - 1000) / 1000;
    utimesSync(`${lock}.break`, old, old);
    (await acquireLock(lock, { timeoutMs: 1000 }))();
    expect(existsSync(`${lock}.break`)).toBe(false);
  });

  it('withLock releases when the function throws, and passes its value through', async () => {
    const lock = join(tempDir('lock'), 'x.lock');
    await expect(withLock(lock, () => Promise.reject(new Error('boom')), { timeoutMs: 100 })).rejects.toThrow('boom');
    expect(existsSync(lock)).toBe(false);
    expect(await withLock(lock, () => 42, { timeoutMs: 100 })).toBe(42);
  });

  it('lockPathFor puts locks in <cache>/locks, 0700', () => {
    const root = tempDir('lock');
    const path = lockPathFor({ XDG_CACHE_HOME: root, HOME: root }, 'login dev/1');
    expect(path).toBe(join(root, 'fedlogin', 'locks', 'login_dev_1.lock'));
    expect(perms(statSync(join(root, 'fedlogin')).mode)).toBe(0o700);
    expect(perms(statSync(join(root, 'fedlogin', 'locks')).mode)).toBe(0o700);
  });
});
