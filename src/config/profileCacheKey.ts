import { readFileSync } from 'node:fs';
import { expandHome } from '../store/awsPaths.js';
import { cacheKey } from '../store/credentialCache.js';
import type { ProfileSettings } from './profileSettings.js';

/** The AWS tools' own keys that shape a profile's credentials (a role chain's hop included). */
const AWS_KEYS = new Set([
  'region',
  'web_identity_token_file',
  'role_arn',
  'source_profile',
  'external_id',
  'role_session_name',
  'duration_seconds',
]);

/**
 * The session policy document's text is part of the key (editing the file misses the old entry).
 * Read as is, without parsing: a file that cannot be read gives a key of its own, and the login
 * that follows reports why.
 */
function policyFileText(path: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (!path?.trim()) return undefined;
  try {
    return readFileSync(expandHome(path.trim(), env), 'utf8').slice(0, 64 * 1024);
  } catch (error) {
    return `unreadable:${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
}

/**
 * The cache key of a profile's credentials: every fedlogin_* key of the profile (the session
 * policy's ARNs and file among them, and the file's text), the keys the AWS tools use that shape
 * them (region, web_identity_token_file, sso_*, and a chain's role_arn, source_profile,
 * external_id, role_session_name, duration_seconds), what identifies the [sso-session] an
 * sso_session names (its sso_start_url and sso_region: another portal or instance, another
 * identity), and the STS, Cognito and SSO endpoint overrides, so editing any of them misses the
 * old entry. Cheap: it runs on every credential-process.
 */
export function profileCacheKey(profile: ProfileSettings, env: NodeJS.ProcessEnv, regionFlag?: string): string {
  const settings: Record<string, string | undefined> = {
    profile: profile.name,
    config: profile.file,
    region_flag: regionFlag,
    endpoint_sts: env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL || undefined,
    endpoint_cognito: env.AWS_ENDPOINT_URL_COGNITO_IDENTITY || undefined,
    endpoint_sso: env.AWS_ENDPOINT_URL_SSO || undefined,
    policy_text: policyFileText(profile.values.fedlogin_policy_file, env),
    session_start_url: profile.ssoSession?.sso_start_url?.trim(),
    session_region: profile.ssoSession?.sso_region?.trim(),
  };
  for (const [key, value] of Object.entries(profile.values)) {
    if (key.startsWith('fedlogin_') || key.startsWith('sso_') || AWS_KEYS.has(key)) settings[`k:${key}`] = value;
  }
  return cacheKey(settings);
}
