/**
 * The one grammar for lengths of time, in every flag (--duration, --timeout, --silent-timeout)
 * and every profile key (fedlogin_duration, fedlogin_timeout, fedlogin_login_timeout, ...):
 * whole seconds (`900`), or hours, minutes and seconds in that order, each at most once
 * (`90s`, `15m`, `1h`, `1h30m`, `1h30m15s`). Case and spaces between the parts do not matter.
 * Pure; the parser itself imports nothing, as it runs on credential-process's cache hit too.
 */
import { type ErrorCodeOf, usageError } from './errors.js';

/** How help texts and error messages describe the grammar. */
export const DURATION_GRAMMAR = '900 (seconds), 90s, 15m, 1h or 1h30m';

const UNITS = /^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?$/;

/** The length in whole seconds, or undefined when the text does not follow the grammar. */
export function parseDuration(value: string): number | undefined {
  const text = value.trim().toLowerCase();
  if (/^\d+$/.test(text)) return safe(Number(text));
  const match = text === '' ? null : UNITS.exec(text);
  if (!match) return undefined;
  const [, h, m, s] = match;
  return safe(Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0));
}

const safe = (seconds: number) => (Number.isSafeInteger(seconds) ? seconds : undefined);

/** 900 -> "15m", 5400 -> "1h30m", 90 -> "1m30s", 0 -> "0s": the shortest text parseDuration reads back. */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const text = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
  return text || '0s';
}

export interface DurationRange {
  /** seconds, inclusive */
  min: number;
  /** seconds, inclusive */
  max: number;
}

const seconds = (n: number) => `${n} second${n === 1 ? '' : 's'}`;

/**
 * The length in seconds when it follows the grammar and lies in the range; otherwise what is
 * wrong (the range and the grammar, without the origin) for the caller's own error.
 */
export function durationInRange(value: string, range: DurationRange): { seconds: number } | { problem: string } {
  const parsed = parseDuration(value);
  if (parsed !== undefined && parsed >= range.min && parsed <= range.max) return { seconds: parsed };
  return {
    problem: `must be between ${seconds(range.min)} (${formatDuration(range.min)}) and ${seconds(range.max)} (${formatDuration(range.max)}), written as ${DURATION_GRAMMAR}; got "${value}"`,
  };
}

/** durationInRange for a flag or variable: a usage error naming it (`origin`) otherwise. */
export function requireDuration(
  value: string,
  range: DurationRange,
  origin: string,
  code: ErrorCodeOf<'usage'> = 'DURATION_INVALID',
): number {
  const result = durationInRange(value, range);
  if ('seconds' in result) return result.seconds;
  throw usageError(code, `${origin} ${result.problem}.`);
}
