/**
 * SAML sign-in in the person's own browser, for IdPs that check the device (Entra ID compliant
 * device, Google endpoint verification, Okta device trust): those checks need the person's real
 * profile, its extensions, certificates and device-management enrolment, which fedlogin's own
 * profile (browserProfileDir.ts) does not have. Two ways (trade-offs: docs/browsers.md):
 *
 * - `--browser-profile NAME|PATH`: fedlogin starts the browser itself in that existing profile.
 *   A Chromium-family browser holds a profile folder alone (its SingletonLock); while the browser
 *   runs, fedlogin cannot use it and says to close it first.
 * - `--browser-url http://127.0.0.1:9222`: fedlogin attaches over CDP to the browser the person
 *   started with remote debugging, opens one tab, captures the assertion there, and closes only
 *   that tab: the browser and its other tabs stay as they were.
 *
 * The assertion is captured as in fedlogin's own browser (captureAssertion.ts): read at the POST
 * to the ACS and answered locally, so it never reaches AWS's sign-in page.
 */
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { chromiumProfile } from '../../core/browserLaunch.js';
import { usageError } from '../../core/errors.js';
import { isExecutableFile } from '../../core/executableFile.js';
import { defaultUserDataDir, type FoundBrowser, findBrowser } from '../../core/findBrowser.js';
import { openPersonChannel } from '../../core/personChannel.js';
import { startSpinner } from '../../core/spinner.js';
import { isProcessAlive } from '../../store/processAlive.js';
import { acsMatcher } from './acsUrl.js';
import type { BrowserAssertion, BrowserLoginDeps, BrowserLoginSettings } from './browserLogin.js';
import { type CaptureResult, captureSamlResponse, samlLoginTimeout, testHooks } from './captureAssertion.js';

const DISPLAY_NAMES: Record<FoundBrowser['name'], string> = {
  chrome: 'Chrome',
  chromium: 'Chromium',
  edge: 'Edge',
  brave: 'Brave',
  firefox: 'Firefox',
  custom: 'the browser',
};

/**
 * The pid of the browser that holds a Chromium user data directory, from its SingletonLock (a
 * symbolic link to "HOST-PID"): a lock of this host whose process is gone is stale (Chromium takes
 * it over), one of another host is held. undefined: free. Linux and macOS; on Windows the launch
 * itself reports it (captureAssertion.ts).
 */
export function profileHolder(userDataDir: string): { pid: number; host: string } | undefined {
  let target: string;
  try {
    target = readlinkSync(join(userDataDir, 'SingletonLock'));
  } catch {
    return undefined;
  }
  const match = /^(.*)-(\d+)$/.exec(target);
  if (!match) return undefined;
  const [, host, pid] = match;
  if (host === hostname() && !isProcessAlive(Number(pid))) return undefined;
  return { pid: Number(pid), host: host! };
}

export async function samlResponseFromOwnBrowser(
  settings: BrowserLoginSettings,
  deps: BrowserLoginDeps,
): Promise<BrowserAssertion> {
  const { env, logger } = deps;
  const platform = deps.platform ?? process.platform;
  const capture = deps.capture ?? captureSamlResponse;
  const common = {
    startUrl: settings.idpUrl,
    isAcs: acsMatcher(settings.acsUrlPattern),
    logger,
    ...testHooks(env),
  };
  let result: CaptureResult;
  if (settings.browserUrl) {
    // the person's browser may well hold an IdP session: without a person, try for the silent time
    const timeoutMs = settings.interactive ? settings.timeoutMs : settings.silentTimeoutMs;
    if (settings.interactive)
      logger.notice(
        `Sign in in the new tab of your browser (${settings.browserUrl}); fedlogin waits up to ${Math.round(timeoutMs / 1000)} s and then closes that tab only.`,
      );
    result = await withSpinner(settings.interactive, 'Waiting for you to sign in in your browser...', () =>
      capture({
        ...common,
        attachUrl: settings.browserUrl,
        executablePath: '',
        userDataDir: '',
        headless: false,
        timeoutMs,
      }),
    );
    if (result.kind === 'timeout' && !settings.interactive) throw settings.needsPerson();
  } else {
    const browser = findBrowser({ platform, env, exists: isExecutableFile, requested: settings.browser });
    const { userDataDir, profileDirectory } = chromiumProfile(browser, settings.browserProfile!, platform, env);
    if (browser.name === 'chrome' && userDataDir === defaultUserDataDir('chrome', platform, env)) {
      // Chrome 136+ ignores --remote-debugging-pipe/-port there (Google's guard against cookie theft)
      throw usageError(
        'BROWSER_PROFILE_UNDRIVABLE',
        `Google Chrome cannot be driven in its default profile folder ${userDataDir} (Chrome 136 and later refuse remote control there).`,
        {
          hint: 'Turn on remote debugging in chrome://inspect/#remote-debugging and pass --browser-url with the ws:// address Chrome shows, or keep a work profile in a folder of its own and pass --browser-profile /path/to/it/Default (docs/browsers.md).',
        },
      );
    }
    const holder = profileHolder(userDataDir);
    if (holder) {
      const name = DISPLAY_NAMES[browser.name];
      throw usageError(
        'BROWSER_PROFILE_BUSY',
        `${name} is running with the profiles in ${userDataDir} (pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}): close ${name} first (every window), then run this again.`,
        {
          hint: `Or keep ${name} open: start it with --remote-debugging-port=9222 and pass --browser-url http://127.0.0.1:9222 instead (docs/browsers.md).`,
        },
      );
    }
    const headless = settings.mode === 'headless';
    if (!headless && !settings.interactive) throw settings.needsPerson();
    if (!headless && platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
      throw usageError(
        'NO_DISPLAY',
        'Signing in in your browser profile needs a window, and there is no display here (DISPLAY and WAYLAND_DISPLAY are unset).',
        { hint: 'Run fedlogin on your desktop, or sign in elsewhere and pass the SAMLResponse with --assertion-file.' },
      );
    }
    logger.debug(
      `browser ${browser.name} at ${browser.executablePath}, your profile "${profileDirectory}" in ${userDataDir}`,
    );
    if (!headless)
      logger.notice(
        `Sign in in the ${DISPLAY_NAMES[browser.name]} window that opened with your profile "${profileDirectory}" (${settings.idpUrl}); fedlogin waits up to ${Math.round(settings.timeoutMs / 1000)} s.`,
      );
    result = await withSpinner(!headless, 'Waiting for you to sign in in the browser window...', () =>
      capture({
        ...common,
        executablePath: browser.executablePath,
        userDataDir,
        profileDirectory,
        headless,
        timeoutMs: settings.timeoutMs,
      }),
    );
  }
  if (result.kind === 'captured')
    return { samlResponse: result.samlResponse, capturedAt: result.capturedAt, closed: result.closed };
  throw samlLoginTimeout(settings.timeoutMs);
}

async function withSpinner<T>(show: boolean, text: string, run: () => Promise<T>): Promise<T> {
  if (!show) return run();
  const person = openPersonChannel();
  const spinner = startSpinner(person, text);
  return run().finally(() => {
    spinner.stop();
    person.close();
  });
}
