import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../harness/freePort.js';
import { runCli, type RunCliResult, type TempHome } from '../cli/runCli.js';
import type { SamlIdp } from './samlIdp.js';

/**
 * Plays the person in fedlogin's own browser: `fedlogin saml` runs headless with a loopback
 * debugging port (FEDLOGIN_BROWSER_DEBUG_PORT), this attaches over CDP and fills the IdP's real
 * login form. FEDLOGIN_BROWSER_LOOPBACK_ONLY keeps every request on loopback.
 */
export const SAML_TEST_BROWSER = '/usr/bin/chromium';

/** Attaches to the browser fedlogin launched, once its debugging port answers (bounded). */
export async function attachToFedloginBrowser(port: number): Promise<Browser> {
  for (let i = 0; i < 150; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/json/version`, { signal: AbortSignal.timeout(500) }).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fedlogin's browser did not open debugging port ${port}`);
}

export async function samlLoginPage(browser: Browser): Promise<Page> {
  for (let i = 0; i < 100; i++) {
    const page = browser.contexts().flatMap((c) => c.pages()).find((p) => p.url().endsWith('/sso'));
    if (page) return page;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no page at the IdP sign-on URL');
}

/** Runs `fedlogin saml` headless with the debug port and signs in through the IdP's real form. */
export async function samlLoginThroughForm(home: TempHome, idp: SamlIdp, stsUrl: string, extraArgs: string[] = []): Promise<RunCliResult> {
  const port = await freePort();
  const running = runCli(['saml', '--idp-url', idp.ssoUrl, '--browser', SAML_TEST_BROWSER, '--headless', '--debug', ...extraArgs], {
    env: { ...home.env, AWS_ENDPOINT_URL_STS: stsUrl, FEDLOGIN_BROWSER_DEBUG_PORT: String(port), FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1' },
    timeoutMs: 60_000,
  });
  const browser = await attachToFedloginBrowser(port);
  try {
    const page = await samlLoginPage(browser);
    await page.fill('#username', 'alice');
    await page.fill('#password', 'wonderland');
    await page.click('#submit', { noWaitAfter: true });
    return await running;
  } finally {
    await browser.close().catch(() => undefined);
  }
}
