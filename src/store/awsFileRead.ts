/**
 * The one way fedlogin reads ~/.aws/config and ~/.aws/credentials, for every command and for
 * credential-process's fast path (so: Node built-ins, the pure parser and the error type only).
 * One error code for one bad line: AWS_FILE_INVALID, naming the file, the line and the fix.
 */
import { readFileSync } from 'node:fs';
import { usageError } from '../core/errors.js';
import { type IniDocument, parseIniDocument } from './iniDocument.js';

/** The file's text; '' when it does not exist. */
export function readAwsFileText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return '';
    throw usageError('AWS_FILE_UNREADABLE', `Cannot read ${path} (${code ?? error}).`, { hint: `Check that ${path} is a file you may read.`, cause: error });
  }
}

/** Parses the file (a missing file is empty); a file the AWS CLI would refuse is a usage error naming the line. */
export function readAwsFile(path: string): IniDocument {
  const doc = parseIniDocument(readAwsFileText(path));
  const problem = doc.problems[0];
  if (problem) {
    throw usageError(
      'AWS_FILE_INVALID',
      `${path} line ${problem.line}: ${problem.message}.`,
      { hint: `Fix that line (the AWS CLI refuses the file too), then run the command again.` },
    );
  }
  return doc;
}
