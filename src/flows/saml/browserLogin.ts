import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { usageError } from '../../core/errors.js';
import { findBrowser } from '../../core/findBrowser.js';
import type { Logger } from '../../core/logger.js';
import { openPersonChannel } from '../../core/personChannel.js';
import { startSpinner } from '../../core/spinner.js';
import { ensurePrivateDir } from '../../store/privateDir.js';
import { acsMatcher } from './acsUrl.js';
import { browserProfileDir, SESSION_MARKER } from './browserProfileDir.js';
import {
  type CaptureOptions,
  type CaptureResult,
  captureSamlResponse,
  samlLoginTimeout,
  testHooks,
} from './captureAssertion.js';
import type { AssertionSource } from './login.js';
import { samlResponseFromOwnBrowser } from './ownBrowser.js';
import type { SamlSettings } from './settings.js';
import { parseSsoUrl } from './ssoUrl.js';

export type BrowserMode = 'auto' | 'headed' | 'headless';

export interface BrowserLoginSettings {
  idpUrl: string;
  /** --browser / fedlogin_browser: a path or chrome|chromium|edge|brave */
  browser?: string | undefined;
  /** --browser-profile / fedlogin_browser_profile: sign in in the person's own profile (ownBrowser.ts) */
  browserProfile?: string | undefined;
  /** --browser-url / fedlogin_browser_url: sign in in the person's running browser (ownBrowser.ts) */
  browserUrl?: string | undefined;
  acsUrlPattern?: string | undefined;
  mode: BrowserMode;
  /** how long a person gets to sign in */
  timeoutMs: number;
  /** how long a silent (headless) renewal may take before a window is needed */
  silentTimeoutMs: number;
  /** whether a person can be asked (a visible window) */
  interactive: boolean;
  /** the error when a person is needed and cannot be asked */
  needsPerson: () => Error;
}

export interface BrowserLoginDeps {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  platform?: NodeJS.Platform;
  /** replaced in tests of the decision logic; the real one drives the browser */
  capture?: (options: CaptureOptions) => Promise<CaptureResult>;
}

export interface BrowserAssertion {
  samlResponse: string;
  capturedAt: number;
  /** resolves once the browser has closed (it closes while the exchange runs) */
  closed: Promise<void>;
}

const isExecutable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/**
 * Gets a SAMLResponse through the user's browser. With a session left by an earlier login it
 * first tries headless (silent renewal); a visible window opens only when the IdP needs the person
 * and a person can be asked. --headed / --headless force one.
 */
export async function samlResponseFromBrowser(
  settings: BrowserLoginSettings,
  deps: BrowserLoginDeps,
): Promise<BrowserAssertion> {
  const { env, logger } = deps;
  // resolveSamlSettings checked it already; this is the last gate before a browser opens it
  parseSsoUrl(settings.idpUrl, 'The IdP URL');
  if (settings.browserUrl || settings.browserProfile) return samlResponseFromOwnBrowser(settings, deps);
  const platform = deps.platform ?? process.platform;
  const userDataDir = browserProfileDir(env, settings.idpUrl);
  const marker = join(userDataDir, SESSION_MARKER);
  // Without a session to renew and nobody to sign in, fail at once (credential_process must not hang).
  if (settings.mode === 'auto' && !settings.interactive && !existsSync(marker)) throw settings.needsPerson();
  const browser = findBrowser({ platform, env, exists: isExecutable, requested: settings.browser });
  ensurePrivateDir(userDataDir);
  const capture = deps.capture ?? captureSamlResponse;
  const base = {
    executablePath: browser.executablePath,
    userDataDir,
    startUrl: settings.idpUrl,
    isAcs: acsMatcher(settings.acsUrlPattern),
    logger,
    ...testHooks(env),
  };
  logger.debug(`browser ${browser.name} at ${browser.executablePath}, profile ${userDataDir}`);

  const done = (result: Extract<CaptureResult, { kind: 'captured' }>): BrowserAssertion => {
    writeFileSync(marker, new Date().toISOString() + '\n', { mode: 0o600 });
    return { samlResponse: result.samlResponse, capturedAt: result.capturedAt, closed: result.closed };
  };
  const timedOut = () => samlLoginTimeout(settings.timeoutMs);

  if (settings.mode === 'headless') {
    const result = await capture({ ...base, headless: true, timeoutMs: settings.timeoutMs });
    if (result.kind === 'captured') return done(result);
    throw timedOut();
  }
  if (settings.mode === 'auto' && existsSync(marker)) {
    logger.debug('an earlier sign-in left a browser session: trying a silent (headless) renewal');
    const result = await capture({ ...base, headless: true, timeoutMs: settings.silentTimeoutMs });
    if (result.kind === 'captured') return done(result);
    logger.debug(`silent renewal did not finish within ${settings.silentTimeoutMs} ms: the IdP needs you`);
  }
  if (!settings.interactive) throw settings.needsPerson();
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    throw usageError(
      'NO_DISPLAY',
      'Signing in needs a browser window, and there is no display here (DISPLAY and WAYLAND_DISPLAY are unset).',
      { hint: 'Run fedlogin on your desktop, or sign in elsewhere and pass the SAMLResponse with --assertion-file.' },
    );
  }
  logger.notice(
    `Sign in in the browser window that opened (${settings.idpUrl}); fedlogin waits up to ${Math.round(settings.timeoutMs / 1000)} s.`,
  );
  const person = openPersonChannel();
  const spinner = startSpinner(person, 'Waiting for you to sign in in the browser window...');
  const result = await capture({ ...base, headless: false, timeoutMs: settings.timeoutMs }).finally(() => {
    spinner.stop();
    person.close();
  });
  if (result.kind === 'captured') return done(result);
  throw timedOut();
}

/** The browser as an assertion source for resolved settings: asking again signs in again. */
export function browserAssertionSource(
  settings: SamlSettings & { idpUrl: string },
  person: Pick<BrowserLoginSettings, 'interactive' | 'needsPerson'>,
  deps: BrowserLoginDeps,
): AssertionSource {
  const { idpUrl, browser, browserProfile, browserUrl, acsUrlPattern, mode, timeoutMs, silentTimeoutMs } = settings;
  return {
    description: `the browser (${idpUrl})`,
    renewable: true,
    get: () =>
      samlResponseFromBrowser(
        { idpUrl, browser, browserProfile, browserUrl, acsUrlPattern, mode, timeoutMs, silentTimeoutMs, ...person },
        deps,
      ),
  };
}
