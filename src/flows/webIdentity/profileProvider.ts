import type { ProfileValues } from '../../config/profileValues.js';
import type { ProfileProvider } from '../provider.js';
import { sessionPolicyFor } from '../sessionPolicy.js';
import { loginWithWebIdentity } from './login.js';
import { nodeWebIdentityDeps } from './nodeWebIdentityDeps.js';
import { resolveWebIdentitySettings } from './resolveSettings.js';

/** A web-identity profile renews on its own: the token file is re-read, or the CI asked again. */
export function webIdentityProvider(profile: ProfileValues): ProfileProvider {
  return {
    async login(context) {
      const settings = {
        ...resolveWebIdentitySettings({}, profile, context.env),
        sessionPolicy: await sessionPolicyFor({}, profile, context.env),
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
