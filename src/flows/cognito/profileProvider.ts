import type { ProfileValues } from '../../config/profileValues.js';
import { openProfileStore } from '../cachedLogin.js';
import type { ProfileProvider } from '../provider.js';
import { loginWithCognito } from './login.js';
import { nodeCognitoDeps } from './nodeCognitoDeps.js';
import { resolveCognitoSettings } from './resolveSettings.js';

/** A cognito profile renews on its own: guest access needs nobody, and login files are re-read. */
export function cognitoProvider(profile: ProfileValues): ProfileProvider {
  return {
    needsPerson: false,
    async login(context) {
      const settings = resolveCognitoSettings({}, profile);
      const identityIds = await openProfileStore(profile.profile, context.env);
      const deps = await nodeCognitoDeps(settings, {
        env: context.env,
        logger: context.logger,
        clock: context.clock,
        identityIds,
        regionFlag: context.regionFlag,
      });
      return loginWithCognito(settings, deps);
    },
  };
}
