/**
 * The keychain store and the choice between stores, both halves in every run:
 * - with a keychain: in this process, against the Secret Service of this D-Bus session (CI runs
 *   the suite inside `dbus-run-session` with an unlocked gnome-keyring; component 'keychain':
 *   skipped with the reason on a laptop without one, failing under CI);
 * - without a keychain: in a child process whose DBUS_SESSION_BUS_ADDRESS points at nothing, the
 *   real no-Secret-Service condition of a server or container, whatever this machine has.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeychainStore, probeKeychain } from '../../src/store/keychainStore.js';
import {
  environmentFingerprint,
  fileStoreIfChosen,
  openSecretStore,
  readStoreDecision,
  recordStoreDecision,
  storeDecisionPath,
} from '../../src/store/openSecretStore.js';
import { describeWith } from '../support/harness/component.js';
import { finished, spawnFixture } from './support/children.js';
import { tempDir } from './support/tempDir.js';

const SERVICE = `fedlogin-test-${process.pid}`;

const envIn = (root: string, over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  HOME: root,
  XDG_CACHE_HOME: join(root, 'cache'),
  ...over,
});

describeWith(['keychain'], 'with a keychain', () => {
  it('stores, reads and deletes entries', async () => {
    const store = createKeychainStore({ service: SERVICE });
    expect(store.kind).toBe('keychain');
    const key = `creds-v1-${process.pid}`;
    expect(await store.get(key)).toBeUndefined();
    await store.set(key, '{"secret":"é s3cr3t"}');
    expect(await store.get(key)).toBe('{"secret":"é s3cr3t"}');
    await store.set(key, 'second');
    expect(await store.get(key)).toBe('second');
    expect(await store.delete(key)).toBe(true);
    expect(await store.delete(key)).toBe(false);
    expect(await store.get(key)).toBeUndefined();
  });

  it('auto picks the keychain and remembers it; keychain opens', async () => {
    const env = envIn(tempDir('keychain'));
    const store = await openSecretStore({ choice: 'auto', env, service: SERVICE, probeTimeoutMs: 10_000 });
    expect(store.kind).toBe('keychain');
    expect(readStoreDecision(env)).toBe('keychain');
    expect(fileStoreIfChosen('auto', env)).toBeUndefined();
    expect((await openSecretStore({ choice: 'keychain', env, service: SERVICE, probeTimeoutMs: 10_000 })).kind).toBe(
      'keychain',
    );
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
    expect(await store.delete('k')).toBe(true);
  });

  it('the probe is bounded by its timeout: a round trip cannot beat 1 ms, so the timer answers', async () => {
    const quick = await probeKeychain(1, { service: SERVICE });
    expect(quick.ok).toBe(false);
    if (!quick.ok) {
      expect(quick.error.code).toBe('KEYCHAIN_UNAVAILABLE');
      expect(quick.error.message).toContain('no answer within 1 ms');
    }
    expect((await probeKeychain(10_000, { service: SERVICE })).ok).toBe(true);
  });
});

/** A D-Bus address with nothing behind it. */
const NO_BUS = 'unix:path=/nonexistent/fedlogin-test-no-session-bus';

interface ErrorSeen {
  fedlogin: boolean;
  code?: string;
  kind?: string;
  message?: string;
  cause?: string;
}

/** Runs a scenario of fixtures/keychainScenario.mjs in a child with `env`; its JSON observations. */
async function scenario<T>(name: string, env: NodeJS.ProcessEnv, probeTimeoutMs = 10_000): Promise<T> {
  const child = spawnFixture('keychainScenario.mjs', [name, SERVICE, String(probeTimeoutMs)], env);
  const result = await finished(child, 60_000);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** The keychain failed because no bus was there (and not, say, because the binding is missing). */
const expectNoBus = (error: ErrorSeen | undefined) => {
  expect(error).toMatchObject({ fedlogin: true, code: 'KEYCHAIN_UNAVAILABLE', kind: 'usage' });
  expect(error!.message).toMatch(/^The OS keychain cannot be used: /);
  expect(error!.cause).toContain('/nonexistent/fedlogin-test-no-session-bus');
};

describe('without a keychain (a child whose D-Bus session address points at nothing)', () => {
  it('auto falls back to the file store and remembers that', async () => {
    const env = envIn(tempDir('keychain'), { DBUS_SESSION_BUS_ADDRESS: NO_BUS });
    const seen = await scenario<{ kind: string; decision: string; fingerprint: string; fileIfChosen: string }>(
      'autoFallsBack',
      env,
    );
    expect(seen).toEqual({
      kind: 'file',
      decision: 'file',
      fingerprint: environmentFingerprint(env),
      fileIfChosen: 'file',
    });
    const memo = JSON.parse(readFileSync(storeDecisionPath(env), 'utf8'));
    expect(memo.decisions[environmentFingerprint(env)]).toMatchObject({ store: 'file' });
    expect(fileStoreIfChosen('auto', env)?.kind).toBe('file');
  });

  it('keychain gives KEYCHAIN_UNAVAILABLE, from openSecretStore and from the store itself', async () => {
    const env = envIn(tempDir('keychain'), { DBUS_SESSION_BUS_ADDRESS: NO_BUS });
    const seen = await scenario<{ open: { error?: ErrorSeen }; ops: { error?: ErrorSeen }[] }>(
      'keychainUnavailable',
      env,
    );
    expectNoBus(seen.open.error);
    expect(seen.ops).toHaveLength(3);
    for (const op of seen.ops) expectNoBus(op.error);
    expect(readStoreDecision(env)).toBeUndefined(); // an explicit choice decides nothing for later
  });

  it('a remembered keychain that stopped working moves to the file store for good', async () => {
    const env = envIn(tempDir('keychain'), { DBUS_SESSION_BUS_ADDRESS: NO_BUS });
    const seen = await scenario('rememberedKeychainGone', env);
    expect(seen).toEqual({ kindBefore: 'keychain', kindAfter: 'file', value: 'v', decision: 'file' });
    expect(readStoreDecision(env)).toBe('file');
  });

  it('the probe says why, as KEYCHAIN_UNAVAILABLE', async () => {
    const env = envIn(tempDir('keychain'), { DBUS_SESSION_BUS_ADDRESS: NO_BUS });
    const seen = await scenario<{ ok: boolean; error?: ErrorSeen }>('probe', env);
    expect(seen.ok).toBe(false);
    expectNoBus(seen.error);
  });
});

describe('a session bus that accepts and never answers', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it('the probe gives up at its bound and the process still exits (the library would block the thread that asked)', async () => {
    const root = tempDir('keychain');
    const held: import('node:net').Socket[] = [];
    server = createServer((socket) => {
      held.push(socket); // read nothing, answer nothing
    });
    const path = join(root, 'bus');
    await new Promise<void>((resolve) => server!.listen(path, resolve));
    const env = envIn(root, { DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}` });
    const seen = await scenario<{ ok: boolean; error?: ErrorSeen }>('probe', env, 500);
    for (const socket of held) socket.destroy();
    expect(seen.ok).toBe(false);
    expect(seen.error).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', kind: 'usage' });
    expect(seen.error!.message).toContain('no answer within 500 ms');
    expect(held.length, 'the probe reached the bus').toBeGreaterThan(0);
  });
});

describe('the remembered decision', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  /** A D-Bus address whose socket counts connections (and closes them): a probe would show here. */
  async function countingBus(root: string): Promise<{ address: string; connections: () => number }> {
    let connections = 0;
    const server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    servers.push(server);
    const path = join(root, 'bus');
    await new Promise<void>((resolve) => server.listen(path, resolve));
    return { address: `unix:path=${path}`, connections: () => connections };
  }

  it('is used without probing, per environment, and expires', async () => {
    const root = tempDir('keychain');
    const bus = await countingBus(root);
    const env = envIn(root, { DBUS_SESSION_BUS_ADDRESS: bus.address });
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(readStoreDecision(env, now)).toBeUndefined();
    recordStoreDecision(env, { store: 'file', decidedAt: new Date(now).toISOString() });
    expect(readStoreDecision(env, now + 3600_000)).toBe('file');
    expect(readStoreDecision(env, now + 25 * 3600_000)).toBeUndefined();
    expect((await openSecretStore({ choice: 'auto', env, now: () => now + 1000 })).kind).toBe('file');

    // a fresh decision (taken now) in a child whose keychain would be this counting socket
    recordStoreDecision(env, { store: 'file', decidedAt: new Date().toISOString() });
    expect(await scenario('autoRemembered', env)).toEqual({ kind: 'file' });
    expect(bus.connections(), 'connections to the session bus (a probe)').toBe(0);
    // and without a decision the same child does probe: the counter can see one
    const fresh = envIn(join(root, 'fresh'), { DBUS_SESSION_BUS_ADDRESS: bus.address });
    mkdirSync(fresh.HOME!, { recursive: true });
    expect(await scenario('autoRemembered', fresh)).toEqual({ kind: 'file' });
    expect(bus.connections()).toBeGreaterThan(0);

    if (process.platform === 'linux') {
      const other = { ...env, DBUS_SESSION_BUS_ADDRESS: '' };
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
