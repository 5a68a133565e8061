/**
 * Picks the secret store. `file` and `keychain` are what they say (`keychain` fails with
 * KEYCHAIN_UNAVAILABLE when the probe fails). `auto` uses the keychain when a bounded probe shows it
 * works and the file store otherwise, and remembers the decision in <cache>/secret-store.json, per
 * environment fingerprint (platform, and on Linux whether a D-Bus session is there: an ssh login
 * and the desktop of the same user differ), so that later runs, and the fast path, pick the store
 * by reading one small file. A 'file' decision is re-probed after a day (a keychain may have been
 * set up since), a 'keychain' one after 30 days; if the keychain stops working in between, the
 * store returned by `auto` moves to the file store and records that.
 */
import { isFedloginError } from '../core/errors.js';
import { writeFileAtomic } from './atomicWrite.js';
import { cacheDir } from './cacheDir.js';
import { createFileStore, type FileSecretStore } from './fileStore.js';
import { createKeychainStore, probeKeychain } from './keychainStore.js';
import { ensurePrivateDir } from './privateDir.js';
import type { SecretStore, SecretStoreKind } from './secretStore.js';
import {
  environmentFingerprint,
  readDecisionFile,
  readStoreDecision,
  type StoreDecision,
  storeDecisionPath,
} from './storeDecision.js';

export { environmentFingerprint, readStoreDecision, type StoreDecision, storeDecisionPath } from './storeDecision.js';

export type SecretStoreChoice = 'auto' | SecretStoreKind;

export interface OpenSecretStoreOptions {
  choice: SecretStoreChoice;
  env?: NodeJS.ProcessEnv;
  /** bound on the keychain probe (default: AUTO_PROBE_TIMEOUT_MS for auto, CHOSEN_KEYCHAIN_TIMEOUT_MS for keychain) */
  probeTimeoutMs?: number;
  /** keychain service name (tests) */
  service?: string;
  now?: () => number;
}

export function recordStoreDecision(env: NodeJS.ProcessEnv, decision: StoreDecision): void {
  try {
    const file = readDecisionFile(env);
    file.decisions[environmentFingerprint(env)] = decision;
    ensurePrivateDir(cacheDir(env));
    writeFileAtomic(storeDecisionPath(env), JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  } catch {
    // only a memo: the next run probes again
  }
}

/**
 * The file store when the choice says it is the one without probing anything (`file`, or `auto`
 * with a remembered 'file' decision); else undefined and the caller opens the store properly.
 */
export function fileStoreIfChosen(
  choice: SecretStoreChoice,
  env: NodeJS.ProcessEnv = process.env,
): FileSecretStore | undefined {
  if (choice === 'file' || (choice === 'auto' && readStoreDecision(env) === 'file')) return createFileStore({ env });
  return undefined;
}

/** The keychain, moving to the file store for good (and saying so in the decision file) if it stops working. */
function keychainWithFallback(env: NodeJS.ProcessEnv, service: string | undefined, now: () => number): SecretStore {
  let current: SecretStore = createKeychainStore(service === undefined ? {} : { service });
  const guarded =
    <A extends unknown[], R>(op: (store: SecretStore, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await op(current, ...args);
      } catch (error) {
        if (current.kind !== 'keychain' || !isFedloginError(error) || error.code !== 'KEYCHAIN_UNAVAILABLE')
          throw error;
        current = createFileStore({ env });
        recordStoreDecision(env, { store: 'file', decidedAt: new Date(now()).toISOString() });
        return op(current, ...args);
      }
    };
  return {
    get kind() {
      return current.kind;
    },
    get: guarded((s, key: string) => s.get(key)),
    set: guarded((s, key: string, value: string) => s.set(key, value)),
    delete: guarded((s, key: string) => s.delete(key)),
  };
}

/** how long `auto` waits for the keychain before it settles on the file store */
export const AUTO_PROBE_TIMEOUT_MS = 300;
/** how long a keychain chosen by FEDLOGIN_STORE / fedlogin_store = keychain may take to answer */
export const CHOSEN_KEYCHAIN_TIMEOUT_MS = 10_000;

export async function openSecretStore(options: OpenSecretStoreOptions): Promise<SecretStore> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  // `auto` must decide quickly; a keychain the person chose may take its time (a desktop keyring
  // asking to be unlocked, a loaded machine), bounded all the same.
  const timeoutMs =
    options.probeTimeoutMs ?? (options.choice === 'keychain' ? CHOSEN_KEYCHAIN_TIMEOUT_MS : AUTO_PROBE_TIMEOUT_MS);
  const service = options.service === undefined ? {} : { service: options.service };
  switch (options.choice) {
    case 'file':
      return createFileStore({ env });
    case 'keychain': {
      const probe = await probeKeychain(timeoutMs, service);
      if (!probe.ok) throw probe.error;
      return createKeychainStore(service);
    }
    case 'auto': {
      const remembered = readStoreDecision(env, now());
      if (remembered === 'file') return createFileStore({ env });
      if (remembered === 'keychain') return keychainWithFallback(env, options.service, now);
      const probe = await probeKeychain(timeoutMs, service);
      const store: SecretStoreKind = probe.ok ? 'keychain' : 'file';
      recordStoreDecision(env, { store, decidedAt: new Date(now()).toISOString(), probeMs: Math.round(probe.ms) });
      return probe.ok ? keychainWithFallback(env, options.service, now) : createFileStore({ env });
    }
  }
}
