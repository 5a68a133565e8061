/**
 * The file secret store: one JSON file per entry, mode 0600, in a 0700 folder of the user's
 * ($XDG_CACHE_HOME/fedlogin, else ~/.cache/fedlogin). The file name is a hash of the key; the file
 * holds {version, key, value}. Writes are atomic. An entry that cannot be read back intact (gone,
 * unreadable, truncated, for another key, not ours) is a miss, never a crash. A folder with
 * group/other permissions is fixed; one owned by someone else is refused (privateDir.ts).
 */
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { usageError } from '../core/errors.js';
import { writeFileAtomic } from './atomicWrite.js';
import { cacheDir } from './cacheDir.js';
import { type EntryFile, entryFileName, readEntry } from './fileStoreEntry.js';
import { ensurePrivateDir } from './privateDir.js';

export { entryFileName } from './fileStoreEntry.js';

import type { SyncReadableSecretStore } from './secretStore.js';

export { cacheDir } from './cacheDir.js';

export interface FileSecretStore extends SyncReadableSecretStore {
  readonly kind: 'file';
  readonly dir: string;
}

export interface FileStoreOptions {
  /** default cacheDir(env) */
  dir?: string;
  env?: NodeJS.ProcessEnv;
}

export function createFileStore(options: FileStoreOptions = {}): FileSecretStore {
  const dir = options.dir ?? cacheDir(options.env ?? process.env);
  return {
    kind: 'file',
    dir,
    getSync: (key) => readEntry(dir, key),
    get: async (key) => readEntry(dir, key),
    async set(key, value) {
      ensurePrivateDir(dir);
      const entry: EntryFile = { version: 1, key, value };
      writeFileAtomic(join(dir, entryFileName(key)), JSON.stringify(entry), { mode: 0o600, keepMode: false });
    },
    async delete(key) {
      if (!ensurePrivateDir(dir, false)) return false;
      try {
        unlinkSync(join(dir, entryFileName(key)));
        return true;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return false;
        throw usageError('CACHE_ENTRY_UNDELETABLE', `Cannot remove a cache entry in ${dir} (${code ?? error}).`, {
          cause: error,
        });
      }
    },
  };
}
