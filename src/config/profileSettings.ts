import { usageError } from '../core/errors.js';
import { readAwsFile } from '../store/awsFileRead.js';
import { configFilePath } from '../store/awsPaths.js';
import { getProfile, getSection, type IniDocument, listProfiles } from '../store/iniDocument.js';

/** A profile of ~/.aws/config as fedlogin sees it: its keys, lowercased, and where it lives. */
export interface ProfileSettings {
  name: string;
  /** the config file it was read from, for error lines */
  file: string;
  /** "profile dev" or "default", as an error line names the section */
  section: string;
  values: Readonly<Record<string, string>>;
  /**
   * The [sso-session NAME] section the profile's sso_session names (keys lowercased), read with the
   * profile from the same file; undefined without sso_session or when the file has no such section.
   */
  ssoSession?: Readonly<Record<string, string>> | undefined;
}

/** A profile of a parsed config file, with the [sso-session] its sso_session names; undefined when absent. */
function profileOf(doc: IniDocument, file: string, name: string): ProfileSettings | undefined {
  const raw = getProfile(doc, 'config', name);
  if (!raw) return undefined;
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) values[key.toLowerCase()] = value;
  const sessionName = values.sso_session?.trim();
  const ssoSession = sessionName ? getSection(doc, `sso-session ${sessionName}`) : undefined;
  return {
    name,
    file,
    section: name === 'default' ? 'default' : `profile ${name}`,
    values,
    ...(ssoSession ? { ssoSession } : {}),
  };
}

/**
 * Reads one profile synchronously (this runs on credential-process's fast path). A missing file
 * or profile gives undefined; a file the AWS tools would refuse gives AWS_FILE_INVALID with its line.
 */
export function loadProfile(env: NodeJS.ProcessEnv, name: string): ProfileSettings | undefined {
  const file = configFilePath(env);
  return profileOf(readAwsFile(file), file, name);
}

/** Every profile of the config file, in order of first appearance, from one read of the file. */
export function loadAllProfiles(env: NodeJS.ProcessEnv): ProfileSettings[] {
  const file = configFilePath(env);
  const doc = readAwsFile(file);
  return listProfiles(doc, 'config')
    .map((name) => profileOf(doc, file, name))
    .filter((p): p is ProfileSettings => p !== undefined);
}

/** loadProfile for commands that need the profile: a missing one is a usage error with the fix. */
export function requireProfile(env: NodeJS.ProcessEnv, name: string): ProfileSettings {
  const profile = loadProfile(env, name);
  if (!profile) {
    throw usageError('PROFILE_NOT_FOUND', `No profile "${name}" in ${configFilePath(env)}.`, {
      hint: `Create it with: fedlogin configure --profile ${name}`,
    });
  }
  return profile;
}
