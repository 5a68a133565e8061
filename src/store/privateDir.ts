/**
 * fedlogin's own folders (cache, locks) hold credentials, so they must be the user's alone: mode
 * 0700, owned by the user. A folder with group/other bits is fixed; one owned by someone else is
 * refused, since whoever owns it could read or plant entries.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { usageError } from '../core/errors.js';

/**
 * Creates the folder (and missing parents) 0700 when `create`, then checks it. Returns false when
 * it does not exist and `create` is false.
 */
export function ensurePrivateDir(dir: string, create = true): boolean {
  let st;
  try {
    if (create) mkdirSync(dir, { recursive: true, mode: 0o700 });
    st = statSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !create) return false;
    throw usageError('CACHE_DIR_UNUSABLE', `Cannot use ${dir} (${(error as NodeJS.ErrnoException).code ?? error}).`, {
      cause: error,
    });
  }
  if (!st.isDirectory()) {
    throw usageError('CACHE_DIR_UNUSABLE', `${dir} is not a folder; fedlogin keeps its cache there.`, {
      hint: `Move it away, or set XDG_CACHE_HOME.`,
    });
  }
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw usageError(
      'CACHE_DIR_NOT_OWNED',
      `${dir} belongs to uid ${st.uid}, not to you (uid ${uid}); fedlogin keeps credentials there and will not use it.`,
      { hint: `Remove ${dir}, or set XDG_CACHE_HOME to a folder of your own.` },
    );
  }
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return true;
}
