/**
 * Writing a set of profiles into ~/.aws/config that fedlogin keeps in step with what an identity
 * source grants: `sso sync` (per sso-session), `saml --all-roles` (per IdP URL) and
 * `oidc --all-roles` (per issuer and client). Every profile written carries a tag
 * (fedlogin_managed_by = <source>), and only profiles with that very tag are ever changed or
 * removed: a profile a person wrote, or another source's, is left alone even when its name is
 * wanted. Stale = tagged with this tag but no longer wanted (removed with --prune). Pure: plan
 * from the parsed file, apply to its text with the lossless editor (iniEdit), describe as a diff.
 */
import { getProfile, type IniDocument, listProfiles } from '../store/iniDocument.js';
import { removeSection, setKeys } from '../store/iniEdit.js';

/** The tag on every profile a sync writes: only these are ever changed or pruned by it. */
export const MANAGED_KEY = 'fedlogin_managed_by';

export interface WantedProfile {
  /** the profile name; '' when the naming gave none */
  name: string;
  /** the keys the sync owns in the profile, in the order written (the tag is added last) */
  keys: [string, string][];
  /** what the profile is for, in skip reasons ("Dev in 123456789012") */
  what: string;
}

export interface SyncProfile {
  name: string;
  /** the keys written, the tag last */
  keys: [string, string][];
  /** keys of the profile as it was that the sync owns and no longer wants: removed */
  drop: string[];
}

export interface SyncPlan {
  /** profiles to create or bring up to date (unchanged ones are left out) */
  write: { profile: SyncProfile; before: Record<string, string> | undefined }[];
  /** profiles with this tag that are no longer wanted, removed with --prune */
  stale: string[];
  /** wanted profiles left alone, and why (a person's profile of that name, a name already taken) */
  skipped: { name: string; reason: string }[];
  unchanged: string[];
}

export interface PlanOptions {
  /** the tag value, e.g. "sso-sync:corp" or "saml:https://idp.example.com/app" */
  tag: string;
  /** said when two wanted profiles get one name, e.g. "use a --template with {account_id}" */
  clashHint: string;
  /**
   * keys the sync owns beyond those it writes this time: when a tagged profile has one of them and
   * the sync no longer wants it (a setting left off this run), it is removed. Other keys a person
   * added to a tagged profile (output, cli_pager...) stay.
   */
  owns?: readonly string[];
}

/** What the sync will do to the config file. Pure. */
export function planProfiles(doc: IniDocument, wanted: readonly WantedProfile[], options: PlanOptions): SyncPlan {
  const { tag } = options;
  const plan: SyncPlan = { write: [], stale: [], skipped: [], unchanged: [] };
  const taken = new Set<string>();
  for (const want of wanted) {
    const { name } = want;
    if (!name || name === 'default') {
      plan.skipped.push({ name: name || '(empty)', reason: `the naming gives no usable name for ${want.what}` });
      continue;
    }
    if (taken.has(name)) {
      plan.skipped.push({
        name,
        reason: `another role already has this name (${want.what}); ${options.clashHint}`,
      });
      continue;
    }
    taken.add(name);
    const before = getProfile(doc, 'config', name);
    if (before && before[MANAGED_KEY] !== tag) {
      plan.skipped.push({
        name,
        reason: before[MANAGED_KEY]
          ? `a profile of this name was written by another sync (${before[MANAGED_KEY]})`
          : 'a profile of this name exists and was not written by fedlogin',
      });
      continue;
    }
    const keys: [string, string][] = [...want.keys.filter(([k]) => k !== MANAGED_KEY), [MANAGED_KEY, tag]];
    const written = new Set(keys.map(([k]) => k));
    const drop = before ? (options.owns ?? []).filter((k) => before[k] !== undefined && !written.has(k)) : [];
    const same = before && drop.length === 0 && keys.every(([k, v]) => before[k] === v);
    if (same) plan.unchanged.push(name);
    else plan.write.push({ profile: { name, keys, drop }, before });
  }
  for (const name of listProfiles(doc, 'config')) {
    if (!taken.has(name) && getProfile(doc, 'config', name)?.[MANAGED_KEY] === tag) plan.stale.push(name);
  }
  return plan;
}

/** The config text with the plan applied: only the planned keys and sections change. Pure. */
export function applyPlan(text: string, plan: SyncPlan, prune: boolean): string {
  let next = text;
  for (const { profile } of plan.write) {
    const updates: [string, string | undefined][] = [
      ...profile.keys,
      ...profile.drop.map((k) => [k, undefined] as [string, undefined]),
    ];
    next = setKeys(next, 'config', profile.name, updates);
  }
  if (prune) for (const name of plan.stale) next = removeSection(next, 'config', name);
  return next;
}

/**
 * The dry-run's diff: one block per profile, "+" for lines added, "-" for lines removed, "~" for a
 * profile changed. Not escaped: the caller escapes before printing. Pure.
 */
export function describePlan(plan: SyncPlan, prune: boolean): string {
  const lines: string[] = [];
  for (const { profile, before } of plan.write) {
    lines.push(`${before ? '~' : '+'} [profile ${profile.name}]`);
    for (const [k, v] of profile.keys) {
      if (before?.[k] === v) continue;
      if (before?.[k] !== undefined) lines.push(`-   ${k} = ${before[k]}`);
      lines.push(`+   ${k} = ${v}`);
    }
    for (const k of profile.drop) lines.push(`-   ${k} = ${before?.[k] ?? ''}`);
  }
  for (const name of plan.stale)
    lines.push(prune ? `- [profile ${name}]` : `  [profile ${name}] is no longer granted (--prune removes it)`);
  for (const s of plan.skipped) lines.push(`! [profile ${s.name}] left alone: ${s.reason}`);
  return lines.join('\n');
}

/** The counts a sync reports. */
export interface SyncSummary {
  written: number;
  removed: number;
  unchanged: number;
  /** stale profiles kept (no --prune) */
  stale: number;
  skipped: { name: string; reason: string }[];
  /** the names written or unchanged: the profiles that now carry the tag and are wanted */
  kept: string[];
}

export function summarize(plan: SyncPlan, prune: boolean): SyncSummary {
  return {
    written: plan.write.length,
    removed: prune ? plan.stale.length : 0,
    unchanged: plan.unchanged.length,
    stale: prune ? 0 : plan.stale.length,
    skipped: plan.skipped,
    kept: [...plan.write.map((w) => w.profile.name), ...plan.unchanged],
  };
}
