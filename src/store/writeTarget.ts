/**
 * Where an edit of ~/.aws/config or ~/.aws/credentials may land, decided before anything is read
 * or written (updateAwsFile calls it under the file's lock). The AWS files hold secrets (the
 * credentials file) or a command every AWS tool runs (credential_process in config), so fedlogin
 * writes only a file that is, with everything on the way to it, the user's alone:
 *
 * - Links are followed one by one, and only when the link belongs to root or to the owner of what
 *   it points at (for a link to a file still to be created: the owner of the folder it would be
 *   created in). A link planted by another user (under sudo: `~/.aws/credentials -> /etc/x`,
 *   owned by the user, followed by root) is refused, AWS_FILE_LINK_UNSAFE. A link of your own to a
 *   file of your own (dotfiles) is fine: the write replaces the file it points at.
 * - The file must be a regular file (a FIFO would hang a reader, a device would be replaced):
 *   AWS_FILE_NOT_REGULAR.
 * - The file and its folder must belong to the user running fedlogin (process.getuid()), root
 *   included: root does not write into a user's ~/.aws (sudo with HOME kept), and nobody writes
 *   into someone else's: AWS_FILE_NOT_OWNED.
 * - Neither may be writable by group or others (anyone who can write there can plant a
 *   credential_process that runs as you): AWS_FILE_OPEN_TO_OTHERS. A folder that is missing is
 *   created 0700 by the writer.
 *
 * Read permission for group and others is not refused: the caller writes the credentials file
 * 0600 whatever its mode was (atomically: the new file is 0600 before any secret is in it) and
 * says so. The checks cover the file, its folder and every link on the way, not every folder
 * above: someone who may rename a folder above ~/.aws could still swap it between the check and
 * the write.
 *
 * On Windows (no uids, no modes) only the file type is checked.
 */
import { constants, lstatSync, readlinkSync, realpathSync, type Stats, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { usageError } from '../core/errors.js';
import { notRegularFileError, readAwsText } from './awsFileRead.js';

export interface WriteTarget {
  /** the path as given (for messages) */
  path: string;
  /** the file the write replaces: every link resolved */
  real: string;
  /** the file as it is now; undefined when it is still to be created */
  stats: Stats | undefined;
}

const MAX_LINKS = 40;

/** `0644` */
export const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The owner of what `link` points at, or of the nearest existing folder it would be created in. */
function ownerOfTarget(link: string): number {
  try {
    return statSync(link).uid;
  } catch {
    // a dangling link: the folder (or the nearest existing folder above it) its target would be made in
    let at = resolve(dirname(link), readlinkSync(link));
    for (;;) {
      at = dirname(at);
      try {
        return statSync(at).uid;
      } catch {
        if (at === dirname(at)) return -1;
      }
    }
  }
}

function refuseLink(path: string, link: string, linkOwner: number, targetOwner: number): never {
  throw usageError(
    'AWS_FILE_LINK_UNSAFE',
    `${path}: the symbolic link ${link} belongs to uid ${linkOwner} but points at something of uid ${targetOwner}; fedlogin does not follow a link that someone else may have planted.`,
    {
      hint: `If you did not make that link, remove it (rm ${link}); if you did, make it belong to uid ${targetOwner} (chown -h ${targetOwner} ${link}) or replace it by the file itself.`,
    },
  );
}

/** Follows the links of `path` one component at a time, refusing unsafe ones; the real path (missing tail kept). */
function resolveLinks(path: string, checkOwners: boolean): string {
  if (process.platform === 'win32') {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  }
  const rest = resolve(path)
    .split(sep)
    .filter((p) => p !== '');
  let at: string = sep;
  let links = 0;
  while (rest.length > 0) {
    const part = rest.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      at = dirname(at);
      continue;
    }
    const next = join(at, part);
    const st = lstatOrUndefined(next);
    if (!st) return join(next, ...rest);
    if (!st.isSymbolicLink()) {
      at = next;
      continue;
    }
    links += 1;
    if (links > MAX_LINKS)
      throw usageError('AWS_FILE_LINK_UNSAFE', `${path}: more than ${MAX_LINKS} symbolic links on the way (a loop?).`);
    if (checkOwners && st.uid !== 0) {
      const owner = ownerOfTarget(next);
      if (owner !== st.uid) refuseLink(path, next, st.uid, owner);
    }
    const target = readlinkSync(next);
    rest.unshift(...target.split(sep).filter((p) => p !== ''));
    if (isAbsolute(target)) at = sep;
  }
  return at;
}

function refuseOwner(path: string, what: string, owner: number, uid: number): never {
  throw usageError(
    'AWS_FILE_NOT_OWNED',
    `${what} belongs to uid ${owner}, not to you (uid ${uid}); fedlogin writes credentials and credential_process only into files that are yours alone, and will not write ${path}.`,
    {
      hint:
        uid === 0
          ? `Run fedlogin as the user who owns it (not under sudo), or make it root's: chown root ${what}.`
          : `Make it yours (chown ${uid} ${what}), or point the variable that names the file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) at a file of your own.`,
    },
  );
}

function refuseOpen(path: string, what: string, st: Stats, isFolder: boolean): never {
  throw usageError(
    'AWS_FILE_OPEN_TO_OTHERS',
    `${what} is writable by ${st.mode & 0o020 ? (st.mode & 0o002 ? 'group and others' : 'its group') : 'others'} (mode ${octal(st.mode)}); anyone who can write there can make your AWS tools run their command, so fedlogin will not write ${path}.`,
    {
      hint: `Check it was not changed by someone else, then: chmod go-w ${what}${isFolder ? '' : ` (or chmod 600 ${what})`}.`,
    },
  );
}

/**
 * Checks everything the write of `path` depends on; throws a
 * usage error (exit 2) naming the file and the fix when fedlogin must not write it.
 */
export function checkWriteTarget(path: string, uid: number | undefined = process.getuid?.()): WriteTarget {
  const checkOwners = uid !== undefined;
  const real = resolveLinks(path, checkOwners);
  const folder = dirname(real);
  const stats = lstatOrUndefined(real);
  if (stats && !stats.isFile()) throw notRegularFileError(path, stats);
  // a folder still to be created is made 0700 by the writer
  const folderStats = lstatOrUndefined(folder);
  if (checkOwners) {
    if (stats && stats.uid !== uid) refuseOwner(path, real, stats.uid, uid);
    if (folderStats && folderStats.uid !== uid) refuseOwner(path, folder, folderStats.uid, uid);
    if (stats && stats.mode & 0o022) refuseOpen(path, real, stats, false);
    if (folderStats && folderStats.mode & 0o022) refuseOpen(path, folder, folderStats, true);
  }
  return { path, real, stats };
}

/** True when group or others may read the file as it is now (the caller tightens it and says so). */
export const readableByOthers = (target: WriteTarget): boolean =>
  target.stats !== undefined && (target.stats.mode & 0o044) !== 0;

/**
 * The target's text ('' for a file still to be created), read from the very file that was checked:
 * opened without following a link and without waiting, and compared by device and inode.
 */
export function readWriteTarget(target: WriteTarget): string {
  const changed = () =>
    usageError('AWS_FILE_CHANGED', `${target.path} changed while fedlogin was checking it.`, {
      hint: 'Run the command again; if this repeats, check who else writes that file.',
    });
  let text: string | undefined;
  try {
    text = readAwsText(target.real, constants.O_NOFOLLOW ?? 0);
  } catch (error) {
    // O_NOFOLLOW: a link put there since the check
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw changed();
    throw error;
  }
  const now = lstatOrUndefined(target.real);
  const same =
    target.stats && now ? now.ino === target.stats.ino && now.dev === target.stats.dev : !target.stats && !now;
  if (!same) throw changed();
  return text ?? '';
}
