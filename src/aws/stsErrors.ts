import { type FedloginError, isFedloginError, refusedError, unreachableError, usageError } from '../core/errors.js';
import { escapeControl } from '../core/escapeControl.js';
import { describeClaims, type JwtClaims } from '../core/jwtClaims.js';
import { sdkNetworkFailure } from './network/networkFailure.js';
import { serviceErrorInfo } from './serviceError.js';

export interface StsCallContext {
  action: 'AssumeRoleWithWebIdentity' | 'AssumeRoleWithSAML' | 'AssumeRole';
  roleArn: string;
  /** the decoded claims of the token that was sent, to show next to a refusal */
  tokenClaims?: JwtClaims | undefined;
  endpoint?: string;
}

const TRUST_HINT =
  "Check the role's trust policy: its Federated principal must be the token's issuer (iss), and its StringEquals/StringLike conditions on ':aud' and ':sub' must match the token's aud and sub shown above.";

/** Turns an STS SDK error into one clear FedloginError line; the token itself is never shown. */
export function translateStsError(error: unknown, context: StsCallContext): FedloginError {
  if (isFedloginError(error)) return error;
  // a certificate, or a proxy, between fedlogin and the service
  const network = sdkNetworkFailure(error, context.endpoint);
  if (network) return network;
  const info = serviceErrorInfo(error);
  const token = context.tokenClaims ? ` Token: ${describeClaims(context.tokenClaims)}.` : '';
  const role = context.roleArn;
  // STS's message may quote what was sent (a claim): escaped like every outside text
  const stsMessage = escapeControl(info.message.replace(/\s+/g, ' ').trim());

  if (info.network) {
    return unreachableError(
      'STS_UNREACHABLE',
      `Could not reach STS at ${context.endpoint ?? 'its endpoint'} (${info.code ?? 'network error'}).`,
      { hint: 'Check your network or proxy, and AWS_ENDPOINT_URL_STS / --region if you set them.', cause: error },
    );
  }
  switch (info.code) {
    case 'AccessDenied':
      return refusedError('STS_ACCESS_DENIED', `STS refused ${context.action} for ${role}: ${stsMessage}.${token}`, {
        hint: context.tokenClaims
          ? TRUST_HINT
          : 'Check that the role trusts this principal and that you may assume it.',
        cause: error,
      });
    case 'InvalidIdentityToken':
      return refusedError('STS_INVALID_TOKEN', `STS rejected the token for ${role}: ${stsMessage}.${token}`, {
        hint: 'Check that the role account has an IAM OIDC identity provider for this issuer and that its JWKS is reachable from AWS.',
        cause: error,
      });
    case 'ExpiredToken':
      return refusedError(
        'TOKEN_EXPIRED',
        `STS says the ${context.action === 'AssumeRoleWithSAML' ? 'SAML assertion' : 'token'} has expired (${role}).${token}`,
        {
          hint:
            context.action === 'AssumeRoleWithSAML'
              ? 'Sign in again to get a fresh assertion.'
              : 'Request a fresh token and try again.',
          cause: error,
        },
      );
    case 'IDPRejectedClaim':
      return refusedError('STS_IDP_REJECTED_CLAIM', `STS rejected a claim for ${role}: ${stsMessage}.${token}`, {
        hint: TRUST_HINT,
        cause: error,
      });
    case 'RegionDisabled':
      return refusedError(
        'STS_REGION_DISABLED',
        `STS is not activated in this region for the role's account: ${stsMessage}.`,
        { hint: 'Activate the region under IAM > Account settings, or choose another with --region.', cause: error },
      );
    case 'ValidationError':
      if (/MaxSessionDuration|session limit/i.test(stsMessage)) {
        return usageError(
          'STS_DURATION_TOO_LONG',
          `The requested duration is longer than ${role} allows: ${stsMessage}`,
          { hint: "Ask for less with --duration, or raise the role's maximum session duration in IAM.", cause: error },
        );
      }
      return usageError('STS_VALIDATION', `STS refused the request for ${role}: ${stsMessage}`, { cause: error });
    case 'PackedPolicyTooLarge':
      return usageError(
        'STS_POLICY_TOO_LARGE',
        `STS says the session policies for ${role} are too large once packed: ${stsMessage}`,
        {
          hint: 'STS compresses the inline policy, the managed policy ARNs and session tags into one limited field: drop some --policy-arn, or shorten the policy file.',
          cause: error,
        },
      );
    case 'MalformedPolicyDocument':
      return usageError('STS_POLICY', `STS refused the session policy for ${role}: ${stsMessage}`, { cause: error });
  }
  if (info.code && /Throttl|TooManyRequests|LimitExceeded|SlowDown/i.test(info.code)) {
    return unreachableError(
      'STS_THROTTLED',
      `STS kept throttling ${context.action} (${info.code}) after several attempts.`,
      { hint: "Wait a minute and try again; many parallel logins can exceed STS's request rate.", cause: error },
    );
  }
  if ((info.status ?? 0) >= 500 || info.code === 'IDPCommunicationError') {
    return unreachableError(
      'STS_UNAVAILABLE',
      `STS kept failing for ${context.action} (${info.code ?? 'error'}${info.status ? `, HTTP ${info.status}` : ''}): ${stsMessage}`,
      { hint: 'Try again in a moment.', cause: error },
    );
  }
  return refusedError(
    'STS_ERROR',
    `STS refused ${context.action} for ${role} (${info.code ?? 'error'}): ${stsMessage}`,
    { cause: error },
  );
}
