import { type Browser, chromium, type Page } from 'playwright-core';
import { profileCacheKey } from '../../../src/config/profileCacheKey.js';
import { loadProfile } from '../../../src/config/profileSettings.js';
import { assertionKey, parseAssertionEntry, serializeAssertionEntry } from '../../../src/flows/saml/assertionEntry.js';
import { readCachedCredentials, writeCachedCredentials } from '../../../src/store/credentialCache.js';
import { createFileStore } from '../../../src/store/fileStore.js';
import type { RunCliResult, TempHome } from '../cli/runCli.js';
import { type RunningCli, spawnCli } from '../cli/spawnCli.js';
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
 * How long fedlogin may take to start its browser, or a page to appear, before the test calls it a
 * hang: generous, since on a loaded two-core machine starting node, playwright-core and Chromium
 * (twice, after a silent attempt) takes tens of seconds; a CLI that exits first fails the wait at once.
 */
export const BROWSER_START_BOUND_MS = 120_000;
/** connecting over CDP, and each step on the IdP's page */
const CDP_STEP_BOUND_MS = 60_000;

/**
 * Attaches to the browser fedlogin launched; with `window`, to the visible one (not a headless
 * attempt before it). With `cli` (a run with --debug), it waits for fedlogin's own word that the
 * browser is up ("timing: browser launched in N ms (visible, ...)", printed once the launch
 * returned, so the debugging port answers): a signal, bounded by BROWSER_START_BOUND_MS and by the
 * CLI's exit. Without it, it polls the debugging port (bounded by `timeoutMs`, default 30 s).
 */
export async function attachToFedloginBrowser(
  port: number,
  opts: { window?: boolean; timeoutMs?: number; cli?: RunningCli } = {},
): Promise<Browser> {
  const what = `${opts.window ? 'a visible browser' : "fedlogin's browser"} on debugging port ${port}`;
  if (opts.cli) {
    await opts.cli.waitUntil(
      () =>
        (opts.window ? /browser launched in \d+ ms \(visible/ : /browser launched in \d+ ms/).exec(
          opts.cli!.stderr(),
        ) ?? undefined,
      opts.timeoutMs ?? BROWSER_START_BOUND_MS,
      `fedlogin's word that ${what} is up`,
    );
  }
  await waitFor(
    () =>
      fetch(`http://127.0.0.1:${port}/json/version`, { signal: AbortSignal.timeout(5_000) }).then(
        async (r) =>
          r.ok &&
          (!opts.window || !/HeadlessChrome/.test(((await r.json()) as { 'User-Agent': string })['User-Agent'])),
        () => false,
      ),
    { timeoutMs: opts.timeoutMs ?? (opts.cli ? CDP_STEP_BOUND_MS : 30_000), what, intervalMs: 100 },
  );
  return chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: CDP_STEP_BOUND_MS });
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
      timeoutMs: CDP_STEP_BOUND_MS,
      intervalMs: 100,
    },
  );
}

/** Signs in as alice on the IdP's real login form. */
export async function fillSamlLoginForm(page: Page): Promise<void> {
  await page.fill('#username', 'alice', { timeout: CDP_STEP_BOUND_MS });
  await page.fill('#password', 'wonderland', { timeout: CDP_STEP_BOUND_MS });
  await page.click('#submit', { noWaitAfter: true, timeout: CDP_STEP_BOUND_MS });
}

/** Runs `fedlogin saml` headless with the debug port and signs in through the IdP's real form. */
export async function samlLoginThroughForm(
  home: TempHome,
  idp: SamlIdp,
  stsUrl: string,
  extraArgs: string[] = [],
): Promise<RunCliResult> {
  const port = await freePort();
  const cli = spawnCli(
    ['saml', '--idp-url', idp.ssoUrl, '--browser', SAML_TEST_BROWSER, '--headless', '--debug', ...extraArgs],
    {
      home: home.home,
      env: {
        ...home.env,
        AWS_ENDPOINT_URL_STS: stsUrl,
        FEDLOGIN_BROWSER_DEBUG_PORT: String(port),
        FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1',
      },
      timeoutMs: BROWSER_START_BOUND_MS,
    },
  );
  try {
    const browser = await attachToFedloginBrowser(port, { cli });
    try {
      await fillSamlLoginForm(await samlLoginPage(browser));
    } finally {
      await browser.close().catch(() => undefined);
    }
  } catch (error) {
    cli.kill();
    throw error;
  }
  return cli.result;
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
