import type { ProfileValues } from '../../config/profileValues.js';
import { openProfileStore } from '../cachedLogin.js';
import { flowCallPolicy } from '../profileChain.js';
import type { ProfileProvider } from '../provider.js';
import { loginWithOidc } from './login.js';
import { nodeOidcDeps } from './nodeOidcDeps.js';
import { profileSignIn, resolveOidcSettings } from './resolveSettings.js';

/**
 * An oidc profile: a full sign-in needs a person, but the stored refresh token usually renews it
 * silently, which this provider tries first. Without a terminal and without a usable refresh token
 * it fails at once, naming the command that signs in.
 */
export function oidcProvider(profile: ProfileValues): ProfileProvider {
  return {
    async login(context) {
      const settings = {
        ...resolveOidcSettings({}, profile, context.env, profileSignIn(profile)),
        sessionPolicy: await flowCallPolicy(profile, context.env),
      };
      const secrets = await openProfileStore(profile.profile, context.env);
      const deps = nodeOidcDeps({
        env: context.env,
        logger: context.logger,
        secrets,
        roleArn: settings.roleArn,
        regionFlag: context.regionFlag,
        profileRegion: profile.string('region'),
        profileCaBundle: profile.string('ca_bundle'),
        interactive: context.interactive,
        silentFirst: true,
        browser: settings.browser,
      });
      return loginWithOidc(settings, deps);
    },
  };
}
