import type { SessionPolicy } from '../aws/sessionPolicy.js';
import { isFresh, storeChoice } from '../config/cachePolicy.js';
import { profileCacheKey } from '../config/profileCacheKey.js';
import type { ProfileSettings } from '../config/profileSettings.js';
import { ProfileValues, STORE_CHOICES } from '../config/profileValues.js';
import type { Credentials } from '../core/credentials.js';
import { usageError } from '../core/errors.js';
import { collectCacheLeftovers } from '../store/cacheLeftovers.js';
import { cacheKey, readCachedCredentials, writeCachedCredentials } from '../store/credentialCache.js';
import { lockPathFor, withLock } from '../store/lock.js';
import { openSecretStore } from '../store/openSecretStore.js';
import type { SecretStore } from '../store/secretStore.js';
import { chainSts, loginPlan, planHops } from './profileChain.js';
import type { ProviderContext } from './provider.js';
import { providerFor } from './registry.js';
import { assumeRoleChain } from './roleChain.js';

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

/** The cache key of a chained profile's flow credentials, before its fedlogin_chain_role_arn hops. */
export const flowStepKey = (profileKey: string) => cacheKey({ flowStepOf: profileKey });

export interface ChainedLoginOptions extends CachedLoginOptions {
  /** the profiles that led here through source_profile (outermost first): cycles and depth are refused */
  chainPath?: readonly string[];
  /**
   * A direct command's fresh sign-in (fedlogin saml|oidc|cognito|web-identity --profile X): the
   * credentials of the chain's flow, standing in for its provider. Every step from them to the
   * profile is renewed (nothing is read from the cache).
   */
  signedIn?: Credentials;
  /** false: nothing is read from or written to the cache (flags changed what the profile means) */
  cache?: boolean;
  /** replaces the profile's session policy on its last hop (a direct command's --policy-arn/--policy-file) */
  sessionPolicy?: SessionPolicy;
}

/**
 * The cache wrapped around a profile's flow (aws-vault's shape): a fresh cache entry is returned
 * as is; otherwise one process per profile, under a cross-process lock, logs in and fills the
 * cache, and the others, once they get the lock, find the entry it wrote (single flight).
 *
 * Chains (src/flows/profileChain.ts) cache every hop: a source_profile's credentials are cached as
 * that profile's own (this function, recursively), a flow's credentials before its
 * fedlogin_chain_role_arn hops under a key of their own, and the last hop under the profile's key.
 * --force (fedlogin login) renews the profile's own hops, not a fresh source profile.
 */
export async function cachedLogin(
  profile: ProfileSettings,
  context: ProviderContext,
  options: ChainedLoginOptions = {},
): Promise<CachedLoginResult> {
  const { env } = context;
  const plan = loginPlan(profile, env, options.chainPath ?? []);
  const key = profileCacheKey(profile, env, context.regionFlag);
  const store = await openProfileStore(profile, env);
  const cached = (cacheKeyOf: string, produce: () => Promise<Credentials>) =>
    cachedStep({ store, key: cacheKeyOf, profile, context, options }, produce);

  const flowLogin = async () => {
    if (plan.kind !== 'flow') throw new Error('not a flow profile');
    if (options.signedIn) return options.signedIn;
    const provider = await providerFor(plan.flow, new ProfileValues(profile));
    context.logger.debug(`logging in for profile ${profile.name} with the ${plan.flow} flow`);
    return provider.login(context);
  };
  if (plan.kind === 'flow' && plan.chainHops.length === 0) return cached(key, flowLogin);

  return cached(key, async () => {
    const source =
      plan.kind === 'flow'
        ? (await cached(flowStepKey(key), flowLogin)).credentials
        : (
            await cachedLogin(plan.source, context, {
              lockTimeoutMs: options.lockTimeoutMs,
              chainPath: [...(options.chainPath ?? []), profile.name],
              signedIn: options.signedIn,
              cache: options.cache,
            })
          ).credentials;
    const hops = await planHops(plan, profile, env, options.sessionPolicy);
    context.logger.debug(
      `profile ${profile.name}: AssumeRole ${hops.map((h) => h.roleArn).join(' -> ')} from ${plan.kind === 'flow' ? `its ${plan.flow} flow` : `profile ${plan.source.name}`}`,
    );
    const sts = await chainSts(hops[0]!.roleArn, profile, context);
    return assumeRoleChain(source, hops, { sts, logger: context.logger }, `fedlogin-${profile.name}`);
  });
}

interface Step {
  store: SecretStore;
  key: string;
  profile: ProfileSettings;
  context: ProviderContext;
  options: ChainedLoginOptions;
}

/** One cached hop: the fresh entry, else, under the key's lock, `produce` once and cache it. */
async function cachedStep(step: Step, produce: () => Promise<Credentials>): Promise<CachedLoginResult> {
  const { store, key, profile, context, options } = step;
  if (options.cache === false) return { credentials: await produce(), fromCache: false, store: store.kind };
  const cachedNow = async () => {
    const cached = options.force || options.signedIn ? undefined : await readCachedCredentials(store, key);
    return isFresh(cached, profile, context.clock.now()) ? cached : undefined;
  };
  const early = await cachedNow();
  if (early) return { credentials: early, fromCache: true, store: store.kind };
  return withLock(
    lockPathFor(context.env, key),
    async () => {
      const meanwhile = await cachedNow();
      if (meanwhile) return { credentials: meanwhile, fromCache: true, store: store.kind };
      // a refresh is slow anyway (a round trip at least): the time to tidy the cache folder
      const collected = collectCacheLeftovers(context.env);
      const count = collected.entries.length + collected.locks.length;
      if (count > 0)
        context.logger.debug(
          `removed ${count} leftover file(s) from the cache folder: ${[...collected.entries, ...collected.locks.map((n) => `locks/${n}`)].join(', ')}`,
        );
      const credentials = await produce();
      await writeCachedCredentials(store, key, credentials);
      return { credentials, fromCache: false, store: store.kind };
    },
    { timeoutMs: options.lockTimeoutMs ?? 120_000 },
  );
}
