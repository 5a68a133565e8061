import { usageError } from '../core/errors.js';

/** Repeatable options collect into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function parseChoice<T extends string>(value: string, choices: readonly T[], flag: string): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw usageError('OPTION_INVALID', `${flag} must be one of ${choices.join(', ')}; got "${value}".`);
}
