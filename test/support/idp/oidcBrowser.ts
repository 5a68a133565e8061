import type { Browser, BrowserContext, Page } from 'playwright-core';
import { componentPath } from '../harness/component.js';
import { isLoopbackUrl } from '../harness/loopbackServer.js';

/**
 * Headless Chromium (the machine's, via playwright-core) playing the person at oidc-provider's real
 * dev pages: login form (any login/password), consent, device code confirmation. Every request
 * that would leave loopback (the pages import a web font) is aborted.
 */

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface OidcBrowser {
  /** opens the authorization URL, signs in as `login`, consents; returns the text of the final page */
  signIn(url: string, login: string, options?: { deny?: boolean }): Promise<string>;
  /** opens the device verification page, confirms the code, signs in, consents; returns the final page's text */
  approveDevice(verificationUrl: string, login: string, userCode?: string): Promise<string>;
  /** opens the device verification page with the code and presses [ Abort ]; returns the final page's text */
  denyDevice(verificationUrl: string, userCode: string): Promise<string>;
  close(): Promise<void>;
}

const STEP_TIMEOUT_MS = 10_000;

export interface OidcBrowserOptions {
  /**
   * A person behind a corporate proxy (test/support/network): pages go through `server` (loopback
   * stays direct, as Chromium does by default), the names in `hosts` are allowed besides loopback,
   * and the proxy's intercepting CA is accepted, as a company's managed browser trusts it.
   */
  proxy?: { server: string; hosts: string[] };
}

export async function launchOidcBrowser(options: OidcBrowserOptions = {}): Promise<OidcBrowser> {
  const { chromium } = await import('playwright-core');
  const browser: Browser = await chromium.launch({
    executablePath: componentPath('chromium'),
    args: CHROMIUM_ARGS,
    timeout: 20_000,
    ...(options.proxy ? { proxy: { server: options.proxy.server } } : {}),
  });
  const proxiedHosts = new Set(options.proxy?.hosts ?? []);
  const allowed = (url: string) => isLoopbackUrl(url) || proxiedHosts.has(new URL(url).hostname);

  const withPage = async <T>(fn: (page: Page) => Promise<T>): Promise<T> => {
    const context: BrowserContext = await browser.newContext({ ignoreHTTPSErrors: options.proxy !== undefined });
    await context.route('**/*', (route) => (allowed(route.request().url()) ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    try {
      return await fn(page);
    } finally {
      await context.close();
    }
  };

  /** Answers whatever page the provider shows until `done` says the journey is over. */
  const drive = async (page: Page, login: string, done: (page: Page) => Promise<boolean>, deny = false) => {
    for (let step = 0; step < 8; step++) {
      await page.waitForLoadState('domcontentloaded');
      if (await done(page)) return (await page.textContent('body')) ?? '';
      const loginField = page.locator('input[name="login"]');
      if (await loginField.count()) {
        if (deny) {
          await Promise.all([page.waitForNavigation(), page.locator('a[href*="/abort"]').click()]);
          continue;
        }
        await loginField.fill(login);
        await page.locator('input[name="password"]').fill('any-password');
        await Promise.all([page.waitForNavigation(), page.locator('button[type="submit"]').first().click()]);
        continue;
      }
      const codeField = page.locator('input[name="user_code"]');
      const confirm = page.locator('button[autofocus][form="op.deviceConfirmForm"]');
      if (await confirm.count()) {
        await Promise.all([page.waitForNavigation(), confirm.click()]);
        continue;
      }
      if (await codeField.count()) throw new Error('the device page asks for a code; pass userCode');
      const consent = page.locator('button.login-submit, button[autofocus]');
      if (await consent.count()) {
        await Promise.all([page.waitForNavigation(), consent.first().click()]);
        continue;
      }
      throw new Error(`unexpected page at ${page.url()}: ${((await page.textContent('body')) ?? '').slice(0, 300)}`);
    }
    throw new Error(`sign-in did not finish; last page ${page.url()}`);
  };

  return {
    signIn: (url, login, options = {}) =>
      withPage(async (page) => {
        await page.goto(url);
        return drive(page, login, async (p) => new URL(p.url()).pathname === '/callback', options.deny === true);
      }),
    approveDevice: (verificationUrl, login, userCode) =>
      withPage(async (page) => {
        await page.goto(verificationUrl);
        if (userCode) {
          await page.locator('input[name="user_code"]').fill(userCode);
          await Promise.all([page.waitForNavigation(), page.locator('button[type="submit"]').first().click()]);
        }
        return drive(page, login, async (p) => (await p.title()) === 'Sign-in Success');
      }),
    denyDevice: (verificationUrl, userCode) =>
      withPage(async (page) => {
        await page.goto(verificationUrl);
        await page.locator('input[name="user_code"]').fill(userCode);
        await Promise.all([page.waitForNavigation(), page.locator('button[type="submit"]').first().click()]);
        await Promise.all([page.waitForNavigation(), page.locator('button[name="abort"]').click()]);
        return (await page.textContent('body')) ?? '';
      }),
    close: () => browser.close(),
  };
}
