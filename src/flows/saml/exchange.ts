import { withDurationFallback } from '../../aws/durationFallback.js';
import type { SessionPolicy } from '../../aws/sessionPolicy.js';
import type { StsApi } from '../../aws/stsClient.js';
import type { Credentials } from '../../core/credentials.js';
import type { Logger } from '../../core/logger.js';
import type { SamlAssertionInfo } from './parseAssertion.js';
import type { SamlRole } from './samlRole.js';

/**
 * The duration to ask for: --duration, capped by the assertion's SessionDuration (the IdP's limit);
 * without --duration, the SessionDuration; else STS's default. Pure apart from the notice.
 */
export function samlDuration(
  requested: number | undefined,
  info: SamlAssertionInfo,
  logger: Logger,
): number | undefined {
  const limit = info.sessionDuration;
  if (requested === undefined) return limit;
  if (limit !== undefined && requested > limit) {
    logger.notice(`The IdP allows ${limit} s sessions (SessionDuration); using ${limit} s instead of ${requested} s.`);
    return limit;
  }
  return requested;
}

/** AssumeRoleWithSAML for one role; a duration above the role's maximum is retried once with 3600 s. */
export async function exchangeAssertion(
  sts: StsApi,
  role: SamlRole,
  samlResponse: string,
  durationSeconds: number | undefined,
  logger: Logger,
  sessionPolicy?: SessionPolicy | undefined,
): Promise<Credentials> {
  const credentials = await withDurationFallback(durationSeconds, role.roleArn, logger, (duration) =>
    sts.assumeRoleWithSaml(
      {
        roleArn: role.roleArn,
        principalArn: role.principalArn,
        samlAssertion: samlResponse,
        durationSeconds: duration,
        sessionPolicy,
      },
      { action: 'AssumeRoleWithSAML', roleArn: role.roleArn },
    ),
  );
  logger.addSecret(credentials.secretAccessKey);
  logger.addSecret(credentials.sessionToken);
  return { ...credentials, accountId: role.accountId };
}
