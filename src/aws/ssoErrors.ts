import { type FedloginError, isFedloginError, refusedError, unreachableError, usageError } from '../core/errors.js';
import { escapeControl } from '../core/escapeControl.js';
import { sdkNetworkFailure } from './network/networkFailure.js';
import { serviceErrorInfo } from './serviceError.js';

export type SsoAction =
  | 'RegisterClient'
  | 'StartDeviceAuthorization'
  | 'CreateToken'
  | 'GetRoleCredentials'
  | 'ListAccounts'
  | 'ListAccountRoles'
  | 'Logout';

export interface SsoCallContext {
  action: SsoAction;
  /** the sso-session (or start URL) the call is for, for messages */
  session: string;
  /** how the person signs in again, named when a token is refused */
  signInCommand: string;
  endpoint?: string;
  /** GetRoleCredentials: the account and role asked for */
  accountId?: string;
  roleName?: string;
}

/**
 * Turns an SSO-OIDC or SSO portal SDK error into one clear FedloginError line. The OAuth error
 * field of SSO-OIDC (authorization_pending, slow_down) is handled by the device flow's poll loop
 * before it gets here; what arrives is final. Tokens and secrets are never in these messages.
 */
export function translateSsoError(error: unknown, context: SsoCallContext): FedloginError {
  if (isFedloginError(error)) return error;
  // a certificate, or a proxy, between fedlogin and the service (as for STS and Cognito)
  const network = sdkNetworkFailure(error, context.endpoint);
  if (network) return network;
  const info = serviceErrorInfo(error);
  const service = ['GetRoleCredentials', 'ListAccounts', 'ListAccountRoles', 'Logout'].includes(context.action)
    ? 'the IAM Identity Center portal'
    : 'IAM Identity Center (SSO OIDC)';
  const description = (error as { error_description?: string }).error_description;
  const message = escapeControl((description ?? info.message).replace(/\s+/g, ' ').trim());
  const signInAgain = { hint: `Sign in again: ${context.signInCommand}`, cause: error };
  if (info.network) {
    return unreachableError(
      'SSO_UNREACHABLE',
      `Could not reach ${service} at ${context.endpoint ?? 'its endpoint'} (${info.code ?? 'network error'}).`,
      {
        hint: 'Check your network or proxy, the sso_region of the sso-session, and AWS_ENDPOINT_URL_SSO_OIDC / AWS_ENDPOINT_URL_SSO if you set them.',
        cause: error,
      },
    );
  }
  switch (info.code) {
    case 'Unauthorized':
      return refusedError(
        'SSO_TOKEN_REJECTED',
        `${service} refused the sign-in of ${context.session} (${context.action}): ${message}`,
        signInAgain,
      );
    case 'Forbidden':
    case 'ResourceNotFound':
      return refusedError(
        'SSO_ROLE_NOT_GRANTED',
        `${service} gives ${context.session} no access to ${context.roleName ?? 'that role'} in account ${context.accountId ?? '?'} (${context.action}): ${message}`,
        {
          hint: 'Check sso_account_id and sso_role_name (fedlogin sso sync lists what you are granted), or ask for the permission set.',
          cause: error,
        },
      );
    case 'InvalidGrant':
    case 'ExpiredToken':
      return refusedError(
        'SSO_SIGN_IN_EXPIRED',
        `The sign-in of ${context.session} is no longer valid (${context.action}): ${message}`,
        signInAgain,
      );
    case 'AccessDenied':
      return refusedError('SSO_ACCESS_DENIED', `The sign-in of ${context.session} was denied: ${message}`, {
        cause: error,
      });
    case 'InvalidClient':
    case 'UnauthorizedClient':
      return refusedError(
        'SSO_CLIENT_REFUSED',
        `IAM Identity Center refused fedlogin's client registration for ${context.session} (${context.action}): ${message}`,
        { hint: `Sign in again (a new registration is made): ${context.signInCommand}`, cause: error },
      );
    case 'InvalidRequest':
    case 'InvalidRequestRegion':
    case 'InvalidScope':
    case 'InvalidRedirectUri':
    case 'InvalidClientMetadata':
    case 'UnsupportedGrantType':
      return usageError(
        'SSO_REQUEST_INVALID',
        `${service} refused ${context.action} for ${context.session}: ${message}`,
        {
          hint: 'Check sso_start_url, sso_region and sso_registration_scopes of the sso-session in ~/.aws/config.',
          cause: error,
        },
      );
    default:
      return unreachableError(
        'SSO_FAILED',
        `${service} failed ${context.action} for ${context.session}: ${info.code ?? 'error'}${info.status ? ` (HTTP ${info.status})` : ''}: ${message}`,
        { hint: 'Try again in a moment; --debug shows the calls.', cause: error },
      );
  }
}
