import type { DurationRange } from '../core/duration.js';
import { isFedloginError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** What STS accepts as DurationSeconds (and the console's SessionDuration): 15 minutes to 12 hours. */
export const STS_SESSION_SECONDS: DurationRange = { min: 900, max: 43_200 };

/** STS's one-hour default, and the most any role is guaranteed to allow. */
export const SAFE_DURATION_SECONDS = 3600;

/**
 * Asks for the requested duration; when STS says it is above the role's MaxSessionDuration, asks
 * once more for one hour and says so, instead of failing a login over a preference.
 */
export async function withDurationFallback<T>(
  requested: number | undefined,
  /** the role asked for, named in the notice (`saml --all-roles` asks for several) */
  roleArn: string,
  logger: Logger,
  exchange: (durationSeconds: number | undefined) => Promise<T>,
): Promise<T> {
  try {
    return await exchange(requested);
  } catch (error) {
    const tooLong = isFedloginError(error) && error.code === 'STS_DURATION_TOO_LONG';
    if (!tooLong || requested === undefined || requested <= SAFE_DURATION_SECONDS) throw error;
    logger.notice(
      `The role ${roleArn} does not allow ${requested} s sessions (above its MaxSessionDuration); using ${SAFE_DURATION_SECONDS} s instead.`,
    );
    return exchange(SAFE_DURATION_SECONDS);
  }
}

/** Role chaining (AssumeRole from role credentials) is capped by AWS at one hour. */
export function chainedDuration(requested: number | undefined, logger: Logger, roleArn: string): number | undefined {
  if (requested === undefined || requested <= SAFE_DURATION_SECONDS) return requested;
  logger.notice(
    `Role chaining is limited to ${SAFE_DURATION_SECONDS} s by AWS; ${roleArn} gets ${SAFE_DURATION_SECONDS} s instead of ${requested} s.`,
  );
  return SAFE_DURATION_SECONDS;
}
