import type { TokenEndpointResponse, TokenEndpointResponseHelpers } from 'openid-client';
import type { Logger } from '../../core/logger.js';

/** The tokens of one sign-in or renewal, registered as secrets the moment they exist. */
export interface OidcTokens {
  idToken?: string | undefined;
  accessToken: string;
  refreshToken?: string | undefined;
}

export function tokensFrom(response: TokenEndpointResponse & TokenEndpointResponseHelpers, logger: Logger): OidcTokens {
  const tokens: OidcTokens = {
    idToken: response.id_token,
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
  };
  for (const value of Object.values(tokens)) logger.addSecret(value);
  return tokens;
}
