import { parseRoleArn, type RoleArn } from '../../aws/arn.js';
import { usageError } from '../../core/errors.js';

/**
 * `--role-arns` / fedlogin_role_arns: IAM role ARNs separated by commas, blanks or line breaks,
 * each validated (aws/arn.ts), duplicates dropped, in the order given; at least one, one
 * partition (one STS endpoint serves them all). Pure.
 */
export function parseRoleArnList(value: string, source: string): RoleArn[] {
  const roles: RoleArn[] = [];
  for (const item of value.split(/[\s,]+/).filter(Boolean)) {
    const role = parseRoleArn(item, source);
    if (!roles.some((r) => r.arn === role.arn)) roles.push(role);
  }
  if (roles.length === 0)
    throw usageError('ROLE_ARN_MISSING', `${source} lists no role.`, {
      hint: 'Example: arn:aws:iam::123456789012:role/dev,arn:aws:iam::210987654321:role/ops',
    });
  const other = roles.find((r) => r.partition.name !== roles[0]!.partition.name);
  if (other)
    throw usageError(
      'OPTION_CONFLICT',
      `${source} mixes partitions (${roles[0]!.partition.name} and ${other.partition.name}); list one partition's roles per profile.`,
    );
  return roles;
}
