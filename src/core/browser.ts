/**
 * Opening a URL in the person's browser, and opening a secret URL without putting it on a command
 * line.
 *
 * Which program: $BROWSER when set, as the AWS CLI (Python's webbrowser) and xdg-open read it: a
 * list of programs separated by the path delimiter (":"), tried in order, each run with the URL as
 * its one argument, without a shell. Otherwise the `open` package: xdg-open on Linux, `open` on
 * macOS, PowerShell's Start-Process on Windows. A chosen browser and profile (--browser,
 * --browser-profile, console --isolated) are browserLaunch.ts.
 */
import { spawn } from 'node:child_process';
import { delimiter } from 'node:path';
import { ONE_SHOT_LIFETIME_MS, type OneShotRedirect, startOneShotRedirect } from './oneShotRedirect.js';

/**
 * Starts a program with its arguments (the last one the URL), detached in a process group of its
 * own, without a shell; resolves false when it could not be started.
 */
export function startProgram(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    try {
      const child = spawn(program, args, { stdio: 'ignore', detached: true, env });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}

/** Opens the URL without waiting for the browser; resolves false when no browser could be started. */
export async function openInBrowser(url: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const programs = (env.BROWSER ?? '')
    .split(delimiter)
    .map((p) => p.trim())
    .filter(Boolean);
  if (programs.length > 0) {
    for (const program of programs) if (await startProgram(program, [url], env)) return true;
    return false;
  }
  try {
    const { default: open } = await import('open');
    const child = await open(url, { wait: false });
    return await new Promise<boolean>((resolve) => {
      child.once('error', () => resolve(false));
      // `open` spawns a launcher that returns at once; a launcher that failed to spawn errors now
      setTimeout(() => resolve(true), 50).unref();
    });
  } catch {
    return false;
  }
}

export interface OpenSecretUrlOptions {
  /** starts a browser on a URL; resolves false when none could be started */
  open: (url: string) => Promise<boolean>;
  /** how long the one-shot redirect waits for the browser; default 2 minutes */
  lifetimeMs?: number;
}

/**
 * Opens a secret URL through a one-shot loopback redirect (see oneShotRedirect.ts): the browser's
 * command line carries only the loopback URL. Resolves the redirect (its `outcome` says whether
 * the browser followed it in time), or undefined when no browser could be started (the redirect
 * is closed then).
 */
export async function openSecretUrl(
  secretUrl: string,
  options: OpenSecretUrlOptions,
): Promise<OneShotRedirect | undefined> {
  const redirect = await startOneShotRedirect(secretUrl, { lifetimeMs: options.lifetimeMs ?? ONE_SHOT_LIFETIME_MS });
  let opened = false;
  try {
    opened = await options.open(redirect.url);
  } finally {
    if (!opened) await redirect.close();
  }
  return opened ? redirect : undefined;
}
