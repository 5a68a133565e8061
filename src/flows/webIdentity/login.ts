import { parseRoleArn } from '../../aws/arn.js';
import { withDurationFallback } from '../../aws/durationFallback.js';
import type { SessionPolicy } from '../../aws/sessionPolicy.js';
import type { StsApi } from '../../aws/stsClient.js';
import type { Clock } from '../../core/clock.js';
import type { Credentials } from '../../core/credentials.js';
import { refusedError, usageError } from '../../core/errors.js';
import { showValue } from '../../core/escapeControl.js';
import { decodeJwtClaims, describeClaims } from '../../core/jwtClaims.js';
import type { Logger } from '../../core/logger.js';
import { sanitizeSessionName } from '../../core/sessionName.js';
import { assumeRoleChain, placeSessionPolicy } from '../roleChain.js';
import { ciSessionNameParts } from './ciName.js';
import { resolveTokenSource } from './resolveTokenSource.js';
import type { TokenSourceDeps, TokenSourceSpec } from './tokenSource.js';

export interface WebIdentitySettings {
  roleArn: string;
  token: TokenSourceSpec;
  /** requested from CIs that mint tokens per audience; default: the partition's STS audience */
  audience?: string | undefined;
  roleSessionName?: string | undefined;
  durationSeconds?: number | undefined;
  /** AssumeRole hops after the first role, in order */
  chainRoleArns?: string[] | undefined;
  /** session policies, already read and checked: on the role, or on the last hop of a chain */
  sessionPolicy?: SessionPolicy | undefined;
}

export interface WebIdentityDeps {
  sts: StsApi;
  tokenSources: TokenSourceDeps;
  logger: Logger;
  clock: Clock;
}

/** STS's limit on WebIdentityToken. */
const MAX_TOKEN_LENGTH = 20_000;
/** Tokens that expired longer ago than this are refused here; closer calls are left to STS. */
const EXPIRY_GRACE_SECONDS = 300;

/**
 * Exchanges a CI's (or any) OIDC token for role credentials: AssumeRoleWithWebIdentity, then
 * optional AssumeRole hops. The token is fetched afresh on every call.
 */
export async function loginWithWebIdentity(settings: WebIdentitySettings, deps: WebIdentityDeps): Promise<Credentials> {
  const { logger } = deps;
  const role = parseRoleArn(settings.roleArn);
  const source = resolveTokenSource(settings.token, deps.tokenSources);
  const audience = settings.audience ?? role.partition.stsAudience;

  const token = (await source.getToken(audience)).trim();
  logger.addSecret(token);
  if (token.length > MAX_TOKEN_LENGTH) {
    throw usageError(
      'TOKEN_TOO_LONG',
      `The token from ${source.description} is ${token.length} characters; STS accepts at most ${MAX_TOKEN_LENGTH}.`,
    );
  }
  const claims = decodeJwtClaims(token, `token from ${source.description}`);
  logger.debug(`token from ${source.description}: ${describeClaims(claims)}`);

  const nowSeconds = deps.clock.now() / 1000;
  if (typeof claims.exp === 'number' && claims.exp + EXPIRY_GRACE_SECONDS < nowSeconds) {
    throw refusedError(
      'TOKEN_EXPIRED',
      `The token from ${source.description} expired at ${new Date(claims.exp * 1000).toISOString()} (${describeClaims(claims)}).`,
      { hint: 'Request a fresh token; CI tokens live for minutes, so fetch it right before fedlogin runs.' },
    );
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
  if (settings.audience && !source.audienceIsRequested && !audiences.includes(settings.audience)) {
    logger.notice(
      `The token's audience is ${audiences.map(showValue).join(' ') || '(none)'}, not ${settings.audience}: ${source.description} cannot request another audience, so the role must trust this one.`,
    );
  }

  const sessionName = sanitizeSessionName(
    settings.roleSessionName ??
      (source.ci ? ciSessionNameParts(source.ci, deps.tokenSources.env) : undefined) ??
      claims.sub,
  );
  const { firstCall, hops } = placeSessionPolicy(
    (settings.chainRoleArns ?? []).map((roleArn) => ({ roleArn })),
    { durationSeconds: settings.durationSeconds },
    settings.sessionPolicy,
  );
  const credentials = await withDurationFallback(settings.durationSeconds, role.arn, logger, (durationSeconds) =>
    deps.sts.assumeRoleWithWebIdentity(
      {
        roleArn: role.arn,
        roleSessionName: sessionName,
        webIdentityToken: token,
        durationSeconds,
        sessionPolicy: firstCall,
      },
      { action: 'AssumeRoleWithWebIdentity', roleArn: role.arn, tokenClaims: claims },
    ),
  );
  logger.addSecret(credentials.secretAccessKey);
  logger.addSecret(credentials.sessionToken);

  return assumeRoleChain(credentials, hops, deps, sessionName);
}
