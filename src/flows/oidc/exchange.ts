import { parseRoleArn } from '../../aws/arn.js';
import { withDurationFallback } from '../../aws/durationFallback.js';
import type { SessionPolicy } from '../../aws/sessionPolicy.js';
import type { StsApi } from '../../aws/stsClient.js';
import type { Credentials } from '../../core/credentials.js';
import { usageError } from '../../core/errors.js';
import { decodeJwtClaims, describeClaims, type JwtClaims } from '../../core/jwtClaims.js';
import type { Logger } from '../../core/logger.js';
import { sanitizeSessionName } from '../../core/sessionName.js';
import type { OidcTokenType } from './settings.js';
import type { OidcTokens } from './tokens.js';

/** preferred_username, else email, else sub: what reads best in CloudTrail. Pure. */
export function sessionNameFromClaims(claims: JwtClaims | undefined): string {
  const pick = [claims?.preferred_username, claims?.email, claims?.sub].find(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  );
  return sanitizeSessionName(pick);
}

export interface ExchangeSettings {
  roleArn: string;
  tokenType: OidcTokenType;
  durationSeconds?: number | undefined;
  roleSessionName?: string | undefined;
  /** session policies for AssumeRoleWithWebIdentity, already read and checked */
  sessionPolicy?: SessionPolicy | undefined;
}

/** The chosen token (ID token by default) to AssumeRoleWithWebIdentity. */
export async function exchangeForCredentials(
  tokens: OidcTokens,
  settings: ExchangeSettings,
  deps: { sts: StsApi; logger: Logger },
): Promise<Credentials> {
  const role = parseRoleArn(settings.roleArn);
  const token = settings.tokenType === 'access' ? tokens.accessToken : tokens.idToken;
  if (!token) {
    throw usageError('OIDC_NO_ID_TOKEN', 'The identity provider returned no ID token.', {
      hint: 'Make sure the scope includes openid, or use --token-type access.',
    });
  }
  const claims = decodeJwtClaims(
    token,
    settings.tokenType === 'access' ? 'access token (STS needs a JWT access token)' : 'ID token',
  );
  const idClaims = tokens.idToken ? decodeJwtClaims(tokens.idToken, 'ID token') : claims;
  deps.logger.debug(`${settings.tokenType === 'access' ? 'access' : 'ID'} token: ${describeClaims(claims)}`);
  const roleSessionName = settings.roleSessionName
    ? sanitizeSessionName(settings.roleSessionName)
    : sessionNameFromClaims(idClaims);
  const credentials = await withDurationFallback(settings.durationSeconds, role.arn, deps.logger, (durationSeconds) =>
    deps.sts.assumeRoleWithWebIdentity(
      {
        roleArn: role.arn,
        roleSessionName,
        webIdentityToken: token,
        durationSeconds,
        sessionPolicy: settings.sessionPolicy,
      },
      { action: 'AssumeRoleWithWebIdentity', roleArn: role.arn, tokenClaims: claims },
    ),
  );
  deps.logger.addSecret(credentials.secretAccessKey);
  deps.logger.addSecret(credentials.sessionToken);
  return credentials;
}
