import type { Credentials } from '../core/credentials.js';
import { type DurationRange, parseDuration } from '../core/duration.js';
import type { ProfileSettings } from './profileSettings.js';
import { STORE_CHOICES, type StoreChoice } from './profileValues.js';

/** botocore's advisory refresh window: hand out credentials with more than 15 minutes left. */
export const DEFAULT_REFRESH_WINDOW_SECONDS = 15 * 60;
/** fedlogin_refresh_window, as doctor checks it (this module's reading is lenient). */
export const REFRESH_WINDOW_SECONDS: DurationRange = { min: 0, max: 43_200 };
const DEFAULT_DURATION_SECONDS = 3600;

const seconds = (value: string | undefined) => (value === undefined ? undefined : parseDuration(value));

/**
 * How long before expiry cached credentials count as stale: fedlogin_refresh_window (default
 * 15 minutes), but never more than half the session's length, so that short sessions are still
 * served from the cache for a while. The length is the credentials' own (expiry minus when they
 * were obtained) when the cache knows it, else fedlogin_duration (default one hour): Cognito and
 * some STS stand-ins hand out shorter sessions than asked. Lenient on purpose: it runs on the fast
 * path, and bad values are reported by validation on the refresh path.
 */
export function refreshWindowMs(
  profile: ProfileSettings,
  credentials?: Pick<Credentials, 'expiration' | 'obtainedAt'>,
): number {
  const window = seconds(profile.values.fedlogin_refresh_window) ?? DEFAULT_REFRESH_WINDOW_SECONDS;
  const lifetime = credentials?.obtainedAt
    ? (credentials.expiration.getTime() - credentials.obtainedAt.getTime()) / 1000
    : undefined;
  const duration =
    lifetime !== undefined && lifetime > 0
      ? lifetime
      : (seconds(profile.values.fedlogin_duration) ?? DEFAULT_DURATION_SECONDS);
  return Math.min(window, duration / 2) * 1000;
}

export function isFresh(
  credentials: Credentials | undefined,
  profile: ProfileSettings,
  now: number,
): credentials is Credentials {
  return credentials !== undefined && credentials.expiration.getTime() - now > refreshWindowMs(profile, credentials);
}

/** FEDLOGIN_STORE > fedlogin_store > auto. */
export function storeChoice(profile: ProfileSettings | undefined, env: NodeJS.ProcessEnv): StoreChoice {
  const value = (env.FEDLOGIN_STORE || profile?.values.fedlogin_store || 'auto').trim();
  return (STORE_CHOICES as readonly string[]).includes(value) ? (value as StoreChoice) : 'auto';
}
