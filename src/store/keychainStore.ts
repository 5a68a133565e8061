/**
 * The OS keychain as a secret store (macOS Keychain, Windows Credential Manager, a Secret Service
 * such as gnome-keyring or KeePassXC on Linux), through @napi-rs/keyring: entry service
 * "fedlogin", account = the key. The native module loads on first use only, and the async API
 * (AsyncEntry) keeps D-Bus round trips off the event loop.
 *
 * On Linux entries are pinned to the Secret Service. The library would otherwise fall back to the
 * kernel keyring, whose session keyring differs between a desktop terminal, an ssh login and
 * cron, so one run's cache would be invisible to the next; the file store is the better
 * fallback and openSecretStore chooses it.
 *
 * Every failure of the library (no D-Bus session, no Secret Service, a locked keyring whose unlock
 * prompt cannot be shown, the native module missing) is a FedloginError KEYCHAIN_UNAVAILABLE.
 */
import type * as Keyring from '@napi-rs/keyring';
import { type FedloginError, isFedloginError, usageError } from '../core/errors.js';
import { loadOptional } from '../core/optionalModule.js';
import type { SecretStore } from './secretStore.js';

export const KEYCHAIN_SERVICE = 'fedlogin';
const ENTRY_OPTIONS: Keyring.EntryOptions = { linux: { store: 'secret-service' } };

export interface KeychainStore extends SecretStore {
  readonly kind: 'keychain';
}

export interface KeychainStoreOptions {
  /** default "fedlogin"; tests use their own */
  service?: string;
}

let keyringModule: Promise<typeof Keyring> | undefined;
const loadKeyring = () =>
  (keyringModule ??= loadOptional(() => import('@napi-rs/keyring'), '@napi-rs/keyring', 'The OS keychain'));

export function keychainUnavailable(cause: unknown): FedloginError {
  if (isFedloginError(cause) && cause.code === 'KEYCHAIN_UNAVAILABLE') return cause;
  const detail = (cause instanceof Error ? cause.message : String(cause)).replace(/\.$/, '');
  return usageError('KEYCHAIN_UNAVAILABLE', `The OS keychain cannot be used: ${detail}.`, {
    hint: 'Use the file cache instead, or start and unlock your keychain (on Linux: a Secret Service such as gnome-keyring, in a D-Bus session).',
    cause,
  });
}

async function run<T>(op: (entry: Keyring.AsyncEntry) => Promise<T>, service: string, key: string): Promise<T> {
  try {
    const { AsyncEntry } = await loadKeyring();
    return await op(new AsyncEntry(service, key, ENTRY_OPTIONS));
  } catch (error) {
    throw keychainUnavailable(error);
  }
}

export function createKeychainStore(options: KeychainStoreOptions = {}): KeychainStore {
  const service = options.service ?? KEYCHAIN_SERVICE;
  return {
    kind: 'keychain',
    get: (key) => run(async (e) => (await e.getPassword()) ?? undefined, service, key),
    set: (key, value) => run((e) => e.setPassword(value), service, key),
    delete: (key) => run((e) => e.deletePassword(), service, key),
  };
}

export type KeychainProbe = { ok: true; ms: number } | { ok: false; ms: number; error: FedloginError };

/**
 * Whether the keychain really works here: a write, a read back and a delete of a probe entry,
 * bounded by timeoutMs. A read alone is not enough: a locked gnome-keyring answers reads (with
 * nothing) and fails only on the write.
 */
export async function probeKeychain(timeoutMs: number, options: KeychainStoreOptions = {}): Promise<KeychainProbe> {
  const service = options.service ?? KEYCHAIN_SERVICE;
  // Loading the native binding is our own start-up, not the keychain's answer: it stays outside the
  // bound (on a loaded machine it alone can take longer than 300 ms).
  let keyring: Awaited<ReturnType<typeof loadKeyring>>;
  try {
    keyring = await loadKeyring();
  } catch (error) {
    return { ok: false, ms: 0, error: keychainUnavailable(error) };
  }
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  const roundTrip = (async () => {
    // An entry of its own: a probe that timed out may still be running in the native thread, and two
    // probes on one entry would read or delete each other's marker.
    const marker = `probe-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const entry = new keyring.AsyncEntry(service, `fedlogin-${marker}`, ENTRY_OPTIONS);
    await entry.setPassword(marker, signal);
    const back = await entry.getPassword(signal);
    await entry.deletePassword(signal);
    if (back !== marker) throw new Error('the keychain did not return what was stored');
  })();
  roundTrip.catch(() => {}); // may settle after the timeout won
  try {
    await Promise.race([roundTrip, timeout]);
    return { ok: true, ms: performance.now() - started };
  } catch (error) {
    // the abort signal and the timer are one bound: whichever fires first, the person reads the same words
    const reason = signal.aborted ? new Error(`no answer within ${timeoutMs} ms`) : error;
    return { ok: false, ms: performance.now() - started, error: keychainUnavailable(reason) };
  } finally {
    clearTimeout(timer);
  }
}
