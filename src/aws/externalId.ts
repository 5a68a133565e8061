import { usageError } from '../core/errors.js';
import { plural } from '../core/plural.js';

/** STS's ExternalId: 2 to 1,224 characters of letters, digits and _+=,.@:/- (the AssumeRole API's pattern). */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/**
 * Checks an external ID before any call; `source` names where it came from. The value is not
 * echoed (it is a shared string between two AWS accounts): the message says what is wrong with it.
 */
export function parseExternalId(value: string, source: string): string {
  if (EXTERNAL_ID.test(value)) return value;
  const bad = [...value].find((c) => !/[\w+=,.@:/-]/.test(c));
  const problem =
    bad !== undefined
      ? `contains ${JSON.stringify(bad)}, which STS does not allow`
      : `is ${plural(value.length, 'character')} long`;
  throw usageError(
    'EXTERNAL_ID_INVALID',
    `${source} ${problem}: an external ID is 2 to 1224 characters of letters, digits and _+=,.@:/-.`,
  );
}
