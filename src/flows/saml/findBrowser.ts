import path from 'node:path';
import { usageError } from '../../core/errors.js';

export const BROWSER_NAMES = ['chrome', 'chromium', 'edge', 'brave'] as const;
export type BrowserName = (typeof BROWSER_NAMES)[number];

export interface FindBrowserInput {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** whether an executable file exists at the path */
  exists: (file: string) => boolean;
  /** --browser / fedlogin_browser: a path, or one of BROWSER_NAMES */
  requested?: string | undefined;
}

export interface FoundBrowser {
  name: BrowserName | 'custom';
  executablePath: string;
}

const LINUX_COMMANDS: Record<BrowserName, string[]> = {
  chrome: ['google-chrome-stable', 'google-chrome'],
  chromium: ['chromium', 'chromium-browser'],
  edge: ['microsoft-edge-stable', 'microsoft-edge'],
  brave: ['brave-browser', 'brave'],
};
const LINUX_FIXED: Record<BrowserName, string[]> = {
  chrome: ['/opt/google/chrome/chrome'],
  chromium: ['/usr/lib/chromium/chromium', '/snap/bin/chromium'],
  edge: ['/opt/microsoft/msedge/msedge'],
  brave: ['/opt/brave.com/brave/brave'],
};
const MAC_APPS: Record<BrowserName, string[]> = {
  chrome: ['Google Chrome.app/Contents/MacOS/Google Chrome'],
  chromium: ['Chromium.app/Contents/MacOS/Chromium'],
  edge: ['Microsoft Edge.app/Contents/MacOS/Microsoft Edge'],
  brave: ['Brave Browser.app/Contents/MacOS/Brave Browser'],
};
const WINDOWS_EXES: Record<BrowserName, string[]> = {
  chrome: ['Google\\Chrome\\Application\\chrome.exe'],
  chromium: ['Chromium\\Application\\chrome.exe'],
  edge: ['Microsoft\\Edge\\Application\\msedge.exe'],
  brave: ['BraveSoftware\\Brave-Browser\\Application\\brave.exe'],
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
 * The Chromium-family browser to drive: the path or name asked for, else the first of Chrome,
 * Chromium, Edge and Brave found. Never downloads one. Pure (exists() is the only look at the disk).
 */
export function findBrowser(input: FindBrowserInput): FoundBrowser {
  const { requested, platform, env, exists } = input;
  if (requested && (requested.includes('/') || requested.includes('\\'))) {
    if (!exists(requested)) {
      throw usageError('BROWSER_NOT_FOUND', `--browser ${requested}: no executable there.`, {
        hint: `Give the path of Chrome, Chromium, Edge or Brave, or one of ${BROWSER_NAMES.join(', ')}.`,
      });
    }
    return { name: 'custom', executablePath: requested };
  }
  if (requested && !(BROWSER_NAMES as readonly string[]).includes(requested)) {
    throw usageError(
      'BROWSER_INVALID',
      `--browser "${requested}" is neither a path nor one of ${BROWSER_NAMES.join(', ')}.`,
    );
  }
  const names = requested ? [requested as BrowserName] : BROWSER_NAMES;
  for (const name of names) {
    const found = browserCandidates(name, platform, env).find(exists);
    if (found) return { name, executablePath: found };
  }
  throw usageError(
    'BROWSER_NOT_FOUND',
    requested
      ? `${requested} is not installed where fedlogin looks for it.`
      : 'No Chrome, Chromium, Edge or Brave found; fedlogin signs in through one of them.',
    {
      hint: 'Install one, pass --browser /path/to/browser, or capture the SAMLResponse yourself and pass --assertion-file.',
    },
  );
}
