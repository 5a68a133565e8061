import { usageError } from '../../core/errors.js';
import { getProfile, type IniDocument, listProfiles } from '../../store/iniDocument.js';
import { removeSection, setKeys } from '../../store/iniEdit.js';

/** The tag on every profile sso sync writes: only these are ever changed or pruned by it. */
export const MANAGED_KEY = 'fedlogin_managed_by';
export const DEFAULT_SYNC_TEMPLATE = '{account_name}-{role_name}';
const PLACEHOLDERS = ['account_name', 'account_id', 'role_name', 'session'] as const;

export interface SsoGrant {
  accountId: string;
  accountName: string;
  roleName: string;
}

export interface SyncProfile {
  name: string;
  /** the keys sync owns in the profile, in the order written */
  keys: [string, string][];
}

export interface SyncPlan {
  /** profiles to create or bring up to date (unchanged ones are left out) */
  write: { profile: SyncProfile; before: Record<string, string> | undefined }[];
  /** managed profiles of this session that are no longer granted, removed with --prune */
  stale: string[];
  /** granted roles left alone, and why (a person's profile of that name, a name already taken) */
  skipped: { name: string; reason: string }[];
  unchanged: string[];
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
  const tag = managedTag(options.session);
  const plan: SyncPlan = { write: [], stale: [], skipped: [], unchanged: [] };
  const wanted = new Set<string>();
  for (const grant of grants) {
    const name = profileNameFor(options.template, grant, options.session);
    if (!name || name === 'default') {
      plan.skipped.push({
        name: name || '(empty)',
        reason: `the template gives no usable name for ${grant.roleName} in ${grant.accountId}`,
      });
      continue;
    }
    if (wanted.has(name)) {
      plan.skipped.push({
        name,
        reason: `another granted role already has this name (${grant.roleName} in ${grant.accountId}); use a --template with {account_id}`,
      });
      continue;
    }
    const before = getProfile(doc, 'config', name);
    if (before && before[MANAGED_KEY] !== tag) {
      plan.skipped.push({ name, reason: 'a profile of this name exists and was not written by this sync' });
      continue;
    }
    wanted.add(name);
    const keys: [string, string][] = [
      ['sso_session', options.session],
      ['sso_account_id', grant.accountId],
      ['sso_role_name', grant.roleName],
      ...(options.region ? ([['region', options.region]] as [string, string][]) : []),
      [MANAGED_KEY, tag],
    ];
    const same = before && keys.every(([k, v]) => before[k] === v);
    if (same) plan.unchanged.push(name);
    else plan.write.push({ profile: { name, keys }, before });
  }
  for (const name of listProfiles(doc, 'config')) {
    if (!wanted.has(name) && getProfile(doc, 'config', name)?.[MANAGED_KEY] === tag) plan.stale.push(name);
  }
  return plan;
}

/** The config text with the plan applied: only the planned keys and sections change. Pure. */
export function applySync(text: string, plan: SyncPlan, prune: boolean): string {
  let next = text;
  for (const { profile } of plan.write) next = setKeys(next, 'config', profile.name, profile.keys);
  if (prune) for (const name of plan.stale) next = removeSection(next, 'config', name);
  return next;
}

/** The dry-run's diff: one block per profile, "+" for lines added, "-" for lines removed. Pure. */
export function describePlan(plan: SyncPlan, prune: boolean): string {
  const lines: string[] = [];
  for (const { profile, before } of plan.write) {
    lines.push(`${before ? '~' : '+'} [profile ${profile.name}]`);
    for (const [k, v] of profile.keys) {
      if (before?.[k] === v) continue;
      if (before?.[k] !== undefined) lines.push(`-   ${k} = ${before[k]}`);
      lines.push(`+   ${k} = ${v}`);
    }
  }
  for (const name of plan.stale)
    lines.push(prune ? `- [profile ${name}]` : `  [profile ${name}] is no longer granted (--prune removes it)`);
  for (const s of plan.skipped) lines.push(`! [profile ${s.name}] left alone: ${s.reason}`);
  return lines.join('\n');
}
