import { usageError } from '../../core/errors.js';
import type { SamlRole } from './samlRole.js';

/** "arn (alias)" lines grouped by account, for error messages. Pure. */
export function describeRoles(roles: readonly SamlRole[], aliases: ReadonlyMap<string, string>): string {
  return roles
    .map((r) => `  ${r.roleArn}${aliases.has(r.accountId) ? `  (${aliases.get(r.accountId)})` : ''}`)
    .join('\n');
}

/**
 * The role to assume without asking: the one named (which must be in the assertion), or the only
 * one. Undefined means a person has to choose. Pure.
 */
export function pickRole(
  roles: readonly SamlRole[],
  wanted: string | undefined,
  aliases: ReadonlyMap<string, string>,
): SamlRole | undefined {
  if (wanted) {
    const found = roles.find((r) => r.roleArn === wanted.trim());
    if (found) return found;
    throw usageError(
      'SAML_ROLE_NOT_GRANTED',
      `The SAML assertion does not grant ${wanted}; it grants:\n${describeRoles(roles, aliases)}`,
      { hint: 'Pass one of these with --role-arn (or fedlogin_role_arn), or ask your IdP administrator for access.' },
    );
  }
  return roles.length === 1 ? roles[0] : undefined;
}

/** With no terminal to ask on: the error that lists the choices. */
export function roleChoiceNeeded(roles: readonly SamlRole[], aliases: ReadonlyMap<string, string>): Error {
  return usageError(
    'SAML_ROLE_CHOICE_NEEDED',
    `The SAML assertion grants ${roles.length} roles and there is no terminal to ask which one; choose with --role-arn:\n${describeRoles(roles, aliases)}`,
    { hint: 'Or pass --all-roles to write a profile for each of them to ~/.aws/credentials.' },
  );
}

/** Roles sorted for display: by account name (alias, else ID), then role name. */
export function groupRolesByAccount(
  roles: readonly SamlRole[],
  aliases: ReadonlyMap<string, string>,
): [account: string, roles: SamlRole[]][] {
  const groups = new Map<string, SamlRole[]>();
  for (const role of roles) {
    const label = aliases.has(role.accountId) ? `${aliases.get(role.accountId)} (${role.accountId})` : role.accountId;
    groups.set(label, [...(groups.get(label) ?? []), role]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, list]) => [label, list.sort((a, b) => a.roleName.localeCompare(b.roleName))]);
}
