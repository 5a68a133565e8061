import { usageError } from '../../core/errors.js';
import type { IniDocument } from '../../store/iniDocument.js';
import {
  applyPlan,
  describePlan,
  MANAGED_KEY,
  type PlanOptions,
  planProfiles,
  type SyncPlan,
  type WantedProfile,
} from '../profileSync.js';

export type { SyncPlan };
export const DEFAULT_SYNC_TEMPLATE = '{account_name}-{role_name}';
const PLACEHOLDERS = ['account_name', 'account_id', 'role_name', 'session'] as const;

export interface SsoGrant {
  accountId: string;
  accountName: string;
  roleName: string;
}

/** "sso-sync:NAME": the tag value of one session's profiles. */
export const managedTag = (session: string) => `sso-sync:${session}`;

/** Checks a template: only known placeholders, and at least the role and an account. */
export function checkTemplate(template: string): string {
  const used = [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);
  const unknown = used.filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
  if (unknown.length > 0 || !used.includes('role_name') || !used.some((p) => p.startsWith('account_'))) {
    throw usageError(
      'SSO_SYNC_TEMPLATE_INVALID',
      `--template "${template}" must use {role_name} and {account_name} or {account_id}${unknown.length ? `; unknown: {${unknown.join('}, {')}}` : ''}.`,
      { hint: `Placeholders: {${PLACEHOLDERS.join('}, {')}}. Default: ${DEFAULT_SYNC_TEMPLATE}` },
    );
  }
  return template;
}

/** A profile name from the template: anything outside A-Z a-z 0-9 . _ - becomes "-", runs of "-" fold. Pure. */
export function profileNameFor(template: string, grant: SsoGrant, session: string): string {
  const values: Record<string, string> = {
    account_name: grant.accountName,
    account_id: grant.accountId,
    role_name: grant.roleName,
    session,
  };
  return template
    .replace(/\{([a-z_]+)\}/g, (_, p: string) => values[p] ?? '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|-+$/g, '');
}

/** The profiles sso sync wants: one per granted role, named from the template. Pure. */
export function wantedSsoProfiles(
  grants: SsoGrant[],
  options: { session: string; template: string; region?: string | undefined },
): WantedProfile[] {
  return grants.map((grant) => ({
    name: profileNameFor(options.template, grant, options.session),
    what: `${grant.roleName} in ${grant.accountId}`,
    keys: [
      ['sso_session', options.session],
      ['sso_account_id', grant.accountId],
      ['sso_role_name', grant.roleName],
      ...(options.region ? ([['region', options.region]] as [string, string][]) : []),
    ],
  }));
}

/** How sso sync's profiles are planned (profileSync.ts): its tag, and what to say on a name clash. */
export const ssoPlanOptions = (session: string): PlanOptions => ({
  tag: managedTag(session),
  clashHint: 'use a --template with {account_id}',
});

/**
 * What `fedlogin sso sync` will do to the config file. Pure. A profile is written only when it is
 * new or already carries this session's tag; a profile a person wrote (no tag, or another
 * session's) is never touched, even when the template gives its name.
 */
export function planSync(
  doc: IniDocument,
  grants: SsoGrant[],
  options: { session: string; template: string; region?: string | undefined },
): SyncPlan {
  return planProfiles(doc, wantedSsoProfiles(grants, options), ssoPlanOptions(options.session));
}

/** The config text with the plan applied: only the planned keys and sections change. Pure. */
export const applySync = applyPlan;
export { describePlan, MANAGED_KEY };
