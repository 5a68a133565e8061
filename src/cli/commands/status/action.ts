import { isFresh } from '../../config/cachePolicy.js';
import { profileCacheKey } from '../../config/profileCacheKey.js';
import { usageError } from '../../core/errors.js';
import { openProfileStore } from '../../flows/cachedLogin.js';
import { readCachedCredentials } from '../../store/credentialCache.js';
import type { CliContext } from '../context.js';
import { warnShadowedProfiles } from '../shadowWarning.js';
import { fedloginProfiles } from './fedloginProfiles.js';

export interface ProfileStatus {
  profile: string;
  flow: string | null;
  role: string | null;
  store: string;
  state: 'valid' | 'refresh-due' | 'expired' | 'none';
  expiration: string | null;
}

export async function profileStatuses(context: CliContext): Promise<ProfileStatus[]> {
  const now = Date.now();
  const statuses: ProfileStatus[] = [];
  for (const profile of fedloginProfiles(context.env, context.profile)) {
    const store = await openProfileStore(profile, context.env);
    const cached = await readCachedCredentials(store, profileCacheKey(profile, context.env, context.region));
    const state = !cached ? 'none' : cached.expiration.getTime() <= now ? 'expired' : isFresh(cached, profile, now) ? 'valid' : 'refresh-due';
    statuses.push({
      profile: profile.name,
      flow: profile.values.fedlogin_flow ?? null,
      role: profile.values.fedlogin_role_arn ?? null,
      store: store.kind,
      state,
      expiration: cached ? cached.expiration.toISOString() : null,
    });
  }
  return statuses;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

export async function runStatus(options: { json?: boolean }, context: CliContext): Promise<void> {
  const statuses = await profileStatuses(context);
  if (context.profile && statuses.length === 0) {
    throw usageError('PROFILE_NOT_FOUND', `No profile "${context.profile}" in the AWS config file.`, `Create it with: fedlogin configure --profile ${context.profile}`);
  }
  if (options.json) {
    context.stdout(JSON.stringify({ profiles: statuses }, null, 2) + '\n');
  } else if (statuses.length === 0) {
    context.logger.notice('No fedlogin profiles yet. Create one with: fedlogin configure --profile NAME');
  } else {
    context.stdout(
      table([
        ['PROFILE', 'FLOW', 'STORE', 'STATE', 'EXPIRES', 'ROLE'],
        ...statuses.map((s) => [s.profile, s.flow ?? '-', s.store, s.state, s.expiration ?? '-', s.role ?? '-']),
      ]),
    );
  }
  warnShadowedProfiles(context);
}
