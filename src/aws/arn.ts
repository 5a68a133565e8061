import { usageError } from '../core/errors.js';
import { type Partition, partitionByName } from './partition.js';

export interface RoleArn {
  arn: string;
  partition: Partition;
  accountId: string;
  /** the role's name without its path */
  roleName: string;
}

const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;

/** Parses and validates an IAM role ARN; `source` names where it came from for the error line. */
export function parseRoleArn(value: string, source = '--role-arn'): RoleArn {
  const match = ROLE_ARN.exec(value.trim());
  const partition = match ? partitionByName(match[1]!) : undefined;
  if (!match || !partition) {
    throw usageError('ROLE_ARN_INVALID', `${source} is not an IAM role ARN: "${value}".`, {
      hint: 'Expected arn:PARTITION:iam::ACCOUNT_ID:role/NAME, for example arn:aws:iam::123456789012:role/ci.',
    });
  }
  return { arn: value.trim(), partition, accountId: match[2]!, roleName: match[4]! };
}
