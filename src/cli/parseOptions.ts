import { usageError } from '../core/errors.js';

/** --duration: seconds, or with a unit (15m, 1h, 12h). STS accepts 900-43200 s. */
export function parseDuration(value: string, flag = '--duration'): number {
  const match = /^(\d+)\s*(s|m|h)?$/i.exec(value.trim());
  const seconds = match ? Number(match[1]) * ({ s: 1, m: 60, h: 3600 }[(match[2] ?? 's').toLowerCase() as 's' | 'm' | 'h']) : NaN;
  if (!Number.isInteger(seconds) || seconds < 900 || seconds > 43_200) {
    throw usageError('DURATION_INVALID', `${flag} must be between 900 seconds (15m) and 43200 seconds (12h); got "${value}".`);
  }
  return seconds;
}

/** Repeatable options collect into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function parseChoice<T extends string>(value: string, choices: readonly T[], flag: string): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw usageError('OPTION_INVALID', `${flag} must be one of ${choices.join(', ')}; got "${value}".`);
}
