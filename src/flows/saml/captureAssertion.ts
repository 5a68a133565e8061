import { performance } from 'node:perf_hooks';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { browserProxy } from '../../aws/network/browserProxy.js';
import { abortedError, type FedloginError, unreachableError, usageError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { loadOptional } from '../../core/optionalModule.js';
import { SIGNED_IN_PAGE } from './capturePage.js';
import { keepSessionCookies, restoreSessionCookies } from './sessionCookies.js';

export interface CaptureOptions {
  executablePath: string;
  /** the persistent browser profile (IdP cookies live here) */
  userDataDir: string;
  /** the IdP-initiated sign-on URL of the AWS app */
  startUrl: string;
  headless: boolean;
  /** how long to wait for the POST to the ACS */
  timeoutMs: number;
  isAcs: (url: string) => boolean;
  /** tests: abort every request that would leave loopback */
  loopbackOnly?: boolean | undefined;
  /** tests: let a test attach with connectOverCDP */
  debugPort?: number | undefined;
  /** --browser-profile: the profile folder inside userDataDir ("Default", "Profile 1") */
  profileDirectory?: string | undefined;
  /**
   * --browser-url: attach over CDP to a browser the person started with remote debugging, instead
   * of launching one (executablePath, userDataDir, headless and profileDirectory are then unused);
   * the sign-in runs in a new tab, and only that tab is closed afterwards
   */
  attachUrl?: string | undefined;
  logger: Logger;
}

export type CaptureResult =
  | {
      kind: 'captured';
      samlResponse: string;
      acsUrl: string;
      /** performance.now() at the capture */
      capturedAt: number;
      /** the browser closes while the caller goes on with the exchange; await before exiting */
      closed: Promise<void>;
    }
  | { kind: 'timeout' };

/** Test hooks, off unless set: attach over CDP, and keep the browser on loopback. */
export function testHooks(env: NodeJS.ProcessEnv): Pick<CaptureOptions, 'debugPort' | 'loopbackOnly'> {
  const port = Number(env.FEDLOGIN_BROWSER_DEBUG_PORT);
  return {
    debugPort: Number.isInteger(port) && port > 0 && port < 65_536 ? port : undefined,
    loopbackOnly: env.FEDLOGIN_BROWSER_LOOPBACK_ONLY === '1',
  };
}

export const samlLoginTimeout = (timeoutMs: number) =>
  usageError(
    'SAML_LOGIN_TIMEOUT',
    `No SAML response reached the AWS sign-in endpoint within ${Math.round(timeoutMs / 1000)} s.`,
    {
      hint: "Finish signing in sooner (or raise --timeout); check that the URL is the AWS app's sign-on URL, and with an IdP proxy set --acs-url-pattern.",
    },
  );

/** Where the ACS POST is sent on to (303), answered locally: .invalid never resolves. */
const SIGNED_IN_URL = 'https://fedlogin.invalid/signed-in';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
export const isLoopbackUrl = (url: URL) => LOOPBACK_HOSTS.has(url.hostname);

/** Flags for a quiet, self-contained browser; the sandbox stays on unless running as root. */
function launchArgs(options: CaptureOptions): string[] {
  const args = [
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
  ];
  if (options.headless) args.push('--disable-gpu');
  if (options.debugPort !== undefined)
    args.push(`--remote-debugging-port=${options.debugPort}`, '--remote-debugging-address=127.0.0.1');
  if (options.profileDirectory !== undefined) args.push(`--profile-directory=${options.profileDirectory}`);
  return args;
}

/** The browser a sign-in runs in: where to route, the page to sign in on, and how to let it go. */
interface SignInBrowser {
  /** what the ACS route is set on: the whole (own) browser, or only fedlogin's tab of the person's */
  routed: BrowserContext | Page;
  page: Page;
  /** when the sign-in counts as stopped by the person */
  watchClosed(stop: () => void): void;
  /** closes fedlogin's own browser, or only its tab of the person's (then disconnects) */
  close(): Promise<void>;
  /** after a capture: keep the IdP's session cookies (fedlogin's own profile only; never the person's) */
  keepSession(): Promise<void>;
  description: string;
}

async function launchBrowser(
  chromium: typeof import('playwright-core').chromium,
  options: CaptureOptions,
): Promise<SignInBrowser> {
  // the IdP's pages load through the same proxy as every other call (HTTPS_PROXY, NO_PROXY)
  const proxy = browserProxy();
  if (proxy)
    options.logger.debug(
      `the browser uses the proxy ${proxy.server}${proxy.bypass ? ` (bypass ${proxy.bypass})` : ''}`,
    );
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(options.userDataDir, {
      executablePath: options.executablePath,
      headless: options.headless,
      args: launchArgs(options),
      ...(proxy ? { proxy } : {}),
      chromiumSandbox: process.getuid?.() !== 0,
      timeout: 30_000,
      viewport: null,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    throw launchError(error, options);
  }
  // fedlogin's own profile keeps the IdP's session cookies between runs; the person's profile is theirs
  const ownProfile = options.profileDirectory === undefined;
  if (ownProfile) await restoreSessionCookies(context, options.userDataDir, options.logger);
  return {
    routed: context,
    page: context.pages()[0] ?? (await context.newPage()),
    watchClosed(stop) {
      context.once('close', stop);
      const watchPage = (page: Page) =>
        page.once('close', () => {
          if (context.pages().length === 0) stop();
        });
      context.on('page', watchPage);
      context.pages().forEach(watchPage);
    },
    close: () => context.close(),
    keepSession: () =>
      ownProfile ? keepSessionCookies(context, options.userDataDir, options.logger) : Promise.resolve(),
    description: `${options.headless ? 'headless' : 'visible'}, ${options.executablePath}`,
  };
}

async function attachBrowser(chromium: typeof import('playwright-core').chromium, url: string): Promise<SignInBrowser> {
  let browser: Browser;
  try {
    browser = await chromium.connectOverCDP(url, { timeout: 15_000 });
  } catch (error) {
    throw unreachableError(
      'BROWSER_ATTACH_FAILED',
      `No browser with remote debugging answered at ${url}: ${String((error as Error)?.message ?? error).split('\n')[0]}`,
      {
        hint: 'Start your browser with --remote-debugging-port=9222 (see docs/browsers.md), or leave out --browser-url.',
        cause: error,
      },
    );
  }
  // the person's own profile: its cookies, extensions and device certificates
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const page = await context.newPage();
  return {
    routed: page,
    page,
    watchClosed(stop) {
      page.once('close', stop);
      browser.once('disconnected', stop);
    },
    // only fedlogin's tab: the person's browser and its other tabs stay as they are
    close: async () => {
      await page.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
    },
    keepSession: () => Promise.resolve(),
    description: `attached to ${url}`,
  };
}

function launchError(error: unknown, options: CaptureOptions): FedloginError {
  const first =
    String((error as Error)?.message ?? error)
      .split('\n')
      .find((l) => l.trim()) ?? 'unknown error';
  if (/ProcessSingleton|profile.*in use|SingletonLock/i.test(String((error as Error)?.message))) {
    return usageError(
      'BROWSER_PROFILE_BUSY',
      `The browser profile ${options.userDataDir} is in use by another browser (an earlier fedlogin still open?).`,
      { hint: 'Close that browser window and run the command again.', cause: error },
    );
  }
  return usageError('BROWSER_LAUNCH_FAILED', `Could not start ${options.executablePath}: ${first}`, {
    hint: 'Pass another browser with --browser PATH, or --assertion-file to skip the browser.',
    cause: error,
  });
}

/**
 * Opens the IdP's sign-on URL in the user's own browser and captures the SAMLResponse that the IdP
 * posts to the AWS ACS. The POST is read inside the route handler (a request listener can race
 * with close) and answered locally, so the assertion never reaches the network; then the browser
 * closes. Resolves { kind: 'timeout' } when no POST came in time; a window the person closed is an
 * abort.
 */
export async function captureSamlResponse(options: CaptureOptions): Promise<CaptureResult> {
  const { logger } = options;
  const { chromium } = await loadOptional(
    () => import('playwright-core'),
    'playwright-core',
    'Signing in through the browser',
  );
  const started = performance.now();
  const signIn = options.attachUrl
    ? await attachBrowser(chromium, options.attachUrl)
    : await launchBrowser(chromium, options);
  const launchedAt = performance.now();
  logger.debug(
    `timing: browser ${options.attachUrl ? 'attached' : 'launched'} in ${Math.round(launchedAt - started)} ms (${signIn.description})`,
  );

  let closing: Promise<void> | undefined;
  const close = (first: Promise<void> = Promise.resolve()) =>
    (closing ??= first
      .then(() => signIn.close())
      .then(
        () => logger.debug(`timing: browser closed after ${Math.round(performance.now() - started)} ms in all`),
        () => undefined,
      ));
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  const onInterrupt = () => finish(() => reject(abortedError('Sign-in stopped (interrupted).')));
  type Outcome =
    | Exclude<CaptureResult, { closed: Promise<void> }>
    | Omit<Extract<CaptureResult, { kind: 'captured' }>, 'closed'>;
  let resolve!: (result: Outcome) => void;
  let reject!: (error: unknown) => void;
  const outcome = new Promise<Outcome>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  function finish(settle: () => void) {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    settle();
  }

  const intercepted = (url: URL) =>
    url.href === SIGNED_IN_URL ||
    options.isAcs(url.href) ||
    (options.loopbackOnly === true && /^https?:$/.test(url.protocol) && !isLoopbackUrl(url));
  const handle = async (route: Route) => {
    const request = route.request();
    const url = request.url();
    if (url === SIGNED_IN_URL) {
      await route
        .fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: SIGNED_IN_PAGE })
        .catch(() => undefined);
      return;
    }
    if (request.method() === 'POST' && options.isAcs(url)) {
      const capturedAt = performance.now();
      const samlResponse = new URLSearchParams(request.postData() ?? '').get('SAMLResponse');
      if (samlResponse) {
        logger.addSecret(samlResponse);
        logger.debug(
          `timing: SAMLResponse captured ${Math.round(capturedAt - launchedAt)} ms after the browser started (POST to ${url.split('?')[0]})`,
        );
        // settle first: the exchange need not wait for the page to be answered
        finish(() => resolve({ kind: 'captured', samlResponse, acsUrl: url, capturedAt }));
      } else {
        finish(() =>
          reject(
            usageError('SAML_POST_EMPTY', `The IdP posted to ${url.split('?')[0]} without a SAMLResponse field.`, {
              hint: "Check that the URL is the AWS app's IdP-initiated sign-on URL.",
            }),
          ),
        );
      }
      // 303 to a GET answered locally: the tab's history keeps no POST entry with the assertion in
      // its body (Chromium writes a tab's entries, bodies included, to the profile's Sessions files)
      await route
        .fulfill({ status: 303, headers: { location: SIGNED_IN_URL, 'cache-control': 'no-store' }, body: '' })
        .catch(() => undefined);
      return;
    }
    if (options.isAcs(url) && options.loopbackOnly !== true) {
      await route.continue().catch(() => undefined);
      return;
    }
    logger.debug(`aborted a request that would leave loopback: ${url.split('?')[0]}`);
    await route.abort('blockedbyclient').catch(() => undefined);
  };

  try {
    await signIn.routed.route(intercepted, handle);
    signIn.watchClosed(() =>
      finish(() =>
        reject(
          abortedError(
            options.attachUrl
              ? "Sign-in stopped: fedlogin's tab was closed (or the browser went away)."
              : 'Sign-in stopped: the browser window was closed.',
          ),
        ),
      ),
    );
    process.once('SIGINT', onInterrupt);
    timer = setTimeout(() => finish(() => resolve({ kind: 'timeout' })), options.timeoutMs);

    signIn.page.goto(options.startUrl, { timeout: options.timeoutMs, waitUntil: 'commit' }).catch((error: Error) => {
      const code = /net::(ERR_[A-Z_]+)/.exec(error.message)?.[1];
      if (settled || code === 'ERR_ABORTED' || /interrupted|closed/i.test(error.message)) return;
      finish(() =>
        reject(
          unreachableError(
            'IDP_UNREACHABLE',
            `Could not open the IdP sign-on URL ${options.startUrl} (${code ?? error.message.split('\n')[0]}).`,
            { hint: 'Check the URL (--idp-url / fedlogin_idp_url), your network and VPN.', cause: error },
          ),
        ),
      );
    });
    const result = await outcome;
    // captured: the session cookies are kept and the browser closes while the caller goes on with
    // the exchange (it awaits `closed`); otherwise the browser is gone before we return
    return result.kind === 'captured' ? { ...result, closed: close(signIn.keepSession()) } : result;
  } finally {
    process.off('SIGINT', onInterrupt);
    clearTimeout(timer);
    settled = true;
    if (!closing) await close();
  }
}
