import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FedloginError } from '../../src/core/errors.js';
import { cacheDir, createFileStore, entryFileName } from '../../src/store/fileStore.js';
import { perms, tempDir } from './support/tempDir.js';

describe('cacheDir', () => {
  it('is $XDG_CACHE_HOME/fedlogin, else ~/.cache/fedlogin (a relative XDG_CACHE_HOME is ignored)', () => {
    expect(cacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/fedlogin');
    expect(cacheDir({ HOME: '/home/u', XDG_CACHE_HOME: '/var/cache/u' })).toBe('/var/cache/u/fedlogin');
    expect(cacheDir({ HOME: '/home/u', XDG_CACHE_HOME: 'relative' })).toBe('/home/u/.cache/fedlogin');
  });
});

describe('the file store', () => {
  it('stores one 0600 file per entry, named by a hash of the key, in a 0700 folder', async () => {
    const root = tempDir('files');
    const store = createFileStore({ env: { HOME: root, XDG_CACHE_HOME: join(root, 'xdg') } });
    expect(store.kind).toBe('file');
    expect(store.dir).toBe(join(root, 'xdg', 'fedlogin'));
    await store.set('creds-v1-abc', '{"secret":"s3cr3t"}');
    expect(await store.get('creds-v1-abc')).toBe('{"secret":"s3cr3t"}');
    expect(store.getSync('creds-v1-abc')).toBe('{"secret":"s3cr3t"}');
    const name = entryFileName('creds-v1-abc');
    expect(name).toMatch(/^[0-9a-f]{32}\.json$/);
    // fedlogin's own keys are hashes already and name their file as they are
    expect(entryFileName('creds-v1-0123456789abcdef0123456789abcdef')).toBe(
      'creds-v1-0123456789abcdef0123456789abcdef.json',
    );
    expect(entryFileName('secret-store')).toMatch(/^[0-9a-f]{32}\.json$/);
    expect(readdirSync(store.dir)).toEqual([name]);
    expect(perms(statSync(join(store.dir, name)).mode)).toBe(0o600);
    expect(perms(statSync(store.dir).mode)).toBe(0o700);
    await store.set('creds-v1-abc', 'second');
    expect(store.getSync('creds-v1-abc')).toBe('second');
    expect(await store.delete('creds-v1-abc')).toBe(true);
    expect(await store.delete('creds-v1-abc')).toBe(false);
    expect(await store.get('creds-v1-abc')).toBeUndefined();
  });

  it('misses without creating anything when the folder does not exist', async () => {
    const root = tempDir('files');
    const store = createFileStore({ dir: join(root, 'nope') });
    expect(store.getSync('k')).toBeUndefined();
    expect(await store.delete('k')).toBe(false);
    expect(existsSync(join(root, 'nope'))).toBe(false);
  });

  it('treats a corrupt, truncated, foreign or unreadable entry as a miss', async () => {
    const dir = join(tempDir('files'), 'c');
    const store = createFileStore({ dir });
    await store.set('seed', 'x');
    const put = (key: string, content: string) => writeFileSync(join(dir, entryFileName(key)), content);
    put('garbage', 'not json at all');
    put('truncated', '{"version":1,"key":"truncated","val');
    put('other-key', JSON.stringify({ version: 1, key: 'someone-else', value: 'v' }));
    put('wrong-version', JSON.stringify({ version: 2, key: 'wrong-version', value: 'v' }));
    put('not-a-string', JSON.stringify({ version: 1, key: 'not-a-string', value: 42 }));
    put('null', 'null');
    mkdirSync(join(dir, entryFileName('a-folder')));
    for (const key of ['garbage', 'truncated', 'other-key', 'wrong-version', 'not-a-string', 'null', 'a-folder']) {
      expect(store.getSync(key), key).toBeUndefined();
      expect(await store.get(key), key).toBeUndefined();
    }
    // and a write replaces the corrupt entry
    await store.set('garbage', 'fine');
    expect(store.getSync('garbage')).toBe('fine');
  });

  it('resets an entry’s mode to 0600 when it rewrites it', async () => {
    const dir = join(tempDir('files'), 'c');
    const store = createFileStore({ dir });
    await store.set('k', 'v');
    chmodSync(join(dir, entryFileName('k')), 0o644);
    await store.set('k', 'v2');
    expect(perms(statSync(join(dir, entryFileName('k'))).mode)).toBe(0o600);
  });

  it('fixes a folder that others may read (chmod 0700)', async () => {
    const dir = join(tempDir('files'), 'c');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const store = createFileStore({ dir });
    expect(store.getSync('k')).toBeUndefined();
    expect(perms(statSync(dir).mode)).toBe(0o700);
    chmodSync(dir, 0o777);
    await store.set('k', 'v');
    expect(perms(statSync(dir).mode)).toBe(0o700);
  });

  it.runIf(process.getuid?.() === 0)('refuses a folder owned by someone else (CACHE_DIR_NOT_OWNED)', async () => {
    const dir = join(tempDir('files'), 'c');
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 65534, 65534);
    const store = createFileStore({ dir });
    let error: FedloginError | undefined;
    try {
      store.getSync('k');
    } catch (e) {
      error = e as FedloginError;
    }
    expect(error?.code).toBe('CACHE_DIR_NOT_OWNED');
    expect(error?.message).toContain(dir);
    await expect(store.set('k', 'v')).rejects.toMatchObject({ code: 'CACHE_DIR_NOT_OWNED' });
  });

  it('says so when the cache folder is a file', async () => {
    const root = tempDir('files');
    writeFileSync(join(root, 'c'), '');
    await expect(createFileStore({ dir: join(root, 'c') }).set('k', 'v')).rejects.toMatchObject({
      code: 'CACHE_DIR_UNUSABLE',
    });
  });
});
