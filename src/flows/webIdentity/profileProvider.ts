import type { ProfileValues } from '../../config/profileValues.js';
import { flowCallPolicy } from '../profileChain.js';
import type { ProfileProvider } from '../provider.js';
import { loginWithWebIdentity } from './login.js';
import { nodeWebIdentityDeps } from './nodeWebIdentityDeps.js';
import { resolveWebIdentitySettings } from './resolveSettings.js';

/**
 * A web-identity profile renews on its own: the token file is re-read, or the CI asked again. Its
 * role's credentials only: the chain step after it is shared by every flow (cachedLogin).
 */
export function webIdentityProvider(profile: ProfileValues): ProfileProvider {
  return {
    async login(context) {
      // the profile's fedlogin_chain_role_arn hops (and the policy on the last one) are cachedLogin's
      const settings = {
        ...resolveWebIdentitySettings({}, profile, context.env),
        chainRoleArns: [],
        sessionPolicy: await flowCallPolicy(profile, context.env),
      };
      const { deps } = await nodeWebIdentityDeps(settings, {
        ...context,
        profileRegion: profile.string('region'),
        profileCaBundle: profile.string('ca_bundle'),
      });
      return loginWithWebIdentity(settings, deps);
    },
  };
}
