import { internalError } from '../core/errors.js';

/**
 * Timestamps as credential consumers want them: RFC 3339 in UTC, whole seconds
 * (`2026-01-01T12:00:00Z`). The Go SDK (and so Terraform) parses Expiration with time.RFC3339,
 * which is the strictest reader, so that is the shape both written and accepted here.
 */
export function formatRfc3339Seconds(date: Date): string {
  const ms = date.getTime();
  // Four-digit years only: toISOString writes +275760-... for far dates, which is not RFC 3339.
  if (Number.isNaN(ms) || date.getUTCFullYear() < 0 || date.getUTCFullYear() > 9999) {
    throw internalError('EXPIRATION_INVALID', 'The credentials carry an invalid expiration time.');
  }
  // Dropping the milliseconds rounds down, so the written expiry is never later than the real one.
  // Built from the UTC fields, not toISOString: its first call in a process costs about a
  // millisecond, and this runs once on every credential-process cache hit (bench/).
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  return `${year}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}Z`;
}

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an RFC 3339 date-time (any offset, optional fraction of a second). Returns undefined for
 * anything else, including dates that do not exist (Feb 30, 24:00) which Date.parse would accept,
 * and leap seconds (:60), which Go's parser rejects.
 */
export function parseRfc3339(text: string): Date | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return new Date(date.getTime() - offsetMinutes * 60_000);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
