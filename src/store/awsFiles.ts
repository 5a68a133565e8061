/**
 * Reading and changing ~/.aws/config and ~/.aws/credentials: the I/O around the pure parser and
 * editor. Every change is lock + read + edit + atomic write, so concurrent fedlogin processes
 * never lose each other's edits and a crash never leaves a torn file. A new file is created 0600
 * (in a 0700 ~/.aws when that is missing too); an existing config file keeps its mode, the
 * credentials file is always 0600, and a symlinked one (a link of your own) stays a symlink.
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Credentials } from '../core/credentials.js';
import { isFedloginError, usageError } from '../core/errors.js';
import { writeFileAtomic } from './atomicWrite.js';
import {
  type AwsFileKind,
  findProfileSections,
  getProfile,
  type IniDocument,
  type IniSection,
  listProfiles,
  parseIniDocument,
} from './iniDocument.js';
import { removeSection, setKeys } from './iniEdit.js';
import { lockPathFor, withLock } from './lock.js';
import { checkWriteTarget, octal, readableByOthers, readWriteTarget, type WriteTarget } from './writeTarget.js';

export { readAwsFile, readAwsFileText } from './awsFileRead.js';
export { configFilePath, credentialsFilePath, expandHome, homeDir } from './awsPaths.js';

/** The key that marks a credentials-file section as written by a tool with expiring credentials (saml2aws uses it too). */
export const EXPIRES_KEY = 'x_security_token_expires';

export interface UpdateAwsFileOptions {
  env?: NodeJS.ProcessEnv;
  /** told (one line for stderr) when fedlogin made the credentials file private again */
  notice?: (line: string) => void;
  /** how long to wait for another fedlogin editing the same file (default 10 s) */
  lockTimeoutMs?: number;
}

/** The name of the lock that serialises edits of the file (a hash of its real path). */
export function lockNameFor(path: string): string {
  let real = resolve(path);
  try {
    real = realpathSync(path);
  } catch {
    // a file still to be created
  }
  return `aws-file-${createHash('sha256').update(real).digest('hex').slice(0, 16)}`;
}

/** checkWriteTarget and readWriteTarget, with an unexpected system error named like a failed write. */
function openTarget(path: string): { target: WriteTarget; text: string } {
  try {
    const target = checkWriteTarget(path);
    return { target, text: readWriteTarget(target) };
  } catch (error) {
    if (isFedloginError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw usageError('FILE_WRITE_FAILED', `Cannot write ${path} (${code}).`, {
      hint: `Check that ${path} is a file of yours, in a folder of yours.`,
      cause: error,
    });
  }
}

/**
 * Runs `edit` on the file's current text under a lock and writes the result atomically when it
 * differs. Resolves true when the file changed. The edit may throw to refuse (nothing is written).
 * Problems the file already had are no reason to refuse: edits keep every byte they do not own.
 *
 * Before anything is read, checkWriteTarget (writeTarget.ts) refuses a file, folder or link that is
 * not the user's alone, and anything but a regular file. The credentials file is always written
 * 0600: one that group or others could read is made private by this very write (the new file is
 * 0600 before a secret is in it), and `notice` is told. The config file keeps its mode.
 */
export async function updateAwsFile(
  path: string,
  kind: AwsFileKind,
  edit: (text: string) => string,
  options: UpdateAwsFileOptions = {},
): Promise<boolean> {
  const env = options.env ?? process.env;
  return withLock(
    lockPathFor(env, lockNameFor(path)),
    () => {
      const { target, text } = openTarget(path);
      const next = edit(text);
      if (next === text) return false;
      const before = parseIniDocument(text).problems.length;
      if (parseIniDocument(next).problems.length > before) {
        throw usageError(
          'AWS_FILE_EDIT_INVALID',
          `fedlogin refused to write ${path}: the edit would make the ${kind} file invalid.`,
        );
      }
      if (kind === 'credentials') {
        writeFileAtomic(target.real, next, { mode: 0o600, keepMode: false });
        if (readableByOthers(target)) {
          options.notice?.(
            `warning: ${path} could be read by group or others (mode ${octal(target.stats!.mode)}); fedlogin wrote it 0600. Keys that were in it before may have been read: rotate long-term keys kept there.`,
          );
        }
      } else {
        writeFileAtomic(target.real, next, { mode: 0o600 });
      }
      return true;
    },
    { timeoutMs: options.lockTimeoutMs ?? 10_000 },
  );
}

type EntriesLike = Readonly<Record<string, string>> | readonly { key: string }[];

const keysOf = (entries: EntriesLike): Set<string> =>
  new Set(
    (Array.isArray(entries) ? entries.map((e: { key: string }) => e.key) : Object.keys(entries)).map((k) =>
      k.toLowerCase(),
    ),
  );

/** A credentials-file section holding expiring credentials (fedlogin's, or another tool's with the same marker). */
export function isFedloginManagedSection(entries: EntriesLike): boolean {
  return keysOf(entries).has(EXPIRES_KEY);
}

/** Long-term keys someone put there by hand: aws_access_key_id without the expiry marker. */
export function hasStaticKeys(entries: EntriesLike): boolean {
  const keys = keysOf(entries);
  return keys.has('aws_access_key_id') && !keys.has(EXPIRES_KEY);
}

function refuseStatic(path: string, name: string, section: IniSection): never {
  throw usageError(
    'CREDENTIALS_PROFILE_STATIC',
    `${path} line ${section.line}: [${name}] holds long-term access keys that fedlogin did not write; it will not change them.`,
    { hint: `Use another profile name, or remove [${name}] from ${path} yourself if those keys are no longer needed.` },
  );
}

/**
 * Writes the credentials as profile `name` of the credentials file: aws_access_key_id,
 * aws_secret_access_key, aws_session_token and x_security_token_expires (ISO 8601). Other keys of
 * the section (region...) and comments stay. Refuses a section with long-term keys, and a profile
 * that appears twice (botocore rejects such a file; the JS SDK would mix the two).
 */
export async function writeCredentialsProfile(
  path: string,
  name: string,
  credentials: Credentials,
  options: UpdateAwsFileOptions = {},
): Promise<void> {
  await updateAwsFile(
    path,
    'credentials',
    (text) => {
      const sections = findProfileSections(parseIniDocument(text), 'credentials', name);
      if (sections.length > 1) {
        throw usageError(
          'CREDENTIALS_PROFILE_DUPLICATE',
          `${path} has [${name}] ${sections.length} times (lines ${sections.map((s) => s.line).join(', ')}); the AWS CLI refuses such a file.`,
          { hint: `Keep one [${name}] section in ${path} and run the command again.` },
        );
      }
      const [existing] = sections;
      if (existing && hasStaticKeys(existing.entries)) refuseStatic(path, name, existing);
      return setKeys(text, 'credentials', name, {
        aws_access_key_id: credentials.accessKeyId,
        aws_secret_access_key: credentials.secretAccessKey,
        aws_session_token: credentials.sessionToken,
        [EXPIRES_KEY]: credentials.expiration.toISOString(),
      });
    },
    options,
  );
}

/**
 * Removes the sections of profile `name` that carry x_security_token_expires. Refuses (and changes
 * nothing) when a section of that name holds long-term keys. Resolves true when it removed any.
 */
export async function removeFedloginCredentialsProfile(
  path: string,
  name: string,
  options: UpdateAwsFileOptions = {},
): Promise<boolean> {
  return updateAwsFile(
    path,
    'credentials',
    (text) => {
      const sections = findProfileSections(parseIniDocument(text), 'credentials', name);
      const staticOne = sections.find((s) => hasStaticKeys(s.entries));
      if (staticOne) refuseStatic(path, name, staticOne);
      return removeSection(text, 'credentials', name, (s) => isFedloginManagedSection(s.entries));
    },
    options,
  );
}

/**
 * Profiles whose config runs credential_process while the credentials file has long-term keys for
 * the same name: the SDKs read the credentials file first, so credential_process never runs.
 */
export function findShadowingStaticKeys(configDoc: IniDocument, credentialsDoc: IniDocument): string[] {
  return listProfiles(configDoc, 'config').filter((name) => {
    if (getProfile(configDoc, 'config', name)?.credential_process === undefined) return false;
    const creds = getProfile(credentialsDoc, 'credentials', name);
    return creds !== undefined && hasStaticKeys(creds);
  });
}
