import { isFresh } from '../config/cachePolicy.js';
import { profileCacheKey } from '../config/profileCacheKey.js';
import { openProfileStore } from '../flows/cachedLogin.js';
import { readCachedCredentials } from '../store/credentialCache.js';
import type { CliContext } from './context.js';
import { fedloginProfiles } from './fedloginProfiles.js';

/** What fedlogin status shows of a profile (and doctor checks): its flow, store and cached credentials, no secrets. */
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
    const state = !cached
      ? 'none'
      : cached.expiration.getTime() <= now
        ? 'expired'
        : isFresh(cached, profile, now)
          ? 'valid'
          : 'refresh-due';
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
