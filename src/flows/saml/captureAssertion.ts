import { performance } from 'node:perf_hooks';
import type { BrowserContext, Route } from 'playwright-core';
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
  return args;
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
  // the IdP's pages load through the same proxy as every other call (HTTPS_PROXY, NO_PROXY)
  const proxy = browserProxy();
  if (proxy)
    logger.debug(`the browser uses the proxy ${proxy.server}${proxy.bypass ? ` (bypass ${proxy.bypass})` : ''}`);
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
  await restoreSessionCookies(context, options.userDataDir, logger);
  const launchedAt = performance.now();
  logger.debug(
    `timing: browser launched in ${Math.round(launchedAt - started)} ms (${options.headless ? 'headless' : 'visible'}, ${options.executablePath})`,
  );

  let closing: Promise<void> | undefined;
  const close = (first: Promise<void> = Promise.resolve()) =>
    (closing ??= first
      .then(() => context.close())
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
    options.isAcs(url.href) || (options.loopbackOnly === true && /^https?:$/.test(url.protocol) && !isLoopbackUrl(url));
  const handle = async (route: Route) => {
    const request = route.request();
    const url = request.url();
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
      await route
        .fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: SIGNED_IN_PAGE })
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
    await context.route(intercepted, handle);
    context.once('close', () => finish(() => reject(abortedError('Sign-in stopped: the browser window was closed.'))));
    const watchPage = (page: import('playwright-core').Page) =>
      page.once('close', () => {
        if (context.pages().length === 0)
          finish(() => reject(abortedError('Sign-in stopped: the browser window was closed.')));
      });
    context.on('page', watchPage);
    context.pages().forEach(watchPage);
    process.once('SIGINT', onInterrupt);
    timer = setTimeout(() => finish(() => resolve({ kind: 'timeout' })), options.timeoutMs);

    const page = context.pages()[0] ?? (await context.newPage());
    page.goto(options.startUrl, { timeout: options.timeoutMs, waitUntil: 'commit' }).catch((error: Error) => {
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
    return result.kind === 'captured'
      ? { ...result, closed: close(keepSessionCookies(context, options.userDataDir, logger)) }
      : result;
  } finally {
    process.off('SIGINT', onInterrupt);
    clearTimeout(timer);
    settled = true;
    if (!closing) await close();
  }
}
