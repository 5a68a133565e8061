/**
 * The file store's entries as the credential-process fast path reads them: the file name of a
 * key, and a read that turns anything not intact into a miss. No writes and no node:crypto here,
 * so the bundled cache-hit path stays small (fileStore.ts adds writing).
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../core/sha256.js';
import { ensurePrivateDir } from './privateDir.js';

/** fedlogin's own versioned, hashed keys: creds-v2-<hex>, oidc-refresh-v1-<hex>... */
const HASHED_KEY = /^[a-z]+(?:-[a-z]+)*-v\d+-[0-9a-f]{16,64}$/;

/**
 * A key that is already a hash (HASHED_KEY) names its file as it is, saving a second hash on every
 * cache hit; any other key is hashed. The entry repeats its key, so a name shared by two keys could
 * only ever be a miss.
 */
export const entryFileName = (key: string) => `${HASHED_KEY.test(key) ? key : sha256Hex(key).slice(0, 32)}.json`;

export interface EntryFile {
  version: 1;
  key: string;
  value: string;
}

/** The value stored under `key` in the file store at `dir`, or undefined (a miss) for anything not intact. */
export function readEntry(dir: string, key: string): string | undefined {
  if (!ensurePrivateDir(dir, false)) return undefined;
  let fd: number;
  try {
    fd = openSync(join(dir, entryFileName(key)), 'r');
  } catch {
    return undefined;
  }
  try {
    const uid = process.getuid?.();
    if (uid !== undefined && fstatSync(fd).uid !== uid) return undefined;
    const parsed = JSON.parse(readFileSync(fd, 'utf8')) as Partial<EntryFile> | null;
    if (parsed?.version === 1 && parsed.key === key && typeof parsed.value === 'string') return parsed.value;
    return undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
