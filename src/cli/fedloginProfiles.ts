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
  const all = loadAllProfiles(env);
  const included = new Set(
    all.filter((p) => p.values.fedlogin_flow !== undefined || isSsoProfile(p)).map((p) => p.name),
  );
  // a chain is at most a few profiles long: add the chained ones until nothing changes
  for (let added = true; added; ) {
    added = false;
    for (const p of all) {
      const source = p.values.source_profile?.trim();
      if (!included.has(p.name) && p.values.role_arn && source && included.has(source)) {
        included.add(p.name);
        added = true;
      }
    }
  }
  return all.filter((p) => included.has(p.name));
}
