import { type PartitionName, partitionByName } from '../../aws/partition.js';
import { escapeControl } from '../../core/escapeControl.js';

/** One value of the AWS Role attribute: the role to assume and the SAML provider that vouches for it. */
export interface SamlRole {
  roleArn: string;
  principalArn: string;
  accountId: string;
  /** the role's name without its path */
  roleName: string;
  partition: PartitionName;
}

const ROLE = /^arn:([a-z-]+):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const PROVIDER = /^arn:([a-z-]+):iam::(\d{12}):saml-provider\/[\w.-]{1,128}$/;

/**
 * Parses "role-arn,provider-arn" in either order (IdPs disagree; AWS accepts both), telling the
 * two apart by `:saml-provider/`. Returns a reason instead of a role when the value is unusable.
 */
export function parseRoleValue(value: string): SamlRole | { problem: string } {
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length !== 2) {
    return {
      problem: `"${escapeControl(value)}" is not "role-arn,provider-arn" (${parts.length === 1 ? 'no provider ARN' : `${parts.length} parts`})`,
    };
  }
  const providerArn = parts.find((p) => p.includes(':saml-provider/'));
  const roleArn = parts.find((p) => p.includes(':role/'));
  if (!providerArn) return { problem: `"${escapeControl(value)}" has no saml-provider ARN` };
  if (!roleArn) return { problem: `"${escapeControl(value)}" has no role ARN` };
  const role = ROLE.exec(roleArn);
  const provider = PROVIDER.exec(providerArn);
  if (!role || !partitionByName(role[1]!)) return { problem: `"${escapeControl(roleArn)}" is not an IAM role ARN` };
  if (!provider) return { problem: `"${escapeControl(providerArn)}" is not a SAML provider ARN` };
  if (provider[1] !== role[1] || provider[2] !== role[2]) {
    return {
      problem: `role ${escapeControl(roleArn)} and provider ${escapeControl(providerArn)} are not in the same account and partition`,
    };
  }
  return {
    roleArn,
    principalArn: providerArn,
    accountId: role[2]!,
    roleName: role[3]!,
    partition: role[1] as PartitionName,
  };
}
