/**
 * One IdP round trip for many roles: the browser's SAMLResponse is kept in the secret store for the
 * minutes it stays good (assertionEntry.ts), and getting one is single-flight per IdP sign-in, not
 * per profile. Twelve processes renewing twelve profiles of one IdP each hold their own profile's
 * cache lock (cachedLogin.ts) and queue here on the IdP's lock: the first signs in (headless, with
 * the session the browser profile keeps), saves the assertion and releases; the other eleven find
 * it and go straight to AssumeRoleWithSAML.
 *
 * Lock order: a profile's lock, then the IdP's; nothing takes a profile's lock while holding an IdP's.
 */
import type { ProfileSettings } from '../../config/profileSettings.js';
import { ProfileValues } from '../../config/profileValues.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { acquireLock, lockPathFor } from '../../store/lock.js';
import type { SecretStore } from '../../store/secretStore.js';
import {
  ASSERTION_SAFETY_MARGIN_MS,
  type AssertionEntry,
  assertionEntry,
  assertionKey,
  entryUnusable,
  type IdpSignIn,
  parseAssertionEntry,
  serializeAssertionEntry,
} from './assertionEntry.js';
import { type BrowserLoginDeps, type BrowserLoginSettings, browserAssertionSource } from './browserLogin.js';
import { checkAssertion } from './checkAssertion.js';
import type { AssertionSource } from './login.js';
import { parseSamlResponse } from './parseAssertion.js';
import { resolveSamlSettings } from './resolveSettings.js';
import type { SamlSettings } from './settings.js';

/** lock waits beyond the sign-in's own time: the browser starting and closing */
const LOCK_SLACK_MS = 30_000;

export interface SharedAssertionDeps {
  store: SecretStore;
  /** the IdP sign-in's store key and lock name (assertionKey) */
  key: string;
  /** the role the assertion must grant to be reused; undefined: any */
  roleArn?: string | undefined;
  /** false: the first get() signs in even when an assertion is kept (it is still saved for the others) */
  reuse: boolean;
  /** how long to wait for another process's sign-in at this IdP */
  lockTimeoutMs: number;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  clock: Clock;
}

/**
 * `inner` (the browser) shared across processes. The first get() uses a kept assertion when it is
 * usable for the role; a later get() (STS refused the last one as expired) never returns the one it
 * gave before: it signs in and replaces the entry, unless another process did so meanwhile.
 */
export function sharedAssertionSource(inner: AssertionSource, deps: SharedAssertionDeps): AssertionSource {
  const { store, key, logger, clock } = deps;
  let given: string | undefined;
  let calls = 0;

  const read = async (): Promise<AssertionEntry | undefined> => {
    try {
      return parseAssertionEntry(await store.get(key));
    } catch (error) {
      logger.debug(`cannot read the kept SAML assertion (${(error as Error).message}); signing in`);
      return undefined;
    }
  };
  /** the entry when this call may use it, else undefined (and why, in --debug) */
  const usable = (entry: AssertionEntry | undefined, first: boolean, say = true) => {
    if (entry) logger.addSecret(entry.samlResponse);
    const why =
      entryUnusable(entry, clock.now(), deps.roleArn) ??
      (first && !deps.reuse ? 'a new sign-in was asked for' : undefined) ??
      (entry!.samlResponse === given ? 'STS refused it' : undefined) ??
      stillGood(entry!.samlResponse, clock.now());
    if (why === undefined) return entry;
    if (say) logger.debug(`no kept SAML assertion to reuse for this IdP: ${why}`);
    return undefined;
  };
  const reused = (entry: AssertionEntry) => {
    given = entry.samlResponse;
    const age = Math.max(0, Math.round((clock.now() - entry.capturedAt) / 1000));
    logger.debug(
      `reused the IdP's assertion from ${age} s ago${deps.roleArn ? ` for role ${deps.roleArn}` : ''} (kept until ${new Date(entry.usableUntil).toISOString()})`,
    );
    return { samlResponse: entry.samlResponse };
  };

  return {
    description: inner.description,
    renewable: inner.renewable,
    async get() {
      const first = ++calls === 1;
      if (first && deps.reuse) {
        // most renewals after the first end here, without waiting for the lock
        const early = usable(await read(), first, false);
        if (early) return reused(early);
      }
      const release = await acquireLock(lockPathFor(deps.env, key), { timeoutMs: deps.lockTimeoutMs });
      try {
        const meanwhile = usable(await read(), first);
        if (meanwhile) {
          release();
          return reused(meanwhile);
        }
        const got = await inner.get();
        logger.addSecret(got.samlResponse);
        given = got.samlResponse;
        await keep(got.samlResponse);
        // the browser profile stays locked until the browser has closed: the next sign-in there may need it
        const closed = (got.closed ?? Promise.resolve()).finally(release);
        return { ...got, closed };
      } catch (error) {
        release();
        throw error;
      }
    },
  };

  /** Saves what parses into a usable entry; a broken store costs the sharing, not the login. */
  async function keep(samlResponse: string): Promise<void> {
    let info: ReturnType<typeof parseSamlResponse>;
    try {
      info = parseSamlResponse(samlResponse);
    } catch {
      return; // readAssertion reports it
    }
    const entry = assertionEntry(samlResponse, info, clock.now());
    if (!entry) return;
    try {
      await store.set(key, serializeAssertionEntry(entry));
      logger.debug(
        `kept the IdP's assertion (${entry.roles.length} roles) for other renewals until ${new Date(entry.usableUntil).toISOString()}`,
      );
    } catch (error) {
      logger.debug(`cannot keep the SAML assertion for other renewals (${(error as Error).message})`);
    }
  }
}

/** Why a kept SAMLResponse would be refused now (its entry's own dates aside), or undefined. */
function stillGood(samlResponse: string, now: number): string | undefined {
  try {
    const info = parseSamlResponse(samlResponse);
    checkAssertion(info, now);
    if (info.notOnOrAfter && info.notOnOrAfter.getTime() - ASSERTION_SAFETY_MARGIN_MS <= now)
      return `its NotOnOrAfter (${info.notOnOrAfter.toISOString()}) is too close`;
    return undefined;
  } catch {
    return 'it no longer passes the checks a new one must pass';
  }
}

/**
 * The browser as a source shared per IdP sign-in: what `fedlogin saml` and a saml profile use.
 * --headed (a window was asked for) signs in anew, and the result is kept all the same.
 */
export function sharedBrowserSource(
  settings: SamlSettings & { idpUrl: string },
  person: Pick<BrowserLoginSettings, 'interactive' | 'needsPerson'>,
  deps: BrowserLoginDeps & { store: SecretStore; clock: Clock },
): AssertionSource {
  return sharedAssertionSource(browserAssertionSource(settings, person, deps), {
    store: deps.store,
    key: assertionKey(settings, deps.env),
    roleArn: settings.roleArn,
    reuse: settings.mode !== 'headed',
    lockTimeoutMs: settings.timeoutMs + settings.silentTimeoutMs + LOCK_SLACK_MS,
    env: deps.env,
    logger: deps.logger,
    clock: deps.clock,
  });
}

/**
 * Removes the assertion kept for a saml profile's IdP sign-in (fedlogin logout): true when there was
 * one. Other profiles of that IdP lose it too; they sign in again at their next renewal.
 */
export async function forgetKeptAssertion(
  profile: ProfileSettings,
  store: SecretStore,
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  const values = new ProfileValues(profile);
  let signIn: IdpSignIn;
  try {
    if (values.flow() !== 'saml') return false;
    const settings = resolveSamlSettings({}, values);
    if (!settings.idpUrl) return false;
    signIn = { ...settings, idpUrl: settings.idpUrl };
  } catch {
    return false; // a profile that cannot sign in has nothing kept
  }
  return store.delete(assertionKey(signIn, env));
}
