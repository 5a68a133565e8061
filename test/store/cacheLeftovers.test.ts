import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/sha256.js';
import { collectCacheLeftovers } from '../../src/store/cacheLeftovers.js';
import { cacheKey } from '../../src/store/credentialCache.js';
import { createFileStore } from '../../src/store/fileStore.js';
import { acquireLock, collectDeadLockFiles, DRAFT_UNCHECKABLE_STALE_MS } from '../../src/store/lock.js';
import { finished, nextLine, spawnFixture } from './support/children.js';
import { tempDir } from './support/tempDir.js';

const deadPid = () =>
  Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

const holderJson = (over: Partial<{ pid: number; hostname: string; createdAt: string; token: string }> = {}) =>
  JSON.stringify({ pid: deadPid(), hostname: hostname(), createdAt: new Date().toISOString(), token: 'x', ...over });

const TOKEN = (n: number) => n.toString(16).padStart(24, '0');

/** Starts a lockDrafter child and waits (bounded) until it stands between writing its draft and linking it. */
async function drafter(lock: string) {
  const child = spawnFixture('lockDrafter.mjs', [lock]);
  const exit = finished(child, 30_000);
  const line = await nextLine(child);
  expect(line).toMatch(/^drafted /);
  const draft = line.slice('drafted '.length);
  expect(existsSync(draft), 'the draft is on disk while the drafter waits').toBe(true);
  expect(existsSync(lock), 'and the lock is not').toBe(false);
  return { child, draft, exit };
}

describe('collectDeadLockFiles', () => {
  it('removes the draft of a process killed between writing its holder and linking it, never a live one', async () => {
    const locks = tempDir('leftover-locks');
    const killed = await drafter(join(locks, 'a.lock'));
    const alive = await drafter(join(locks, 'b.lock'));
    try {
      killed.child.kill('SIGKILL');
      expect((await killed.exit).signal).toBe('SIGKILL');

      expect(collectDeadLockFiles(locks)).toEqual([basename(killed.draft)]);
      expect(existsSync(killed.draft)).toBe(false);
      // the live drafter's draft is its token's: it stays, however often the collection runs
      expect(collectDeadLockFiles(locks)).toEqual([]);
      expect(existsSync(alive.draft)).toBe(true);
    } finally {
      alive.child.kill('SIGKILL');
      await alive.exit;
    }
    expect(collectDeadLockFiles(locks)).toEqual([basename(alive.draft)]);
    expect(readdirSync(locks)).toEqual([]);
  }, 60_000);

  it('leaves drafts it cannot check (another host, no holder yet) until they are an hour old', () => {
    const locks = tempDir('leftover-locks');
    const now = Date.now();
    const otherHost = join(locks, `c.lock.${TOKEN(1)}`);
    writeFileSync(otherHost, holderJson({ hostname: 'elsewhere.example', createdAt: new Date(now).toISOString() }));
    const empty = join(locks, `d.lock.${TOKEN(2)}`);
    writeFileSync(empty, '');
    expect(collectDeadLockFiles(locks, now)).toEqual([]);
    expect(collectDeadLockFiles(locks, now + DRAFT_UNCHECKABLE_STALE_MS / 2)).toEqual([]);

    const later = now + DRAFT_UNCHECKABLE_STALE_MS + 60_000;
    expect(collectDeadLockFiles(locks, later).sort()).toEqual([basename(otherHost), basename(empty)]);
  });

  it("keeps a live holder's lock, our own, and files that are not a lock's; removes a dead holder's lock and an old .break", async () => {
    const locks = tempDir('leftover-locks');
    const holder = spawnFixture('lockHolder.mjs', [join(locks, 'live.lock')]);
    const exit = finished(holder);
    try {
      expect(await nextLine(holder)).toBe('locked');
      const release = await acquireLock(join(locks, 'ours.lock'), { timeoutMs: 1000 });
      writeFileSync(join(locks, 'dead.lock'), holderJson());
      const breakFile = join(locks, 'dead.lock.break');
      writeFileSync(breakFile, '{}');
      const old = new Date(Date.now() - 60_000);
      utimesSync(breakFile, old, old);
      // a draft-like name of a live process (pid alive on this host) and files fedlogin does not make
      writeFileSync(join(locks, `live.lock.${TOKEN(3)}`), holderJson({ pid: holder.pid! }));
      writeFileSync(join(locks, 'notes.txt'), 'mine');
      writeFileSync(join(locks, `e.lock.${'z'.repeat(24)}`), holderJson());

      expect(collectDeadLockFiles(locks).sort()).toEqual(['dead.lock', 'dead.lock.break']);
      expect(readdirSync(locks).sort()).toEqual(
        ['e.lock.zzzzzzzzzzzzzzzzzzzzzzzz', 'live.lock', `live.lock.${TOKEN(3)}`, 'notes.txt', 'ours.lock'].sort(),
      );
      release();
    } finally {
      holder.kill('SIGKILL');
      await exit;
    }
  }, 30_000);
});

describe('collectCacheLeftovers', () => {
  it('removes v1 credential entries in both namings and nothing a current or newer fedlogin reads', async () => {
    const cache = tempDir('leftover-cache');
    const env = { XDG_CACHE_HOME: cache };
    const dir = join(cache, 'fedlogin');
    const store = createFileStore({ env });
    const v1Key = `creds-v1-${'a'.repeat(64)}`;
    const firstNamingV1Key = `creds-v1-${'b'.repeat(64)}`;
    const firstNamingOtherKey = `oidc-refresh-v1-${'c'.repeat(64)}`;
    const v2Key = cacheKey({ profile: 'dev' });
    const newerKey = `creds-v3-${'d'.repeat(32)}`;
    for (const key of [v1Key, v2Key, newerKey, 'some other key']) await store.set(key, '{}');
    // the first naming: the first 32 hex digits of the key's SHA-256, the key inside
    const entry = (key: string) => JSON.stringify({ version: 1, key, value: '{}' });
    writeFileSync(join(dir, `${sha256Hex(firstNamingV1Key).slice(0, 32)}.json`), entry(firstNamingV1Key));
    writeFileSync(join(dir, `${sha256Hex(firstNamingOtherKey).slice(0, 32)}.json`), entry(firstNamingOtherKey));
    // a v1 name that is a link (to a file of the user's) is not followed nor removed
    writeFileSync(join(cache, 'precious'), 'keep');
    symlinkSync(join(cache, 'precious'), join(dir, `creds-v1-${'e'.repeat(64)}.json`));
    mkdirSync(join(dir, 'sso'));
    const before = readdirSync(dir);

    const collected = collectCacheLeftovers(env);
    expect(collected.entries.sort()).toEqual(
      [`${v1Key}.json`, `${sha256Hex(firstNamingV1Key).slice(0, 32)}.json`].sort(),
    );
    expect(collected.locks).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(before.filter((n) => !collected.entries.includes(n)).sort());
    for (const key of [v2Key, newerKey, 'some other key']) expect(store.getSync(key)).toBe('{}');
    expect(existsSync(join(cache, 'precious'))).toBe(true);
    // once is enough
    expect(collectCacheLeftovers(env)).toEqual({ entries: [], locks: [] });
  });

  it('collects dead lock files in the cache folder, and is quiet without a cache folder', () => {
    const cache = tempDir('leftover-cache');
    expect(collectCacheLeftovers({ XDG_CACHE_HOME: cache })).toEqual({ entries: [], locks: [] });
    const locks = join(cache, 'fedlogin', 'locks');
    mkdirSync(locks, { recursive: true, mode: 0o700 });
    writeFileSync(join(locks, `p.lock.${TOKEN(4)}`), holderJson());
    expect(collectCacheLeftovers({ XDG_CACHE_HOME: cache })).toEqual({ entries: [], locks: [`p.lock.${TOKEN(4)}`] });
  });
});
