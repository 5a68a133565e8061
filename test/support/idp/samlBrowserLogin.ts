import { type Browser, chromium, type Page } from 'playwright-core';
import { profileCacheKey } from '../../../src/config/profileCacheKey.js';
import { loadProfile } from '../../../src/config/profileSettings.js';
import { assertionKey, parseAssertionEntry, serializeAssertionEntry } from '../../../src/flows/saml/assertionEntry.js';
import { readCachedCredentials, writeCachedCredentials } from '../../../src/store/credentialCache.js';
import { createFileStore } from '../../../src/store/fileStore.js';
import { type RunCliResult, runCli, type TempHome } from '../cli/runCli.js';
import { freePort } from '../harness/freePort.js';
import { waitFor } from '../harness/polling.js';
import type { SamlIdp } from './samlIdp.js';

/**
 * Plays the person in fedlogin's own browser: `fedlogin saml` runs headless with a loopback
 * debugging port (FEDLOGIN_BROWSER_DEBUG_PORT), this attaches over CDP and fills the IdP's real
 * login form. FEDLOGIN_BROWSER_LOOPBACK_ONLY keeps every request on loopback.
 */
export const SAML_TEST_BROWSER = '/usr/bin/chromium';

/**
 * Attaches to the browser fedlogin launched, once its debugging port answers (bounded); with
 * `window`, only once the browser there is a visible one (not headless).
 */
export async function attachToFedloginBrowser(
  port: number,
  opts: { window?: boolean; timeoutMs?: number } = {},
): Promise<Browser> {
  await waitFor(
    () =>
      fetch(`http://127.0.0.1:${port}/json/version`, { signal: AbortSignal.timeout(500) }).then(
        async (r) =>
          r.ok &&
          (!opts.window || !/HeadlessChrome/.test(((await r.json()) as { 'User-Agent': string })['User-Agent'])),
        () => false,
      ),
    {
      timeoutMs: opts.timeoutMs ?? 30_000,
      what: `${opts.window ? 'a visible browser' : "fedlogin's browser"} on debugging port ${port}`,
      intervalMs: 100,
    },
  );
  return chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 10_000 });
}

/** The page at the IdP's sign-on URL, once the browser shows it (bounded). */
export function samlLoginPage(browser: Browser): Promise<Page> {
  return waitFor(
    () =>
      browser
        .contexts()
        .flatMap((c) => c.pages())
        .find((p) => p.url().endsWith('/sso')),
    {
      what: 'a page at the IdP sign-on URL',
      intervalMs: 100,
    },
  );
}

/** Signs in as alice on the IdP's real login form. */
export async function fillSamlLoginForm(page: Page): Promise<void> {
  await page.fill('#username', 'alice');
  await page.fill('#password', 'wonderland');
  await page.click('#submit', { noWaitAfter: true });
}

/** Runs `fedlogin saml` headless with the debug port and signs in through the IdP's real form. */
export async function samlLoginThroughForm(
  home: TempHome,
  idp: SamlIdp,
  stsUrl: string,
  extraArgs: string[] = [],
): Promise<RunCliResult> {
  const port = await freePort();
  const running = runCli(
    ['saml', '--idp-url', idp.ssoUrl, '--browser', SAML_TEST_BROWSER, '--headless', '--debug', ...extraArgs],
    {
      env: {
        ...home.env,
        AWS_ENDPOINT_URL_STS: stsUrl,
        FEDLOGIN_BROWSER_DEBUG_PORT: String(port),
        FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1',
      },
      timeoutMs: 60_000,
    },
  );
  const browser = await attachToFedloginBrowser(port);
  try {
    await fillSamlLoginForm(await samlLoginPage(browser));
    return await running;
  } finally {
    await browser.close().catch(() => undefined);
  }
}

/**
 * Removes the SAMLResponse fedlogin keeps for an IdP sign-in (src/flows/saml/sharedAssertion.ts),
 * as its few minutes running out would: the next run has to go to the IdP (through the browser's
 * session) instead of reusing it. For tests of the browser path itself. True when there was one.
 */
export function forgetKeptAssertion(home: Pick<TempHome, 'env'>, idpUrl: string): Promise<boolean> {
  return createFileStore({ env: home.env }).delete(assertionKey({ idpUrl }, home.env));
}

/**
 * As an hour passing would leave a HOME: the named profiles' cached credentials expired a minute
 * ago, and the assertion kept for each IdP URL is past its usable end. Through the store API.
 */
export async function letRenewalsExpire(
  env: NodeJS.ProcessEnv,
  profiles: readonly string[],
  idpUrls: readonly string[],
): Promise<void> {
  const store = createFileStore({ env });
  const expiration = new Date(Date.now() - 60_000);
  for (const name of profiles) {
    const profile = loadProfile(env, name);
    if (!profile) throw new Error(`no profile ${name}`);
    const key = profileCacheKey(profile, env);
    const cached = await readCachedCredentials(store, key);
    if (cached)
      await writeCachedCredentials(store, key, {
        ...cached,
        expiration,
        obtainedAt: new Date(expiration.getTime() - 3600_000),
      });
  }
  for (const idpUrl of idpUrls) {
    const key = assertionKey({ idpUrl }, env);
    const kept = parseAssertionEntry(await store.get(key));
    if (kept) await store.set(key, serializeAssertionEntry({ ...kept, usableUntil: Date.now() - 1 }));
  }
}
