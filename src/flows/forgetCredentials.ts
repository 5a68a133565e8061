import { profileCacheKey } from '../config/profileCacheKey.js';
import type { ProfileSettings } from '../config/profileSettings.js';
import { credentialsFilePath, removeFedloginCredentialsProfile } from '../store/awsFiles.js';
import { deleteCachedCredentials } from '../store/credentialCache.js';
import { flowStepKey, openProfileStore } from './cachedLogin.js';
import { forgetKeptOidcTokens } from './oidc/forgetKeptTokens.js';
import { forgetKeptAssertion } from './saml/sharedAssertion.js';

/** What forgetting a profile's credentials removed, for the notice. */
export interface Forgotten {
  /** "cached credentials (file store)", "[dev] in ~/.aws/credentials" */
  removed: string[];
}

/**
 * Forgets what fedlogin holds of a profile's credentials: the cache entry (under the key every
 * login uses, so --region counts; with the flow's own step before any chain hops), the
 * ~/.aws/credentials section fedlogin wrote for it (one carrying x_security_token_expires;
 * long-term keys are never touched), for a saml profile the assertion kept for its IdP
 * (sharedAssertion.ts), and for an OIDC sign-in (oidc, cognito) the ID token its last renewal kept
 * for the sign-in's other profiles. The one way `logout` and `sso logout` do it.
 */
export async function forgetProfileCredentials(
  profile: ProfileSettings,
  options: { env: NodeJS.ProcessEnv; regionFlag?: string | undefined; notice: (line: string) => void },
): Promise<Forgotten> {
  const store = await openProfileStore(profile, options.env);
  const key = profileCacheKey(profile, options.env, options.regionFlag);
  // a profile with fedlogin_chain_role_arn hops also caches its flow's credentials before the hops
  const flowStep = await deleteCachedCredentials(store, flowStepKey(key));
  const cached = (await deleteCachedCredentials(store, key)) || flowStep;
  // a saml profile: the assertion kept for its IdP (shared with that IdP's other profiles)
  const assertion = await forgetKeptAssertion(profile, store, options.env);
  const kept = await forgetKeptOidcTokens(profile, store);
  const credentialsFile = credentialsFilePath(options.env);
  const section = await removeFedloginCredentialsProfile(credentialsFile, profile.name, { notice: options.notice });
  return {
    removed: [
      cached ? `cached credentials (${store.kind} store)` : '',
      assertion ? `the IdP's kept SAML assertion (${store.kind} store)` : '',
      kept ? `the ID token kept from the last OIDC renewal (${store.kind} store)` : '',
      section ? `[${profile.name}] in ${credentialsFile}` : '',
    ].filter(Boolean),
  };
}
