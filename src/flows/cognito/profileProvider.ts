import type { ProfileValues } from '../../config/profileValues.js';
import { openProfileStore } from '../cachedLogin.js';
import { profileSignIn } from '../oidc/resolveSettings.js';
import type { ProfileProvider } from '../provider.js';
import { loginWithCognito } from './login.js';
import { nodeCognitoDeps } from './nodeCognitoDeps.js';
import { resolveCognitoSettings } from './resolveSettings.js';

/**
 * A cognito profile renews on its own: guest access needs nobody, and login files are re-read. An
 * OIDC login (fedlogin_issuer) renews through its refresh token; without one and without a
 * terminal it fails at once, naming the command that signs in.
 */
export function cognitoProvider(profile: ProfileValues): ProfileProvider {
  return {
    async login(context) {
      const settings = resolveCognitoSettings({}, profile, context.env, profileSignIn(profile));
      const identityIds = await openProfileStore(profile.profile, context.env);
      const deps = await nodeCognitoDeps(settings, {
        env: context.env,
        logger: context.logger,
        clock: context.clock,
        identityIds,
        regionFlag: context.regionFlag,
        profileCaBundle: profile.string('ca_bundle'),
        interactive: context.interactive,
        silentFirst: true,
      });
      return loginWithCognito(settings, deps);
    },
  };
}
