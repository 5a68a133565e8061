import { type Check, fail, ok, warn } from './check.js';

const SKEW_WARN_MS = 60_000;
const SKEW_FAIL_MS = 5 * 60_000;

/**
 * The server's clock minus ours, from an HTTP Date header (whole seconds): compared with the middle
 * of the request, and with the half second the header drops added back. Pure.
 */
export function skewFromDate(dateHeader: string, sentAt: number, receivedAt: number): number | undefined {
  const server = Date.parse(dateHeader);
  if (Number.isNaN(server)) return undefined;
  return server + 500 - (sentAt + receivedAt) / 2;
}

const minutes = (ms: number) => `${(Math.abs(ms) / 60_000).toFixed(1)} min`;

/** > 5 minutes fails (STS refuses signatures, tokens and assertions), > 1 minute warns. Pure. */
export function clockSkewCheck(skewMs: number, against: string, profile?: string): Check {
  const how = skewMs > 0 ? 'behind' : 'ahead of';
  const said = `This machine's clock is ${minutes(skewMs)} ${how} ${against}`;
  const fix =
    'Sync the clock: enable NTP (timedatectl set-ntp true; macOS: Date & Time > Set automatically; Windows: w32tm /resync).';
  if (Math.abs(skewMs) > SKEW_FAIL_MS)
    return fail(
      'clock-skew',
      `${said}: more than 5 minutes, so STS will refuse requests, tokens and assertions.`,
      fix,
      profile,
    );
  if (Math.abs(skewMs) > SKEW_WARN_MS)
    return warn('clock-skew', `${said}: tokens and assertions may be refused near their expiry.`, fix, profile);
  return ok('clock-skew', `Clock agrees with ${against} (within ${minutes(skewMs)}).`, profile);
}
