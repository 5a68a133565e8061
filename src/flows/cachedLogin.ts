import { isFresh, storeChoice } from '../config/cachePolicy.js';
import { profileCacheKey } from '../config/profileCacheKey.js';
import type { ProfileSettings } from '../config/profileSettings.js';
import { ProfileValues, STORE_CHOICES } from '../config/profileValues.js';
import type { Credentials } from '../core/credentials.js';
import { usageError } from '../core/errors.js';
import { readCachedCredentials, writeCachedCredentials } from '../store/credentialCache.js';
import { lockPathFor, withLock } from '../store/lock.js';
import { openSecretStore } from '../store/openSecretStore.js';
import type { SecretStore } from '../store/secretStore.js';
import type { ProviderContext } from './provider.js';
import { providerFor } from './registry.js';

export interface CachedLoginOptions {
  /** skip the cache and log in again (fedlogin login) */
  force?: boolean;
  /** how long to wait for another process's refresh of the same profile */
  lockTimeoutMs?: number;
}

export interface CachedLoginResult {
  credentials: Credentials;
  fromCache: boolean;
  store: SecretStore['kind'];
}

export async function openProfileStore(
  profile: ProfileSettings | undefined,
  env: NodeJS.ProcessEnv,
): Promise<SecretStore> {
  if (env.FEDLOGIN_STORE && !(STORE_CHOICES as readonly string[]).includes(env.FEDLOGIN_STORE)) {
    throw usageError(
      'STORE_INVALID',
      `FEDLOGIN_STORE="${env.FEDLOGIN_STORE}" is not one of ${STORE_CHOICES.join(', ')}.`,
    );
  }
  if (profile) new ProfileValues(profile).choice('fedlogin_store', STORE_CHOICES);
  return openSecretStore({ choice: storeChoice(profile, env), env });
}

/**
 * The cache wrapped around a profile's flow (aws-vault's shape): a fresh cache entry is returned
 * as is; otherwise one process per profile, under a cross-process lock, logs in and fills the
 * cache, and the others, once they get the lock, find the entry it wrote (single flight).
 */
export async function cachedLogin(
  profile: ProfileSettings,
  context: ProviderContext,
  options: CachedLoginOptions = {},
): Promise<CachedLoginResult> {
  const { env, clock } = context;
  const values = new ProfileValues(profile);
  const flow = values.flow();
  if (!flow) {
    throw usageError(
      'PROFILE_NOT_FEDLOGIN',
      `${profile.file} [${profile.section}] has no fedlogin_flow, so fedlogin does not know how to log in for it.`,
      { hint: `Set it up with: fedlogin configure --profile ${profile.name}` },
    );
  }
  const key = profileCacheKey(profile, env, context.regionFlag);
  const store = await openProfileStore(profile, env);
  const cachedNow = async () => {
    const cached = options.force ? undefined : await readCachedCredentials(store, key);
    return isFresh(cached, profile, clock.now()) ? cached : undefined;
  };

  const early = await cachedNow();
  if (early) return { credentials: early, fromCache: true, store: store.kind };

  const provider = await providerFor(flow, values);
  return withLock(
    lockPathFor(env, key),
    async () => {
      const meanwhile = await cachedNow();
      if (meanwhile) return { credentials: meanwhile, fromCache: true, store: store.kind };
      context.logger.debug(`logging in for profile ${profile.name} with the ${flow} flow`);
      const credentials = await provider.login(context);
      await writeCachedCredentials(store, key, credentials);
      return { credentials, fromCache: false, store: store.kind };
    },
    { timeoutMs: options.lockTimeoutMs ?? 120_000 },
  );
}
