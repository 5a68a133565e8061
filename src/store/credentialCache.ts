/**
 * Credentials in a secret store. The entry's key hashes every setting that shaped the
 * credentials (profile keys, flags), so changing any of them misses the old entry instead of
 * handing out credentials for the wrong role. The value is JSON:
 * {version: 1, accessKeyId, secretAccessKey, sessionToken, expiration (ISO 8601), accountId}.
 * Anything that does not parse back into that is a miss. Expiry is the caller's business.
 */

import type { Credentials } from '../core/credentials.js';
import { hash64Hex } from '../core/hash64.js';
import type { SecretStore, SyncReadableSecretStore } from './secretStore.js';

/**
 * Stable over key order; undefined values count as absent. Returns "creds-v2-" and 16 hex digits.
 * The hash is fast, not cryptographic (credential-process computes it on every cache hit; v1 was
 * SHA-256, a millisecond of a ~20 ms start): the settings hashed are the user's own ~/.aws/config
 * and environment, and whoever can write those to make two profiles collide can already point
 * credential_process at any program. An accidental collision is about 2^-64 per pair of settings.
 */
export function cacheKey(settings: Readonly<Record<string, string | undefined>>): string {
  const pairs = Object.entries(settings)
    .filter((p): p is [string, string] => p[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `creds-v2-${hash64Hex(JSON.stringify(pairs))}`;
}

interface CachedCredentialsV1 {
  version: 1;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration: string;
  accountId?: string;
  /** ISO 8601; absent in entries written before it existed */
  obtainedAt?: string;
}

/** obtainedAt: when fedlogin received the credentials (default: now, as they are written fresh). */
export function serializeCredentials(
  credentials: Credentials,
  obtainedAt: Date = credentials.obtainedAt ?? new Date(),
): string {
  const entry: CachedCredentialsV1 = {
    version: 1,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
    expiration: credentials.expiration.toISOString(),
    ...(credentials.accountId === undefined ? {} : { accountId: credentials.accountId }),
    obtainedAt: obtainedAt.toISOString(),
  };
  return JSON.stringify(entry);
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const optionalString = (v: unknown) => v === undefined || typeof v === 'string';

export function parseCachedCredentials(text: string | undefined): Credentials | undefined {
  if (text === undefined) return undefined;
  let v: Partial<Record<keyof CachedCredentialsV1, unknown>>;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v.version !== 1) return undefined;
  if (!nonEmpty(v.accessKeyId) || !nonEmpty(v.secretAccessKey) || !nonEmpty(v.expiration)) return undefined;
  if (!optionalString(v.sessionToken) || !optionalString(v.accountId) || !optionalString(v.obtainedAt))
    return undefined;
  const expiration = new Date(v.expiration);
  if (Number.isNaN(expiration.getTime())) return undefined;
  const obtainedAt = typeof v.obtainedAt === 'string' ? new Date(v.obtainedAt) : undefined;
  return {
    accessKeyId: v.accessKeyId,
    secretAccessKey: v.secretAccessKey,
    sessionToken: v.sessionToken as string | undefined,
    expiration,
    accountId: v.accountId as string | undefined,
    obtainedAt: obtainedAt && !Number.isNaN(obtainedAt.getTime()) ? obtainedAt : undefined,
  };
}

export async function readCachedCredentials(store: SecretStore, key: string): Promise<Credentials | undefined> {
  return parseCachedCredentials(await store.get(key));
}

/** The fast path's read: no promise, no keychain. */
export function readCachedCredentialsSync(
  store: Pick<SyncReadableSecretStore, 'getSync'>,
  key: string,
): Credentials | undefined {
  return parseCachedCredentials(store.getSync(key));
}

export async function writeCachedCredentials(store: SecretStore, key: string, credentials: Credentials): Promise<void> {
  await store.set(key, serializeCredentials(credentials));
}

export async function deleteCachedCredentials(store: SecretStore, key: string): Promise<boolean> {
  return store.delete(key);
}
