/**
 * A cross-process lock on a file: whoever links `<lock>` into place first holds it. The file names its
 * holder ({pid, hostname, createdAt, token}) so that waiters can tell a live holder from a dead one.
 *
 * Breaking a dead holder's lock is itself serialised: the waiter that creates `<lock>.break` with
 * O_EXCL re-reads the lock and removes it only if it is still the very file it judged dead (same
 * inode, same content, so a lock taken meanwhile by a live process survives); every other waiter
 * just polls again. A `.break` file older than BREAK_STALE_MS (its creator died in those few
 * microseconds) is removed. The one remaining race needs a breaker to stall for longer than that
 * between its re-check and its unlink.
 *
 * A holder is dead when it ran on this host and its pid is gone (or the pid is ours but the lock
 * predates this process: pids repeat across container runs), or when the lock predates the last
 * boot. Holders on other hosts (a shared home folder) cannot be checked: their locks are only
 * broken after `staleMs`, when the caller gives one.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname, uptime } from 'node:os';
import { dirname, join } from 'node:path';
import { type Clock, sleep, systemClock } from '../core/clock.js';
import { type FedloginError, unreachableError, usageError } from '../core/errors.js';
import { cacheDir } from './cacheDir.js';
import { ensurePrivateDir } from './privateDir.js';
import { isProcessAlive } from './processAlive.js';

export interface LockHolder {
  pid: number;
  hostname: string;
  /** ISO 8601 */
  createdAt: string;
  /** unique per acquisition, so that a release never removes someone else's lock */
  token: string;
}

export interface LockOptions {
  /** give up after this long (0: one attempt) */
  timeoutMs: number;
  /** break a lock older than this even when its holder cannot be checked (another host) */
  staleMs?: number;
  signal?: AbortSignal;
  /** the time the timeout and staleness are measured on; default the system clock */
  clock?: Clock;
}

export type ReleaseLock = () => void;

/** a `.break` file older than this belongs to a breaker that died */
export const BREAK_STALE_MS = 5_000;
/** a lock file without valid content older than this is garbage (fedlogin links its locks in whole) */
const UNREADABLE_STALE_MS = 5_000;
/**
 * A holder's draft (`<lock>.<token>`) lives for two system calls; one left behind belongs to a
 * process killed between them. One whose holder cannot be checked (another host, or killed before
 * it wrote its holder) is left alone for this long, far longer than any live writer keeps it.
 */
export const DRAFT_UNCHECKABLE_STALE_MS = 3600_000;

const held = new Map<string, string>(); // token -> lock path
let exitHookInstalled = false;

/** `<cache>/locks/<name>.lock`, the folder created 0700. */
export function lockPathFor(env: NodeJS.ProcessEnv, name: string): string {
  const root = cacheDir(env);
  ensurePrivateDir(root);
  const dir = join(root, 'locks');
  ensurePrivateDir(dir);
  return join(dir, `${name.replace(/[^\w.-]+/g, '_')}.lock`);
}

interface Observed {
  holder: LockHolder | undefined;
  ino: number;
  raw: string;
  mtimeMs: number;
}

/**
 * The lock file as it is now, or undefined when there is none. Opened non-blocking and without
 * following a link, so a FIFO or a link planted at the lock path cannot hang or redirect a waiter:
 * anything but a regular file there is refused at once (LOCK_NOT_REGULAR).
 */
function observe(lockPath: string): Observed | undefined {
  let fd: number;
  try {
    fd = openSync(lockPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw notRegularLock(lockPath, 'a symbolic link');
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      throw notRegularLock(
        lockPath,
        st.isFIFO() ? 'a FIFO (named pipe)' : st.isDirectory() ? 'a folder' : 'not a regular file',
      );
    const raw = readFileSync(fd, 'utf8');
    return { holder: parseHolder(raw), ino: st.ino, raw, mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

function notRegularLock(lockPath: string, what: string): FedloginError {
  return usageError(
    'LOCK_NOT_REGULAR',
    `The lock ${lockPath} is ${what}, not a lock file fedlogin made; fedlogin will not wait on it.`,
    {
      hint: `Remove it (rm ${lockPath}) and run the command again.`,
    },
  );
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const v = JSON.parse(raw) as Partial<LockHolder>;
    if (
      typeof v.pid === 'number' &&
      typeof v.hostname === 'string' &&
      typeof v.createdAt === 'string' &&
      typeof v.token === 'string'
    ) {
      return v as LockHolder;
    }
  } catch {
    // being written, or garbage
  }
  return undefined;
}

/** Who holds the lock now, if anyone (and if the file says). */
export function readLockHolder(lockPath: string): LockHolder | undefined {
  return observe(lockPath)?.holder;
}

function isStale(seen: Observed, now: number, staleMs: number | undefined): boolean {
  const { holder } = seen;
  if (!holder) return now - seen.mtimeMs > UNREADABLE_STALE_MS;
  const created = Date.parse(holder.createdAt);
  if (staleMs !== undefined && now - created > staleMs) return true;
  if (created < now - uptime() * 1000 - 60_000) return true;
  if (holder.hostname !== hostname()) return false;
  // our own pid: another thread of ours if taken since we started, else an earlier process that had our pid
  if (holder.pid === process.pid) return !held.has(holder.token) && created < performance.timeOrigin;
  return !isProcessAlive(holder.pid);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Removes the lock if it is still exactly `seen`; true when it did. */
function breakLock(lockPath: string, seen: Observed, now: number): boolean {
  const breakPath = `${lockPath}.break`;
  let fd: number;
  try {
    fd = openSync(breakPath, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      try {
        if (now - statSync(breakPath).mtimeMs > BREAK_STALE_MS) unlinkQuietly(breakPath);
      } catch {
        // gone meanwhile
      }
    }
    return false;
  }
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, hostname: hostname() }));
    closeSync(fd);
    const again = observe(lockPath);
    if (!again || again.ino !== seen.ino || again.raw !== seen.raw) return false;
    unlinkSync(lockPath);
    return true;
  } catch {
    return false;
  } finally {
    unlinkQuietly(breakPath);
  }
}

/**
 * Takes the lock if it is free. The holder is written to a file of its own first and then linked
 * into place (link fails with EEXIST like O_EXCL does), so the lock never exists without its
 * holder: a waiter cannot find it empty and mistake a slow writer for a dead one.
 */
function tryCreate(lockPath: string, folderCreated = false): LockHolder | undefined {
  const holder: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    createdAt: new Date().toISOString(),
    token: randomBytes(12).toString('hex'),
  };
  const draft = `${lockPath}.${holder.token}`;
  let fd: number;
  try {
    fd = openSync(draft, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !folderCreated) {
      try {
        mkdirSync(dirname(lockPath), { recursive: true, mode: 0o700 });
      } catch {
        // reported by the retry
      }
      return tryCreate(lockPath, true);
    }
    throw lockFailed(lockPath, code, error);
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  try {
    // registered before the link, so that an exit right after it still cleans up
    held.set(holder.token, lockPath);
    linkSync(draft, lockPath);
    return holder;
  } catch (error) {
    held.delete(holder.token);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return undefined;
    throw lockFailed(lockPath, code, error);
  } finally {
    unlinkQuietly(draft);
  }
}

function lockFailed(lockPath: string, code: string | undefined, error: unknown): FedloginError {
  return unreachableError('LOCK_FAILED', `Cannot create the lock ${lockPath} (${code ?? error}).`, { cause: error });
}

function releaseToken(lockPath: string, token: string): void {
  if (!held.delete(token)) return;
  let holder: LockHolder | undefined;
  try {
    holder = readLockHolder(lockPath);
  } catch {
    return; // not a lock file any more: not ours to remove
  }
  if (holder?.token === token) unlinkQuietly(lockPath);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [token, path] of [...held]) releaseToken(path, token);
  });
}

/**
 * Takes the lock, waiting (short jittered sleeps) while a live process holds it. Resolves to a
 * release function that is idempotent and never removes a lock that is no longer ours.
 */
export async function acquireLock(lockPath: string, options: LockOptions): Promise<ReleaseLock> {
  installExitHook();
  const clock = options.clock ?? systemClock;
  const deadline = clock.now() + options.timeoutMs;
  let last: Observed | undefined;
  for (let attempt = 0; ; attempt += 1) {
    options.signal?.throwIfAborted();
    const mine = tryCreate(lockPath);
    if (mine) return () => releaseToken(lockPath, mine.token);
    const now = clock.now();
    const seen = observe(lockPath);
    if (seen) last = seen;
    if (seen && isStale(seen, now, options.staleMs) && breakLock(lockPath, seen, now)) continue;
    if (now >= deadline) throw timeoutError(lockPath, options.timeoutMs, last);
    const ceiling = Math.min(10 * 1.5 ** Math.min(attempt, 8), 100);
    await sleep(Math.min(ceiling / 2 + Math.random() * ceiling, Math.max(deadline - now, 1)), options.signal);
  }
}

function timeoutError(lockPath: string, timeoutMs: number, seen: Observed | undefined): FedloginError {
  const h = seen?.holder;
  const who = h
    ? `held by pid ${h.pid} on ${h.hostname} since ${h.createdAt}`
    : 'held by a process that did not say who it is';
  return unreachableError(
    'LOCK_TIMEOUT',
    `Timed out after ${(timeoutMs / 1000).toFixed(1)} s waiting for the lock ${lockPath}, ${who}.`,
    {
      hint: `Another fedlogin may be busy (a login waiting for you?). If no fedlogin is running${h ? ` (pid ${h.pid})` : ''}, delete ${lockPath}.`,
    },
  );
}

/** `<name>.lock.<24 hex digits>`: tryCreate's draft of a holder file, named after its token. */
const DRAFT_NAME = /^(.+\.lock)\.([0-9a-f]{24})$/;

/** A draft whose writer is gone: isStale's rules, except that age alone never condemns a holder on this host. */
function isDeadDraft(seen: Observed, now: number): boolean {
  const { holder } = seen;
  if (!holder) return now - seen.mtimeMs > DRAFT_UNCHECKABLE_STALE_MS;
  if (holder.hostname !== hostname()) return now - Date.parse(holder.createdAt) > DRAFT_UNCHECKABLE_STALE_MS;
  return isStale(seen, now, undefined);
}

/**
 * Removes what killed processes left in a folder of locks: holder drafts (`<lock>.<token>`, from a
 * kill between writing the holder and linking it into place), locks of dead holders (through
 * breakLock, as a waiter would) and `.break` files of dead breakers. A draft goes only when its
 * holder is known dead (this host, pid gone or from before boot); one that cannot be checked (another
 * host, no holder written) only after DRAFT_UNCHECKABLE_STALE_MS. A live process's draft, lock or
 * `.break` is never removed. Returns the names removed. Never throws: this is housekeeping.
 */
export function collectDeadLockFiles(dir: string, now: number = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  // dead breakers' files first: breakLock gives up on a lock while its `.break` file is there
  const isBreak = (name: string) => name.endsWith('.lock.break');
  for (const name of [...names.filter(isBreak), ...names.filter((n) => !isBreak(n))]) {
    const path = join(dir, name);
    try {
      if (DRAFT_NAME.test(name)) {
        const seen = observe(path);
        if (!seen) continue;
        if (!isDeadDraft(seen, now)) continue;
        const again = observe(path);
        if (again && again.ino === seen.ino && again.raw === seen.raw) {
          unlinkSync(path);
          removed.push(name);
        }
      } else if (isBreak(name)) {
        if (now - statSync(path).mtimeMs > BREAK_STALE_MS) {
          unlinkSync(path);
          removed.push(name);
        }
      } else if (name.endsWith('.lock')) {
        const seen = observe(path);
        if (seen && isStale(seen, now, undefined) && breakLock(path, seen, now)) removed.push(name);
      }
    } catch {
      // gone meanwhile, not a regular file, or not ours to remove: left as it is
    }
  }
  return removed;
}

/** Runs fn while holding the lock; releases it however fn ends. */
export async function withLock<T>(lockPath: string, fn: () => T | Promise<T>, options: LockOptions): Promise<T> {
  const release = await acquireLock(lockPath, options);
  try {
    return await fn();
  } finally {
    release();
  }
}
