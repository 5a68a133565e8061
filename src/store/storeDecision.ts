/**
 * The remembered choice of secret store (see openSecretStore.ts), read synchronously and without
 * the keychain or any writing code, so the credential-process fast path can afford it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cacheDir.js';
import type { SecretStoreKind } from './secretStore.js';

const DECISION_FILE = 'secret-store.json';
const DECISION_TTL_MS: Record<SecretStoreKind, number> = { file: 24 * 3600_000, keychain: 30 * 24 * 3600_000 };

export interface StoreDecision {
  store: SecretStoreKind;
  decidedAt: string;
  probeMs?: number;
}

export interface DecisionFile {
  version: 1;
  decisions: Record<string, StoreDecision>;
}

export const storeDecisionPath = (env: NodeJS.ProcessEnv) => join(cacheDir(env), DECISION_FILE);

export function environmentFingerprint(env: NodeJS.ProcessEnv): string {
  return process.platform === 'linux' ? `linux:${env.DBUS_SESSION_BUS_ADDRESS ? 'dbus' : 'no-dbus'}` : process.platform;
}

export function readDecisionFile(env: NodeJS.ProcessEnv): DecisionFile {
  try {
    const parsed = JSON.parse(readFileSync(storeDecisionPath(env), 'utf8')) as DecisionFile;
    if (parsed?.version === 1 && parsed.decisions && typeof parsed.decisions === 'object') return parsed;
  } catch {
    // none yet, or unreadable: decide again
  }
  return { version: 1, decisions: {} };
}

/** The remembered decision for this environment, if still fresh. Synchronous: for the fast path. */
export function readStoreDecision(env: NodeJS.ProcessEnv = process.env, now = Date.now()): SecretStoreKind | undefined {
  const d = readDecisionFile(env).decisions[environmentFingerprint(env)];
  if (!d || (d.store !== 'file' && d.store !== 'keychain')) return undefined;
  const age = now - Date.parse(d.decidedAt);
  return age >= 0 && age < DECISION_TTL_MS[d.store] ? d.store : undefined;
}
