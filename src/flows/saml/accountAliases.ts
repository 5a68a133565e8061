import { usageError } from '../../core/errors.js';

/** `123456789012=prod,210987654321=dev` (commas or spaces between pairs) -> account ID -> name. Pure. */
export function parseAccountAliases(
  value: string | undefined,
  source = 'fedlogin_account_aliases',
): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const pair of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
    const match = /^(\d{12})=([\w.@+-]+)$/.exec(pair);
    if (!match) {
      throw usageError('ACCOUNT_ALIASES_INVALID', `${source}: "${pair}" is not ACCOUNT_ID=NAME.`, {
        hint: 'Example: 123456789012=prod,210987654321=dev',
      });
    }
    aliases.set(match[1]!, match[2]!);
  }
  return aliases;
}
