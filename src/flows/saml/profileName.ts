import { usageError } from '../../core/errors.js';
import type { SamlRole } from './samlRole.js';

export const DEFAULT_PROFILE_TEMPLATE = '{account}-{role}';
const FIELDS = ['account', 'account_id', 'role', 'partition'] as const;

/** Refuses a --profile-template with an unknown field (before anyone signs in). Pure. */
export function checkProfileTemplate(template: string): string {
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)]
    .map((m) => m[1]!)
    .filter((f) => !(FIELDS as readonly string[]).includes(f));
  if (unknown.length > 0) {
    throw usageError('PROFILE_TEMPLATE_INVALID', `--profile-template has unknown field {${unknown[0]}}.`, {
      hint: `Use ${FIELDS.map((f) => `{${f}}`).join(', ')}.`,
    });
  }
  return template;
}

/**
 * The profile name for one role of `--all-roles`: {account} (the alias when known, else the ID),
 * {account_id}, {role} (the role name without its path), {partition}. Pure.
 */
export function profileNameFor(template: string, role: SamlRole, aliases: ReadonlyMap<string, string>): string {
  checkProfileTemplate(template);
  const values: Record<(typeof FIELDS)[number], string> = {
    account: aliases.get(role.accountId) ?? role.accountId,
    account_id: role.accountId,
    role: role.roleName,
    partition: role.partition,
  };
  const name = template
    .replace(/\{(\w+)\}/g, (_, field: (typeof FIELDS)[number]) => values[field])
    .replace(/[^\w.@+-]+/g, '-');
  if (!name)
    throw usageError('PROFILE_TEMPLATE_INVALID', `--profile-template "${template}" gives an empty profile name.`);
  return name;
}
