import { readFileSync } from 'node:fs';
import { usageError } from '../core/errors.js';
import { configFilePath } from '../store/awsPaths.js';
import { getProfile, parseIniDocument } from '../store/iniDocument.js';

/** A profile of ~/.aws/config as fedlogin sees it: its keys, lowercased, and where it lives. */
export interface ProfileSettings {
  name: string;
  /** the config file it was read from, for error lines */
  file: string;
  /** "profile dev" or "default", as an error line names the section */
  section: string;
  values: Readonly<Record<string, string>>;
}

/**
 * Reads one profile synchronously (this runs on credential-process's fast path). A missing file
 * or profile gives undefined; a file the AWS tools would refuse gives a usage error with its line.
 */
export function loadProfile(env: NodeJS.ProcessEnv, name: string): ProfileSettings | undefined {
  const file = configFilePath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw usageError('CONFIG_UNREADABLE', `Cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, undefined, error);
  }
  const doc = parseIniDocument(text);
  const problem = doc.problems[0];
  if (problem) {
    throw usageError('CONFIG_INVALID', `${file} line ${problem.line}: ${problem.message}.`, 'Fix that line; the AWS CLI refuses the file too.');
  }
  const raw = getProfile(doc, 'config', name);
  if (!raw) return undefined;
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) values[key.toLowerCase()] = value;
  return { name, file, section: name === 'default' ? 'default' : `profile ${name}`, values };
}

/** loadProfile for commands that need the profile: a missing one is a usage error with the fix. */
export function requireProfile(env: NodeJS.ProcessEnv, name: string): ProfileSettings {
  const profile = loadProfile(env, name);
  if (!profile) {
    throw usageError('PROFILE_NOT_FOUND', `No profile "${name}" in ${configFilePath(env)}.`, `Create it with: fedlogin configure --profile ${name}`);
  }
  return profile;
}
