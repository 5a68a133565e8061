import { type FedloginError, isFedloginError, refusedError, unreachableError, usageError } from '../core/errors.js';
import { escapeControl } from '../core/escapeControl.js';
import { sdkNetworkFailure } from './network/networkFailure.js';
import { serviceErrorInfo } from './serviceError.js';

export type CognitoAction = 'GetId' | 'GetCredentialsForIdentity' | 'GetOpenIdToken';

export interface CognitoCallContext {
  action: CognitoAction;
  identityPoolId: string;
  /** the Logins keys that were sent (never their values); empty for guest access */
  loginKeys: string[];
  /** non-secret descriptions of the login tokens (decoded claims), shown next to a refusal */
  loginDescriptions?: string[] | undefined;
  endpoint?: string;
}

/**
 * Turns a Cognito Identity SDK error into one clear FedloginError line; login tokens are never
 * shown. ResourceNotFoundException is a usage error (exit 2): the pool ID names a pool that does
 * not exist in its region, which the person fixes in their flags or profile, not at the IdP.
 */
export function translateCognitoError(error: unknown, context: CognitoCallContext): FedloginError {
  if (isFedloginError(error)) return error;
  // a certificate, or a proxy, between fedlogin and the service
  const network = sdkNetworkFailure(error, context.endpoint);
  if (network) return network;
  const info = serviceErrorInfo(error);
  const pool = context.identityPoolId;
  // Cognito's message may quote a login token's claims: escaped like every outside text
  const message = escapeControl(info.message.replace(/\s+/g, ' ').trim());
  const guest = context.loginKeys.length === 0;
  const logins = context.loginDescriptions?.length ? ` Login: ${context.loginDescriptions.join('; ')}.` : '';

  if (info.network) {
    return unreachableError(
      'COGNITO_UNREACHABLE',
      `Could not reach Cognito Identity at ${context.endpoint ?? 'its endpoint'} (${info.code ?? 'network error'}).`,
      { hint: 'Check your network or proxy, and AWS_ENDPOINT_URL_COGNITO_IDENTITY if you set it.', cause: error },
    );
  }
  switch (info.code) {
    case 'NotAuthorized':
      if (guest) {
        return refusedError(
          'COGNITO_GUEST_DISABLED',
          `Identity pool ${pool} refused guest access (${context.action}): ${message}`,
          {
            hint: 'Sign in with --login KEY=@FILE, or enable unauthenticated (guest) access in the identity pool.',
            cause: error,
          },
        );
      }
      return refusedError(
        'COGNITO_NOT_AUTHORIZED',
        `Identity pool ${pool} rejected the login for ${context.loginKeys.join(', ')} (${context.action}): ${message}${logins}`,
        {
          hint: 'Check that the pool lists this identity provider and app client ID, and that the token is fresh and its iss matches the login key.',
          cause: error,
        },
      );
    case 'ResourceNotFound':
      return usageError(
        'COGNITO_POOL_NOT_FOUND',
        `Cognito Identity has no ${context.action === 'GetId' ? `identity pool ${pool}` : `such identity in pool ${pool}`}: ${message}`,
        {
          hint: "Check --identity-pool-id (REGION:UUID, as shown in the Cognito console) and that the region prefix is the pool's region.",
          cause: error,
        },
      );
    case 'InvalidIdentityPoolConfiguration':
      return refusedError(
        'COGNITO_POOL_MISCONFIGURED',
        `Identity pool ${pool} is not configured to hand out credentials (${context.action}): ${message}`,
        {
          hint: "Ask the pool's owner to assign an IAM role for this kind of identity (authenticated or guest) whose trust policy names cognito-identity.amazonaws.com.",
          cause: error,
        },
      );
    case 'InvalidParameter':
      return usageError(
        'COGNITO_INVALID_PARAMETER',
        `Cognito Identity refused ${context.action} for pool ${pool}: ${message}`,
        { cause: error },
      );
    case 'ExternalService':
      return unreachableError(
        'COGNITO_EXTERNAL_SERVICE',
        `Cognito Identity could not reach the identity provider for ${context.loginKeys.join(', ')}: ${message}`,
        { hint: 'Try again in a moment.', cause: error },
      );
  }
  if (info.code && /Throttl|TooManyRequests|LimitExceeded/i.test(info.code)) {
    return unreachableError(
      'COGNITO_THROTTLED',
      `Cognito Identity kept throttling ${context.action} (${info.code}) after several attempts.`,
      { hint: "Wait a minute and try again; many parallel logins can exceed the pool's request rate.", cause: error },
    );
  }
  if ((info.status ?? 0) >= 500 || info.code === 'InternalError') {
    return unreachableError(
      'COGNITO_UNAVAILABLE',
      `Cognito Identity kept failing for ${context.action} (${info.code ?? 'error'}${info.status ? `, HTTP ${info.status}` : ''}).`,
      { hint: 'Try again in a moment.', cause: error },
    );
  }
  return refusedError(
    'COGNITO_ERROR',
    `Cognito Identity refused ${context.action} for pool ${pool} (${info.code ?? 'error'}): ${message}`,
    { cause: error },
  );
}
