import { loadProfile, type ProfileSettings } from '../config/profileSettings.js';
import { configFilePath, readAwsFile } from '../store/awsFiles.js';
import { listProfiles } from '../store/iniDocument.js';

/** Every profile of ~/.aws/config that has fedlogin_flow, or just the named one. */
export function fedloginProfiles(env: NodeJS.ProcessEnv, only?: string): ProfileSettings[] {
  const names = only ? [only] : listProfiles(readAwsFile(configFilePath(env)), 'config');
  return names
    .map((name) => loadProfile(env, name))
    .filter(
      (p): p is ProfileSettings => p !== undefined && (only !== undefined || p.values.fedlogin_flow !== undefined),
    );
}
