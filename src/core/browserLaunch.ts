/**
 * Which browser, which profile: the one shared choice behind `--browser`, `--browser-profile` and
 * `console --isolated`, for every page fedlogin opens in the person's browser (console, OIDC and
 * SSO sign-ins). The command line built here never carries a secret: callers pass the one-shot
 * loopback URL of openSecretUrl (browser.ts) as the page.
 *
 * - nothing chosen: $BROWSER, else the system's default browser (browser.ts, unchanged);
 * - `--browser NAME|PATH`: that browser (chrome, chromium, edge, brave, firefox, or a path);
 * - `--browser-profile NAME`: an existing profile of it: Chromium-family `--profile-directory=NAME`,
 *   Firefox `-P NAME`; an absolute path is a profile folder (Chromium: its parent is the user data
 *   directory; Firefox: `-profile PATH`);
 * - an isolated profile (console --isolated): a folder of fedlogin's own per browser and AWS
 *   profile, Chromium `--user-data-dir=DIR`, Firefox `-profile DIR`.
 * Without --browser, a choice of profile needs a browser to apply to: $BROWSER's first program when
 * it is a browser (not a launcher such as xdg-open), else the first of Chrome, Chromium, Edge,
 * Brave, Firefox found.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { openInBrowser, startProgram } from './browser.js';
import { usageError } from './errors.js';
import { isExecutableFile } from './executableFile.js';
import { type BrowserFamily, defaultUserDataDir, type FoundBrowser, findBrowser } from './findBrowser.js';
import { isLoopbackHost } from './idpUrl.js';

export interface BrowserChoice {
  /** --browser: a name or a path; undefined: $BROWSER, then the system default */
  browser?: string | undefined;
  /** --browser-profile: the name of an existing profile of that browser, or the path of its folder */
  profile?: string | undefined;
  /**
   * an isolated profile of fedlogin's own (console --isolated): the folder <root>/<browser>/<name>
   * (see isolatedProfileDir); the caller creates it 0700
   */
  isolated?: { root: string; name: string } | undefined;
}

export interface BrowserCommand {
  browser: FoundBrowser;
  /** the arguments before the page's URL */
  args: string[];
  /** the isolated profile's folder, when one was asked for */
  isolatedDir?: string | undefined;
}

/** A name as a file name: kept where it is safe, else made safe with a hash so two never meet. Pure. */
function safeFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return safe === name && safe !== '' ? safe : `${safe}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/**
 * The isolated profile folder of one AWS profile in one browser: <root>/<browser>/<profile>, the
 * browser being chrome|chromium|edge|brave|firefox or the file name of a browser given by path
 * (two browsers never share a profile folder: each keeps its own format). Pure.
 */
export function isolatedProfileDir(root: string, browser: FoundBrowser, profile: string): string {
  const key = browser.name === 'custom' ? safeFileName(path.basename(browser.executablePath)) : browser.name;
  return path.join(root, key, safeFileName(profile));
}

export interface BrowserEnvironment {
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** whether an executable file exists at the path (default: a look at the disk) */
  exists?: (file: string) => boolean;
  /** the user id (root runs Chromium without its sandbox, which refuses root otherwise) */
  uid?: number | undefined;
}

/** Whether anything beyond the system default was chosen. */
export function browserChosen(choice: BrowserChoice): boolean {
  return Boolean(choice.browser || choice.profile || choice.isolated);
}

/**
 * --browser-profile, checked: a name (no control characters, no path separator, not starting with
 * "-" so it can never read as a flag) or an absolute path. Pure.
 */
export function checkBrowserProfile(value: string, flag = '--browser-profile'): string {
  const v = value.trim();
  const bad = (why: string) =>
    usageError('BROWSER_PROFILE_INVALID', `${flag} "${value}" ${why}.`, {
      hint: `Give a profile's name as the browser shows it (Chromium: "Default", "Profile 1"; Firefox: "default-release"), or the absolute path of its folder.`,
    });
  if (v === '') throw bad('is empty');
  if (/[\u0000-\u001f\u007f]/.test(v)) throw bad('contains control characters');
  if (path.isAbsolute(v) || path.win32.isAbsolute(v)) return v;
  if (v.startsWith('-')) throw bad('starts with "-"');
  if (v.includes('/') || v.includes('\\') || v === '.' || v === '..')
    throw bad('is neither a name nor an absolute path');
  return v;
}

/**
 * --browser-url, checked: http(s) or ws(s) on 127.0.0.1, ::1 or localhost. The DevTools protocol
 * has no authentication: whoever reaches the port controls the browser, so fedlogin never attaches
 * beyond this machine. Pure.
 */
export function parseBrowserUrl(value: string, origin = '--browser-url'): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw usageError('BROWSER_URL_INVALID', `${origin} is not a URL: "${value}".`, {
      hint: 'Example: --browser-url http://127.0.0.1:9222',
    });
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) || !isLoopbackHost(url.hostname)) {
    throw usageError(
      'BROWSER_URL_INVALID',
      `${origin} must be a remote-debugging address on this machine (127.0.0.1, ::1 or localhost): "${value}".`,
      { hint: 'Example: --browser-url http://127.0.0.1:9222 (remote debugging has no password: never expose it).' },
    );
  }
  return url.href.replace(/\/$/, '');
}

/**
 * $BROWSER's first program, as a --browser value, when it is a browser fedlogin knows how to give a
 * profile to (its file name says Chrome, Chromium, Edge, Brave or Firefox): a path, or a command
 * looked up on PATH. A launcher (xdg-open, wslview, open) is no such browser: undefined.
 */
function browserFromEnv(env: NodeJS.ProcessEnv, exists: (file: string) => boolean): string | undefined {
  const first = (env.BROWSER ?? '')
    .split(path.delimiter)
    .map((p) => p.trim())
    .find(Boolean);
  if (!first || !/chrom|msedge|microsoft-edge|brave|firefox/i.test(path.basename(first.replace(/\\/g, '/'))))
    return undefined;
  if (first.includes('/') || first.includes('\\')) return exists(first) ? first : undefined;
  return (env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, first))
    .find(exists);
}

function profileArgs(family: BrowserFamily, choice: BrowserChoice, isolatedDir: string | undefined): string[] {
  if (isolatedDir) {
    return family === 'firefox'
      ? ['-profile', isolatedDir]
      : [`--user-data-dir=${isolatedDir}`, '--no-first-run', '--no-default-browser-check'];
  }
  if (!choice.profile) return [];
  const profile = checkBrowserProfile(choice.profile);
  const isPath = path.isAbsolute(profile) || path.win32.isAbsolute(profile);
  if (family === 'firefox') return isPath ? ['-profile', profile] : ['-P', profile];
  if (!isPath) return [`--profile-directory=${profile}`];
  const { userDataDir, profileDirectory } = splitProfilePath(profile);
  return [`--user-data-dir=${userDataDir}`, `--profile-directory=${profileDirectory}`];
}

/** A Chromium profile folder's path: its user data directory (the parent) and its own name. */
function splitProfilePath(profile: string): { userDataDir: string; profileDirectory: string } {
  const p = profile.includes('\\') ? path.win32 : path.posix;
  return { userDataDir: p.dirname(profile), profileDirectory: p.basename(profile) };
}

/**
 * Where a Chromium-family profile lives, for driving the browser in it (SAML): a name is a folder
 * of the browser's default user data directory; a path is the folder itself. Pure.
 */
export function chromiumProfile(
  browser: FoundBrowser,
  profile: string,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
): { userDataDir: string; profileDirectory: string } {
  const value = checkBrowserProfile(profile);
  if (path.isAbsolute(value) || path.win32.isAbsolute(value)) return splitProfilePath(value);
  return { userDataDir: defaultUserDataDir(browser.name, platform, env), profileDirectory: value };
}

/** The browser to start and its arguments before the URL. Pure but for exists(). */
export function browserCommand(choice: BrowserChoice, environment: BrowserEnvironment): BrowserCommand {
  if (choice.isolated && choice.profile) {
    throw usageError('OPTION_CONFLICT', 'Give --isolated or --browser-profile, not both.');
  }
  const exists = environment.exists ?? isExecutableFile;
  const platform = environment.platform ?? process.platform;
  const requested = choice.browser ?? browserFromEnv(environment.env, exists);
  const browser = findBrowser({ platform, env: environment.env, exists, requested, anyFamily: true });
  const isolatedDir = choice.isolated && isolatedProfileDir(choice.isolated.root, browser, choice.isolated.name);
  const args = profileArgs(browser.family, choice, isolatedDir);
  if (browser.family === 'chromium' && environment.uid === 0) args.push('--no-sandbox');
  return { browser, args, isolatedDir };
}

/**
 * How to open a page with the choice: the system default when nothing was chosen, else the chosen
 * browser started detached with the profile's arguments and the URL. Throws the usage errors of a
 * bad choice at once, before anything is asked of an IdP or AWS.
 */
export function browserOpener(
  choice: BrowserChoice,
  environment: BrowserEnvironment,
): { description: string; open: (url: string) => Promise<boolean>; command?: BrowserCommand } {
  const { env } = environment;
  if (!browserChosen(choice))
    return { description: env.BROWSER ? '$BROWSER' : 'the default browser', open: (url) => openInBrowser(url, env) };
  const command = browserCommand(choice, { uid: process.getuid?.(), ...environment });
  return {
    description: `${command.browser.executablePath} ${command.args.join(' ')}`.trim(),
    command,
    open: (url) => startProgram(command.browser.executablePath, [...command.args, url], env),
  };
}
