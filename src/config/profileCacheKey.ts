import { cacheKey } from '../store/credentialCache.js';
import type { ProfileSettings } from './profileSettings.js';

/**
 * The cache key of a profile's credentials: every fedlogin_* key of the profile, the keys the AWS
 * tools use that shape them (region, web_identity_token_file, sso_*), and the STS, Cognito and SSO endpoint overrides, so
 * editing any of them misses the old entry. Pure and cheap: it runs on every credential-process.
 */
export function profileCacheKey(profile: ProfileSettings, env: NodeJS.ProcessEnv, regionFlag?: string): string {
  const settings: Record<string, string | undefined> = {
    profile: profile.name,
    config: profile.file,
    region_flag: regionFlag,
    endpoint_sts: env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL || undefined,
    endpoint_cognito: env.AWS_ENDPOINT_URL_COGNITO_IDENTITY || undefined,
    endpoint_sso: env.AWS_ENDPOINT_URL_SSO || undefined,
  };
  for (const [key, value] of Object.entries(profile.values)) {
    if (key.startsWith('fedlogin_') || key.startsWith('sso_') || key === 'region' || key === 'web_identity_token_file')
      settings[`k:${key}`] = value;
  }
  return cacheKey(settings);
}
