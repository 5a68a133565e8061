import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/core/credentials.js';
import {
  cacheKey,
  deleteCachedCredentials,
  parseCachedCredentials,
  readCachedCredentials,
  readCachedCredentialsSync,
  serializeCredentials,
  writeCachedCredentials,
} from '../../src/store/credentialCache.js';
import { createFileStore } from '../../src/store/fileStore.js';
import { tempDir } from './support/tempDir.js';

const credentials: Credentials = {
  accessKeyId: 'ASIAEXAMPLE0000000001',
  secretAccessKey: 'secret/abc+def',
  sessionToken: 'token==',
  expiration: new Date('2030-01-01T12:00:00.000Z'),
  accountId: '123456789012',
};

describe('cacheKey', () => {
  it('does not depend on key order, and ignores undefined values', () => {
    expect(cacheKey({ a: '1', b: '2' })).toBe(cacheKey({ b: '2', a: '1' }));
    expect(cacheKey({ a: '1', b: undefined })).toBe(cacheKey({ a: '1' }));
    expect(cacheKey({ a: '1' })).toMatch(/^creds-v2-[0-9a-f]{16}$/);
  });

  it('changes when any setting is changed, added or removed', () => {
    const settings = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 20 }), {
      minKeys: 1,
      maxKeys: 8,
    });
    fc.assert(
      fc.property(settings, fc.nat(), fc.string({ maxLength: 20 }), (s, pick, other) => {
        const keys = Object.keys(s);
        const key = keys[pick % keys.length]!;
        const base = cacheKey(s);
        if (other !== s[key]) expect(cacheKey({ ...s, [key]: other })).not.toBe(base);
        const { [key]: _removed, ...rest } = s;
        expect(cacheKey(rest)).not.toBe(base);
        expect(cacheKey({ ...s, [`${key}-extra`]: 'x' })).not.toBe(base);
        // a value moved to another key is another setting
        if (keys.length === 1 && s[key] !== '') expect(cacheKey({ [`${key}2`]: s[key] })).not.toBe(base);
      }),
      { numRuns: 300 },
    );
    expect(cacheKey({ 'a=b': 'c' })).not.toBe(cacheKey({ a: 'b=c' }));
  });
});

describe('cached credentials', () => {
  it('round-trip through the documented JSON', () => {
    const obtainedAt = new Date('2030-01-01T11:00:00.000Z');
    const text = serializeCredentials(credentials, obtainedAt);
    expect(JSON.parse(text)).toEqual({
      version: 1,
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: 'token==',
      expiration: '2030-01-01T12:00:00.000Z',
      accountId: '123456789012',
      obtainedAt: '2030-01-01T11:00:00.000Z',
    });
    expect(parseCachedCredentials(text)).toEqual({ ...credentials, obtainedAt });
    const minimal = { ...credentials, sessionToken: undefined, accountId: undefined, obtainedAt };
    expect(parseCachedCredentials(serializeCredentials(minimal))).toEqual(minimal);
    // entries written before obtainedAt existed still parse
    const { obtainedAt: _dropped, ...old } = JSON.parse(text) as Record<string, unknown>;
    expect(parseCachedCredentials(JSON.stringify(old))).toEqual({ ...credentials, obtainedAt: undefined });
  });

  it('misses on anything malformed', () => {
    const good = JSON.parse(serializeCredentials(credentials));
    const bad = [
      undefined,
      '',
      'not json',
      'null',
      '[]',
      '"string"',
      JSON.stringify({ ...good, version: 2 }),
      JSON.stringify({ ...good, version: '1' }),
      JSON.stringify({ ...good, accessKeyId: '' }),
      JSON.stringify({ ...good, secretAccessKey: 7 }),
      JSON.stringify({ ...good, expiration: 'tomorrow' }),
      JSON.stringify({ ...good, expiration: undefined }),
      JSON.stringify({ ...good, sessionToken: 5 }),
      JSON.stringify({ ...good, accountId: {} }),
      serializeCredentials(credentials).slice(0, -3),
    ];
    for (const text of bad) expect(parseCachedCredentials(text), String(text)).toBeUndefined();
  });

  it('are written to and read from a store, asynchronously and on the sync fast path', async () => {
    const store = createFileStore({ dir: `${tempDir('cache')}/c` });
    const key = cacheKey({ profile: 'dev', role_arn: 'arn:aws:iam::1:role/r' });
    expect(await readCachedCredentials(store, key)).toBeUndefined();
    expect(readCachedCredentialsSync(store, key)).toBeUndefined();
    await writeCachedCredentials(store, key, credentials);
    expect(await readCachedCredentials(store, key)).toEqual({ ...credentials, obtainedAt: expect.any(Date) });
    expect(readCachedCredentialsSync(store, key)).toEqual({ ...credentials, obtainedAt: expect.any(Date) });
    await store.set(key, '{"version":1}');
    expect(readCachedCredentialsSync(store, key)).toBeUndefined();
    expect(await deleteCachedCredentials(store, key)).toBe(true);
  });
});
