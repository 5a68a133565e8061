/**
 * Housekeeping of the cache folder: what older fedlogin versions wrote and nothing reads any more,
 * and what killed processes left among the locks. Run off the credential-process cache hit (when a
 * lock is taken for a refresh), so a hit never pays for it.
 *
 * Removed, and nothing else:
 * - credential entries of format v1 (`creds-v1-*` keys, SHA-256 of the settings; v2 replaced them):
 *   files named `creds-v1-<64 hex>.json`, and the files of the naming before that
 *   (`<32 hex>.json`, SHA-256 of the key) whose entry says its key is a `creds-v1-` one. Entries
 *   of every other key, format or name (a newer fedlogin's included) stay;
 * - in `locks/`, what lock.ts's collectDeadLockFiles judges dead (never a live process's file).
 * Only regular files of our own user are touched. Never throws: a failure is a file left as it is.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cacheDir.js';
import type { EntryFile } from './fileStoreEntry.js';
import { collectDeadLockFiles } from './lock.js';

/** v1 credential entries, named after their key (between the two namings) */
const V1_BY_KEY = /^creds-v1-[0-9a-f]{64}\.json$/;
/** the first naming: the first 32 hex digits of the key's SHA-256; the key is inside */
const BY_KEY_HASH = /^[0-9a-f]{32}\.json$/;
/** a v1 entry is a few hundred bytes; anything much bigger is not one */
const MAX_ENTRY_BYTES = 64 * 1024;

export interface CollectedLeftovers {
  /** old-format entries removed (file names) */
  entries: string[];
  /** lock drafts, dead locks and `.break` files removed (file names in locks/) */
  locks: string[];
}

const ownRegularFile = (uid: number | undefined, st: { isFile(): boolean; uid: number }) =>
  st.isFile() && (uid === undefined || st.uid === uid);

/** A real folder (not a link to one) of our own user: one of another user's is refused everywhere (privateDir.ts). */
function ownFolder(dir: string, uid: number | undefined): boolean {
  try {
    const st = lstatSync(dir);
    return st.isDirectory() && (uid === undefined || st.uid === uid);
  } catch {
    return false;
  }
}

/** The key an entry file of the first naming holds, if it is an intact one of our own user's. */
function keyOfEntry(path: string, uid: number | undefined): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!ownRegularFile(uid, st) || st.size > MAX_ENTRY_BYTES) return undefined;
    const parsed = JSON.parse(readFileSync(fd, 'utf8')) as Partial<EntryFile> | null;
    return parsed?.version === 1 && typeof parsed.key === 'string' ? parsed.key : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function isOldCredentialEntry(dir: string, name: string, uid: number | undefined): boolean {
  const path = join(dir, name);
  if (V1_BY_KEY.test(name)) return ownRegularFile(uid, lstatSync(path));
  return BY_KEY_HASH.test(name) && keyOfEntry(path, uid)?.startsWith('creds-v1-') === true;
}

/** Collects the leftovers in the cache folder of `env` (see above); what was removed, by name. */
export function collectCacheLeftovers(env: NodeJS.ProcessEnv, now: number = Date.now()): CollectedLeftovers {
  const dir = cacheDir(env);
  const uid = process.getuid?.();
  const entries: string[] = [];
  const names = ownFolder(dir, uid) ? readdirSync(dir) : [];
  for (const name of names) {
    try {
      if (!isOldCredentialEntry(dir, name, uid)) continue;
      unlinkSync(join(dir, name));
      entries.push(name);
    } catch {
      // gone meanwhile or not ours to remove: left as it is
    }
  }
  const locks = join(dir, 'locks');
  return { entries, locks: names.includes('locks') && ownFolder(locks, uid) ? collectDeadLockFiles(locks, now) : [] };
}
