import type { Configuration } from 'openid-client';
import type { Logger } from '../../core/logger.js';
import { translateOidcError } from './oidcErrors.js';
import { type OidcTokens, tokensFrom } from './tokens.js';

/**
 * The refresh token grant: renew without a person. invalid_grant (expired, revoked, rotated
 * elsewhere) comes back as undefined, meaning "sign in again"; anything else is an error.
 */
export async function renewWithRefreshToken(
  options: { config: Configuration; oidc: typeof import('openid-client'); issuer: URL; refreshToken: string },
  logger: Logger,
): Promise<OidcTokens | undefined> {
  try {
    const started = performance.now();
    const response = await options.oidc.refreshTokenGrant(options.config, options.refreshToken);
    logger.debug(`oidc timing: refresh token grant took ${Math.round(performance.now() - started)} ms`);
    return tokensFrom(response, logger);
  } catch (error) {
    if ((error as { error?: string }).error === 'invalid_grant') {
      logger.debug('the stored refresh token was refused (invalid_grant)');
      return undefined;
    }
    throw translateOidcError(error, options.issuer, 'refresh');
  }
}
