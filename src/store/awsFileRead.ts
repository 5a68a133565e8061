/**
 * The one way fedlogin reads ~/.aws/config and ~/.aws/credentials, for every command and for
 * credential-process's fast path (so: Node built-ins, the pure parser and the error type only).
 * One error code for one bad line: AWS_FILE_INVALID, naming the file, the line and the fix. A read
 * never waits: a FIFO (or any other special file) there is refused at once, AWS_FILE_NOT_REGULAR.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { type FedloginError, isFedloginError, usageError } from '../core/errors.js';
import { type IniDocument, parseIniDocument } from './iniDocument.js';

/** What a file that is not a regular file is, for messages. */
export function fileTypeOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isDirectory()) return 'a folder';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return st.isFile() ? 'a regular file' : 'not a regular file';
}

export function notRegularFileError(path: string, st: Stats): FedloginError {
  return usageError(
    'AWS_FILE_NOT_REGULAR',
    `${path} is ${fileTypeOf(st)}, not a regular file; fedlogin reads and writes AWS files only when they are regular files.`,
    {
      hint: `Remove it (rm ${path}) or point the variable that names it (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) at a regular file.`,
    },
  );
}

/**
 * The text of an AWS file, read without ever waiting: it is opened non-blocking, so a FIFO planted
 * there cannot hang the read, and anything but a regular file is refused (AWS_FILE_NOT_REGULAR),
 * except /dev/null, which people use to mean "no file". undefined when it does not exist; other
 * open errors are thrown as they are. `flags` adds open flags (O_NOFOLLOW for the writer).
 */
export function readAwsText(path: string, flags = 0): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      if (st.isCharacterDevice() && path === '/dev/null') return '';
      throw notRegularFileError(path, st);
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** The file's text; '' when it does not exist. */
export function readAwsFileText(path: string): string {
  try {
    return readAwsText(path) ?? '';
  } catch (error) {
    if (isFedloginError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError('AWS_FILE_UNREADABLE', `Cannot read ${path} (${code ?? error}).`, {
      hint: `Check that ${path} is a file you may read.`,
      cause: error,
    });
  }
}

/** Parses the file (a missing file is empty); a file the AWS CLI would refuse is a usage error naming the line. */
export function readAwsFile(path: string): IniDocument {
  const doc = parseIniDocument(readAwsFileText(path));
  const problem = doc.problems[0];
  if (problem) {
    throw usageError('AWS_FILE_INVALID', `${path} line ${problem.line}: ${problem.message}.`, {
      hint: `Fix that line (the AWS CLI refuses the file too), then run the command again.`,
    });
  }
  return doc;
}
