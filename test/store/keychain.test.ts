/**
 * The keychain store and the choice between stores. Which half runs depends on whether a keychain
 * answers here (on Linux: a Secret Service on the D-Bus session). CI runs this file twice, once
 * inside `dbus-run-session` with an unlocked gnome-keyring and FEDLOGIN_REQUIRE_KEYCHAIN=1 (then a
 * missing keychain fails the tests instead of skipping them), once without (the fallback half).
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FedloginError } from '../../src/core/errors.js';
import { createKeychainStore, probeKeychain } from '../../src/store/keychainStore.js';
import {
  environmentFingerprint,
  fileStoreIfChosen,
  openSecretStore,
  readStoreDecision,
  recordStoreDecision,
  storeDecisionPath,
} from '../../src/store/openSecretStore.js';
import { tempDir, rejection } from './support/tempDir.js';

const SERVICE = `fedlogin-test-${process.pid}`;
const probe = await probeKeychain(2000, { service: SERVICE });
const required = process.env.FEDLOGIN_REQUIRE_KEYCHAIN === '1';
console.info(
  probe.ok
    ? `keychain answered the probe in ${probe.ms.toFixed(1)} ms`
    : `no keychain here (${probe.error.message}, ${probe.ms.toFixed(1)} ms): ${required ? 'FEDLOGIN_REQUIRE_KEYCHAIN=1, so the keychain tests fail' : 'running the fallback tests, skipping the keychain ones'}`,
);

const envIn = (root: string): NodeJS.ProcessEnv => ({ ...process.env, HOME: root, XDG_CACHE_HOME: join(root, 'cache') });

describe('with a keychain', () => {
  const run = probe.ok || required;
  const needKeychain = () => {
    if (!probe.ok) throw new Error(`FEDLOGIN_REQUIRE_KEYCHAIN=1 but no keychain answered: ${probe.error.message}`);
  };

  it.runIf(run)('stores, reads and deletes entries', async () => {
    needKeychain();
    const store = createKeychainStore({ service: SERVICE });
    expect(store.kind).toBe('keychain');
    const key = `creds-v1-${Date.now()}`;
    expect(await store.get(key)).toBeUndefined();
    await store.set(key, '{"secret":"é s3cr3t"}');
    expect(await store.get(key)).toBe('{"secret":"é s3cr3t"}');
    await store.set(key, 'second');
    expect(await store.get(key)).toBe('second');
    expect(await store.delete(key)).toBe(true);
    expect(await store.delete(key)).toBe(false);
    expect(await store.get(key)).toBeUndefined();
  });

  it.runIf(run)('auto picks the keychain and remembers it; keychain opens', async () => {
    needKeychain();
    const env = envIn(tempDir('keychain'));
    const store = await openSecretStore({ choice: 'auto', env, service: SERVICE, probeTimeoutMs: 2000 });
    expect(store.kind).toBe('keychain');
    expect(readStoreDecision(env)).toBe('keychain');
    expect(fileStoreIfChosen('auto', env)).toBeUndefined();
    expect((await openSecretStore({ choice: 'keychain', env, service: SERVICE, probeTimeoutMs: 2000 })).kind).toBe('keychain');
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
    expect(await store.delete('k')).toBe(true);
  });
});

describe('without a keychain', () => {
  const run = !probe.ok && !required;

  it.runIf(run)('auto falls back to the file store and remembers that', async () => {
    const env = envIn(tempDir('keychain'));
    const store = await openSecretStore({ choice: 'auto', env, service: SERVICE });
    expect(store.kind).toBe('file');
    expect(readStoreDecision(env)).toBe('file');
    const memo = JSON.parse(readFileSync(storeDecisionPath(env), 'utf8'));
    expect(memo.decisions[environmentFingerprint(env)]).toMatchObject({ store: 'file' });
    expect(fileStoreIfChosen('auto', env)?.kind).toBe('file');
  });

  it.runIf(run)('keychain gives KEYCHAIN_UNAVAILABLE, from openSecretStore and from the store itself', async () => {
    const env = envIn(tempDir('keychain'));
    const error = await rejection(openSecretStore({ choice: 'keychain', env, service: SERVICE }));
    expect(error).toBeInstanceOf(FedloginError);
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(error.kind).toBe('usage');
    expect(error.message).toMatch(/^The OS keychain cannot be used: /);
    const store = createKeychainStore({ service: SERVICE });
    for (const op of [store.get('k'), store.set('k', 'v'), store.delete('k')]) {
      expect((await rejection(op)).code).toBe('KEYCHAIN_UNAVAILABLE');
    }
  });

  it.runIf(run)('a remembered keychain that stopped working moves to the file store for good', async () => {
    const env = envIn(tempDir('keychain'));
    recordStoreDecision(env, { store: 'keychain', decidedAt: new Date().toISOString() });
    const store = await openSecretStore({ choice: 'auto', env, service: SERVICE });
    expect(store.kind).toBe('keychain');
    await store.set('k', 'v');
    expect(store.kind).toBe('file');
    expect(await store.get('k')).toBe('v');
    expect(readStoreDecision(env)).toBe('file');
  });
});

describe('the probe', () => {
  it('is bounded by its timeout', async () => {
    const started = performance.now();
    const quick = await probeKeychain(1, { service: SERVICE });
    expect(quick.ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(250);
    if (!quick.ok) expect(quick.error.code).toBe('KEYCHAIN_UNAVAILABLE');
    if (probe.ok && !quick.ok) expect(quick.error.message).toContain('no answer within 1 ms');
  });
});

describe('the remembered decision', () => {
  it('is used without probing, per environment, and expires', async () => {
    const env = envIn(tempDir('keychain'));
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(readStoreDecision(env, now)).toBeUndefined();
    recordStoreDecision(env, { store: 'file', decidedAt: new Date(now).toISOString() });
    expect(readStoreDecision(env, now + 3600_000)).toBe('file');
    expect(readStoreDecision(env, now + 25 * 3600_000)).toBeUndefined();
    const started = performance.now();
    expect((await openSecretStore({ choice: 'auto', env, now: () => now + 1000 })).kind).toBe('file');
    expect(performance.now() - started).toBeLessThan(50);
    if (process.platform === 'linux') {
      const other = { ...env, DBUS_SESSION_BUS_ADDRESS: env.DBUS_SESSION_BUS_ADDRESS ? '' : 'unix:path=/nonexistent' };
      expect(environmentFingerprint(other)).not.toBe(environmentFingerprint(env));
      expect(readStoreDecision(other, now)).toBeUndefined();
    }
  });

  it('a corrupt decision file means deciding again', () => {
    const root = tempDir('keychain');
    const env = envIn(root);
    mkdirSync(join(root, 'cache', 'fedlogin'), { recursive: true });
    writeFileSync(storeDecisionPath(env), '{not json');
    expect(readStoreDecision(env)).toBeUndefined();
    recordStoreDecision(env, { store: 'file', decidedAt: new Date().toISOString() });
    expect(readStoreDecision(env)).toBe('file');
  });

  it('file needs no decision at all', () => {
    const env = envIn(tempDir('keychain'));
    expect(fileStoreIfChosen('file', env)?.kind).toBe('file');
    expect(fileStoreIfChosen('keychain', env)).toBeUndefined();
    expect(fileStoreIfChosen('auto', env)).toBeUndefined();
    expect(existsSync(storeDecisionPath(env))).toBe(false);
  });
});
