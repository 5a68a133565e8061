import { profileCacheKey } from '../config/profileCacheKey.js';
import { loadProfile } from '../config/profileSettings.js';
import type { Credentials } from '../core/credentials.js';
import { FedloginError } from '../core/errors.js';
import { escapeControl } from '../core/escapeControl.js';
import { plural } from '../core/plural.js';
import { openProfileStore } from '../flows/cachedLogin.js';
import {
  applyPlan,
  describePlan,
  type PlanOptions,
  planProfiles,
  type SyncSummary,
  summarize,
  type WantedProfile,
} from '../flows/profileSync.js';
import { readAwsFile } from '../store/awsFileRead.js';
import { configFilePath, updateAwsFile } from '../store/awsFiles.js';
import { writeCachedCredentials } from '../store/credentialCache.js';
import { parseIniDocument } from '../store/iniDocument.js';
import type { CliContext } from './context.js';

export interface SyncRun extends PlanOptions {
  prune: boolean;
  dryRun: boolean;
  /** who granted, for the summary line: "corp", "https://idp.example.com/app" */
  label: string;
  /** "roles granted" */
  count: number;
}

/**
 * The one I/O side of a profile sync (sso sync, saml --all-roles, oidc --all-roles): --dry-run
 * prints the diff (escaped) and writes nothing; else the config file is edited under its lock
 * (planned again on the text read under the lock), and the skips and a summary go to stderr.
 * Returns the summary, or undefined for a dry run.
 */
export async function syncProfiles(
  wanted: readonly WantedProfile[],
  run: SyncRun,
  context: CliContext,
): Promise<SyncSummary | undefined> {
  const file = configFilePath(context.env);
  if (run.dryRun) {
    const plan = planProfiles(readAwsFile(file), wanted, run);
    const diff = describePlan(plan, run.prune);
    // one line per change, each line escaped (a name or value from the IdP may carry control characters)
    context.stdout(diff ? `${diff.split('\n').map(escapeControl).join('\n')}\n` : '');
    context.logger.notice(
      `Dry run: ${run.count} roles granted; ${plan.write.length} profiles would be written, ${run.prune ? plan.stale.length : 0} removed, ${plan.unchanged.length} unchanged; nothing was written.`,
    );
    return undefined;
  }
  let summary: SyncSummary | undefined;
  await updateAwsFile(
    file,
    'config',
    (text) => {
      const plan = planProfiles(parseIniDocument(text), wanted, run);
      summary = summarize(plan, run.prune);
      return applyPlan(text, plan, run.prune);
    },
    { env: context.env },
  );
  const done = summary!;
  for (const s of done.skipped)
    context.logger.notice(`[profile ${escapeControl(s.name)}] left alone: ${escapeControl(s.reason)}.`);
  context.logger.notice(
    `${escapeControl(run.label)}: ${run.count} roles granted; ${done.written} profiles written, ${done.removed} removed, ${done.unchanged} unchanged in ${file}.${done.stale ? ` ${done.stale} no longer granted (--prune removes them).` : ''}`,
  );
  return done;
}

/**
 * Puts credentials into the cache entry profile `name` (as now written) reads from: the key of
 * config/profileCacheKey.ts, in the profile's store, so its first credential-process is a hit.
 */
export async function fillProfileCache(name: string, credentials: Credentials, env: NodeJS.ProcessEnv): Promise<void> {
  const profile = loadProfile(env, name);
  if (!profile) return;
  const store = await openProfileStore(profile, env);
  await writeCachedCredentials(store, profileCacheKey(profile, env), credentials);
}

/** The roles STS refused, after the others were written: one error, with the first reason. */
export function throwRoleFailures(failures: readonly FedloginError[], roles: number): void {
  if (failures.length === 0) return;
  const first = failures[0]!;
  throw new FedloginError(
    first.code,
    `${failures.length} of ${plural(roles, 'role')} could not be assumed; the first: ${first.message}`,
    { kind: first.kind, hint: first.hint, cause: first },
  );
}
