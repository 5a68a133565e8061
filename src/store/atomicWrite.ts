/**
 * Replaces a file so that every reader, and every crash, sees either the old or the new content in
 * full: write a temp file beside it, fsync, rename over the target, fsync the folder. Synchronous:
 * the files are small, and this keeps the fast path free of promise plumbing.
 *
 * Temp files are named `.<target>.fedlogin-<host>-<pid>-<random>.tmp`. A writer killed between
 * creating its temp file and the rename leaves one behind; the next write to the same target
 * removes it, at once when its pid is dead on this host, else when it is older than ten minutes
 * (a temp of another host on a shared home, or a pid reused since).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { usageError } from '../core/errors.js';
import { isProcessAlive } from './processAlive.js';

export interface WriteFileAtomicOptions {
  /** mode of a new file (default 0o600) */
  mode?: number;
  /** an existing target keeps its mode unless this is false (then `mode` always applies) */
  keepMode?: boolean;
}

export const STALE_TEMP_MS = 10 * 60_000;

const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

const tempPrefix = (target: string) => `.${basename(target)}.fedlogin-`;

/** The path a write really replaces: a symlinked ~/.aws/credentials stays a symlink. */
function resolveTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Removes temp files that writers of `target` left behind when they were killed. Returns how many
 * it removed. Never throws: this is housekeeping.
 */
export function cleanStaleTemps(target: string, now = Date.now()): number {
  const dir = dirname(target);
  const prefix = tempPrefix(target);
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const [host, pid] = name.slice(prefix.length).split('-');
    const path = join(dir, name);
    try {
      const deadHere = host === HOST_TAG && Number(pid) !== process.pid && !isProcessAlive(Number(pid));
      if (deadHere || now - statSync(path).mtimeMs > STALE_TEMP_MS) {
        unlinkSync(path);
        removed += 1;
      }
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported everywhere (Windows, some network file systems); the rename itself is atomic
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteFileAtomicOptions = {}): void {
  const target = resolveTarget(path);
  const dir = dirname(target);
  const temp = join(dir, `${tempPrefix(target)}${HOST_TAG}-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  let created = false;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    cleanStaleTemps(target);
    let mode = options.mode ?? 0o600;
    let owner: { uid: number; gid: number } | undefined;
    try {
      const st = statSync(target);
      if (options.keepMode !== false) mode = st.mode & 0o7777;
      // root editing someone's file (sudo) must not take it over
      if (process.getuid?.() === 0 && (st.uid !== 0 || st.gid !== 0)) owner = { uid: st.uid, gid: st.gid };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    fd = openSync(temp, 'wx', 0o600);
    created = true;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let written = 0; written < bytes.length; ) {
      written += writeSync(fd, bytes, written, bytes.length - written);
    }
    fchmodSync(fd, mode);
    if (owner) fchownSync(fd, owner.uid, owner.gid);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
    created = false;
    fsyncDir(dir);
  } catch (error) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing
      }
    }
    if (created) {
      try {
        unlinkSync(temp);
      } catch {
        // already failing
      }
    }
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw usageError('FILE_WRITE_FAILED', `Cannot write ${path} (${code}).`, {
      hint: code === 'EACCES' || code === 'EPERM' ? `Check that you own ${dir} and may write to it.` : undefined,
      cause: error,
    });
  }
}
