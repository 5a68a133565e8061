import { withChainedProfiles } from '../config/chainedProfiles.js';
import { loadAllProfiles, loadProfile, type ProfileSettings } from '../config/profileSettings.js';
import { isSsoProfile } from '../flows/sso/sessions.js';

/**
 * Every profile of ~/.aws/config that fedlogin gets credentials for, or just the named one: those
 * with fedlogin_flow, the IAM Identity Center profiles (sso_account_id and sso_role_name with a
 * session, as the AWS CLI and `sso sync` write them), and the chained ones (role_arn with
 * source_profile) whose source_profile leads to one of those. The file is read once.
 */
export function fedloginProfiles(env: NodeJS.ProcessEnv, only?: string): ProfileSettings[] {
  if (only !== undefined) {
    const profile = loadProfile(env, only);
    return profile ? [profile] : [];
  }
  return withChainedProfiles(loadAllProfiles(env), (p) => p.values.fedlogin_flow !== undefined || isSsoProfile(p));
}
