import type { ProfileSettings } from '../../config/profileSettings.js';
import { ProfileValues } from '../../config/profileValues.js';
import type { SecretStore } from '../../store/secretStore.js';
import { parseIssuerUrl } from './issuerUrl.js';
import { keptTokensKey } from './secretKeys.js';

/**
 * logout: drops the tokens the last renewal of the profile's OIDC sign-in (fedlogin_issuer, client,
 * scope: oidc and cognito profiles) kept for the other profiles, so that no profile of that sign-in
 * renews without the IdP afterwards. The refresh token stays (logout forgets credentials, it does
 * not sign out at the IdP). True when something was removed; a profile without a valid sign-in has
 * nothing to remove.
 */
export async function forgetKeptOidcTokens(profile: ProfileSettings, store: SecretStore): Promise<boolean> {
  const values = new ProfileValues(profile);
  const issuer = values.string('fedlogin_issuer');
  const clientId = values.string('fedlogin_client_id');
  if (!issuer || !clientId) return false;
  let url: URL;
  try {
    url = parseIssuerUrl(issuer, 'fedlogin_issuer').url;
  } catch {
    return false;
  }
  return store.delete(keptTokensKey(url, clientId, values.string('fedlogin_scope')));
}
