import path from 'node:path';
import { usageError } from './errors.js';

/** The Chromium family: the browsers fedlogin can drive (SAML) as well as open (console, OIDC). */
export const BROWSER_NAMES = ['chrome', 'chromium', 'edge', 'brave'] as const;
/** Every browser fedlogin can open a page in by name (console, OIDC, SSO sign-ins). */
export const ANY_BROWSER_NAMES = [...BROWSER_NAMES, 'firefox'] as const;
export type BrowserName = (typeof ANY_BROWSER_NAMES)[number];
export type BrowserFamily = 'chromium' | 'firefox';

export interface FindBrowserInput {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** whether an executable file exists at the path */
  exists: (file: string) => boolean;
  /** --browser / fedlogin_browser: a path, or one of BROWSER_NAMES (ANY_BROWSER_NAMES with anyFamily) */
  requested?: string | undefined;
  /** firefox too (opening a page); default: the Chromium family only (driving a browser) */
  anyFamily?: boolean | undefined;
}

export interface FoundBrowser {
  name: BrowserName | 'custom';
  family: BrowserFamily;
  executablePath: string;
}

/** A browser given by its path: Firefox when its file name says so, else a Chromium-family one. */
export function familyOfPath(file: string): BrowserFamily {
  return /firefox|librewolf|waterfox/i.test(path.basename(file.replace(/\\/g, '/'))) ? 'firefox' : 'chromium';
}

const LINUX_COMMANDS: Record<BrowserName, string[]> = {
  chrome: ['google-chrome-stable', 'google-chrome'],
  chromium: ['chromium', 'chromium-browser'],
  edge: ['microsoft-edge-stable', 'microsoft-edge'],
  brave: ['brave-browser', 'brave'],
  firefox: ['firefox', 'firefox-esr'],
};
const LINUX_FIXED: Record<BrowserName, string[]> = {
  chrome: ['/opt/google/chrome/chrome'],
  chromium: ['/usr/lib/chromium/chromium', '/snap/bin/chromium'],
  edge: ['/opt/microsoft/msedge/msedge'],
  brave: ['/opt/brave.com/brave/brave'],
  firefox: ['/usr/lib/firefox/firefox', '/usr/lib/firefox-esr/firefox-esr', '/snap/bin/firefox'],
};
const MAC_APPS: Record<BrowserName, string[]> = {
  chrome: ['Google Chrome.app/Contents/MacOS/Google Chrome'],
  chromium: ['Chromium.app/Contents/MacOS/Chromium'],
  edge: ['Microsoft Edge.app/Contents/MacOS/Microsoft Edge'],
  brave: ['Brave Browser.app/Contents/MacOS/Brave Browser'],
  firefox: ['Firefox.app/Contents/MacOS/firefox'],
};
const WINDOWS_EXES: Record<BrowserName, string[]> = {
  chrome: ['Google\\Chrome\\Application\\chrome.exe'],
  chromium: ['Chromium\\Application\\chrome.exe'],
  edge: ['Microsoft\\Edge\\Application\\msedge.exe'],
  brave: ['BraveSoftware\\Brave-Browser\\Application\\brave.exe'],
  firefox: ['Mozilla Firefox\\firefox.exe'],
};

/** Where each browser may live on this platform, most likely first. Pure. */
export function browserCandidates(name: BrowserName, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'darwin') {
    const roots = ['/Applications', ...(env.HOME ? [path.posix.join(env.HOME, 'Applications')] : [])];
    return roots.flatMap((root) => MAC_APPS[name].map((app) => path.posix.join(root, app)));
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
    return roots.flatMap((root) => WINDOWS_EXES[name].map((exe) => path.win32.join(root, exe)));
  }
  const dirs = (env.PATH ?? '').split(':').filter(Boolean);
  return [...LINUX_COMMANDS[name].flatMap((cmd) => dirs.map((dir) => path.posix.join(dir, cmd))), ...LINUX_FIXED[name]];
}

/**
 * The browser asked for (a path, or a name), else the first found: Chrome, Chromium, Edge, Brave
 * (then Firefox with anyFamily). Driving one (SAML) takes the Chromium family only; opening a page
 * (console, OIDC) takes Firefox too. Never downloads one. Pure (exists() is the only look at the disk).
 */
export function findBrowser(input: FindBrowserInput): FoundBrowser {
  const { requested, platform, env, exists } = input;
  const known: readonly BrowserName[] = input.anyFamily ? ANY_BROWSER_NAMES : BROWSER_NAMES;
  const what = input.anyFamily ? 'Chrome, Chromium, Edge, Brave or Firefox' : 'Chrome, Chromium, Edge or Brave';
  if (requested && (requested.includes('/') || requested.includes('\\'))) {
    if (!exists(requested)) {
      throw usageError('BROWSER_NOT_FOUND', `--browser ${requested}: no executable there.`, {
        hint: `Give the path of ${what}, or one of ${known.join(', ')}.`,
      });
    }
    const family = familyOfPath(requested);
    if (family === 'firefox' && !input.anyFamily) {
      throw usageError(
        'BROWSER_INVALID',
        `--browser ${requested}: fedlogin drives Chrome, Chromium, Edge or Brave here, not Firefox.`,
      );
    }
    return { name: 'custom', family, executablePath: requested };
  }
  if (requested && !(known as readonly string[]).includes(requested)) {
    throw usageError('BROWSER_INVALID', `--browser "${requested}" is neither a path nor one of ${known.join(', ')}.`);
  }
  const names = requested ? [requested as BrowserName] : known;
  for (const name of names) {
    const found = browserCandidates(name, platform, env).find(exists);
    if (found) return { name, family: name === 'firefox' ? 'firefox' : 'chromium', executablePath: found };
  }
  throw usageError(
    'BROWSER_NOT_FOUND',
    requested
      ? `${requested} is not installed where fedlogin looks for it.`
      : input.anyFamily
        ? `No ${what} found.`
        : 'No Chrome, Chromium, Edge or Brave found; fedlogin signs in through one of them.',
    {
      hint: input.anyFamily
        ? 'Install one, or pass --browser /path/to/browser.'
        : 'Install one, pass --browser /path/to/browser, or capture the SAMLResponse yourself and pass --assertion-file.',
    },
  );
}

const LINUX_DATA: Record<Exclude<BrowserName, 'firefox'>, string> = {
  chrome: 'google-chrome',
  chromium: 'chromium',
  edge: 'microsoft-edge',
  brave: 'BraveSoftware/Brave-Browser',
};
const MAC_DATA: Record<Exclude<BrowserName, 'firefox'>, string> = {
  chrome: 'Google/Chrome',
  chromium: 'Chromium',
  edge: 'Microsoft Edge',
  brave: 'BraveSoftware/Brave-Browser',
};
const WINDOWS_DATA: Record<Exclude<BrowserName, 'firefox'>, string> = {
  chrome: 'Google\\Chrome\\User Data',
  chromium: 'Chromium\\User Data',
  edge: 'Microsoft\\Edge\\User Data',
  brave: 'BraveSoftware\\Brave-Browser\\User Data',
};

/**
 * The user data directory a Chromium-family browser uses by default (where its profiles "Default",
 * "Profile 1"... live); a browser given by path counts as Chromium. Pure.
 */
export function defaultUserDataDir(
  name: BrowserName | 'custom',
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
): string {
  const key = name === 'custom' || name === 'firefox' ? 'chromium' : name;
  const home = env.HOME ?? env.USERPROFILE ?? '';
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', MAC_DATA[key]);
  if (platform === 'win32')
    return path.win32.join(env.LOCALAPPDATA ?? path.win32.join(home, 'AppData', 'Local'), WINDOWS_DATA[key]);
  if (env.CHROME_CONFIG_HOME && path.isAbsolute(env.CHROME_CONFIG_HOME))
    return path.posix.join(env.CHROME_CONFIG_HOME, LINUX_DATA[key]);
  const config =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.posix.join(home, '.config');
  return path.posix.join(config, LINUX_DATA[key]);
}
