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
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
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
 * The probe's round trip, run by a child node process. The library connects to D-Bus synchronously
 * when an entry is made: a bus that accepts the connection and never answers blocks the thread that
 * makes it, and a blocked worker thread keeps the process from exiting, so only a process of its own
 * can be abandoned. It says "loaded" once the native module is in, then "ok" or "fail <reason>".
 */
const PROBE_CHILD = `
const keyring = require(process.argv[1]);
const [service, account, marker] = process.argv.slice(2);
process.stdout.write('loaded\\n');
(async () => {
  const entry = new keyring.AsyncEntry(service, account, { linux: { store: 'secret-service' } });
  await entry.setPassword(marker);
  const back = await entry.getPassword();
  await entry.deletePassword();
  if (back !== marker) throw new Error('the keychain did not return what was stored');
})().then(
  () => process.stdout.write('ok\\n'),
  (error) => process.stdout.write('fail ' + JSON.stringify(String((error && error.message) || error)) + '\\n'),
);
`;

/** how long the probe's child may take to start and load the native module, on a loaded machine */
const PROBE_START_LIMIT_MS = 15_000;

/**
 * Whether the keychain really works here: a write, a read back and a delete of a probe entry,
 * bounded by timeoutMs, in a child process that is killed when the bound passes (see PROBE_CHILD).
 * A read alone is not enough: a locked gnome-keyring answers reads (with nothing) and fails only on
 * the write. Starting the child and loading the native binding are our own start-up, not the
 * keychain's answer: they stay outside the bound (on a loaded machine they alone can take longer
 * than 300 ms), under a limit of their own.
 */
export async function probeKeychain(timeoutMs: number, options: KeychainStoreOptions = {}): Promise<KeychainProbe> {
  const service = options.service ?? KEYCHAIN_SERVICE;
  let modulePath: string;
  try {
    await loadKeyring(); // the missing-module error, worded once
    modulePath = createRequire(import.meta.url).resolve('@napi-rs/keyring');
  } catch (error) {
    return { ok: false, ms: 0, error: keychainUnavailable(error) };
  }
  // An entry of its own: two probes on one entry would read or delete each other's marker.
  const marker = `probe-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const child = spawn(process.execPath, ['-e', PROBE_CHILD, modulePath, service, `fedlogin-${marker}`, marker], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let started = performance.now();
  const answer = await new Promise<{ ok: true } | { ok: false; reason: string }>((resolve) => {
    const fail = (reason: string) => resolve({ ok: false, reason });
    let timer = setTimeout(() => fail('the probe did not start'), PROBE_START_LIMIT_MS);
    let loaded = false;
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!loaded && out.startsWith('loaded\n')) {
        loaded = true;
        clearTimeout(timer);
        started = performance.now();
        timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
      }
      const line = /^loaded\n(ok|fail (.*))\n/.exec(out);
      if (!line) return;
      clearTimeout(timer);
      if (line[1] === 'ok') resolve({ ok: true });
      else fail(parseReason(line[2]));
    });
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(`the probe ended (${signal ?? `exit ${code}`}) without an answer`);
    });
  });
  const ms = performance.now() - started;
  if (child.exitCode === null) child.kill('SIGKILL');
  return answer.ok ? { ok: true, ms } : { ok: false, ms, error: keychainUnavailable(new Error(answer.reason)) };
}

function parseReason(json: string | undefined): string {
  try {
    return String(JSON.parse(json ?? ''));
  } catch {
    return 'the probe answered something unreadable';
  }
}
