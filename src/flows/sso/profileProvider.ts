import type { ProfileValues } from '../../config/profileValues.js';
import { isFedloginError } from '../../core/errors.js';
import type { ProfileProvider } from '../provider.js';
import { accessTokenFor } from './login.js';
import { nodeSsoDeps } from './nodeSsoDeps.js';
import { resolveSsoRole } from './resolveSettings.js';
import { contextFor } from './signIn.js';

/**
 * An SSO profile (sso_session, sso_account_id, sso_role_name): the session's access token from the
 * shared cache (renewed silently when it can be), then GetRoleCredentials. Without a usable token
 * and without a terminal it fails at once, naming `fedlogin sso login --sso-session NAME`.
 */
export function ssoProvider(profile: ProfileValues): ProfileProvider {
  return {
    async login(context) {
      const role = resolveSsoRole(context.env, profile);
      const deps = nodeSsoDeps(role.session, {
        env: context.env,
        logger: context.logger,
        clock: context.clock,
        caBundle: profile.string('ca_bundle'),
      });
      const portal = await deps.portal();
      const call = {
        ...contextFor(role.session, 'GetRoleCredentials'),
        accountId: role.accountId,
        roleName: role.roleName,
      };
      const token = await accessTokenFor(role.session, deps, context.interactive);
      try {
        return await portal.getRoleCredentials(
          { accessToken: token.accessToken, accountId: role.accountId, roleName: role.roleName },
          call,
        );
      } catch (error) {
        if (!isFedloginError(error) || error.code !== 'SSO_TOKEN_REJECTED') throw error;
        // signed out elsewhere (or revoked) while the cache still says valid: renew once, then retry
        context.logger.debug(`sso: the portal refused the cached token of ${role.session.label}; renewing it`);
        const renewed = await accessTokenFor(role.session, deps, context.interactive, token.accessToken);
        return portal.getRoleCredentials(
          { accessToken: renewed.accessToken, accountId: role.accountId, roleName: role.roleName },
          call,
        );
      }
    },
  };
}
