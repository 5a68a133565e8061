import { type ChildProcess, spawn } from 'node:child_process';
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from '../harness/polling.js';
import { killGroup } from '../harness/processGroup.js';

/**
 * The person's own Chromium, started the way docs/browsers.md tells people to (for
 * `saml --browser-url`, or as the browser that holds a profile): on a display, in a profile folder
 * of the test's, with remote debugging on a port the browser picks itself (--remote-debugging-port=0;
 * the port is read from DevToolsActivePort in the profile folder, so no fixed port). Its own process
 * group, killed by stop() and when the test process exits.
 */
export interface PersonBrowser {
  /** http://127.0.0.1:PORT: the value for --browser-url */
  url: string;
  child: ChildProcess;
  stop(): void;
}

export async function startPersonBrowser(options: {
  executable: string;
  userDataDir: string;
  env: Record<string, string>;
  /** extra flags (e.g. --profile-directory=...) */
  args?: string[];
  /** without remote debugging: a browser that only holds its profile */
  debugging?: boolean;
}): Promise<PersonBrowser> {
  const debugging = options.debugging ?? true;
  const child = spawn(
    options.executable,
    [
      `--user-data-dir=${options.userDataDir}`,
      '--no-first-run',
      '--no-default-browser-check',
      ...(debugging ? ['--remote-debugging-port=0', '--remote-debugging-address=127.0.0.1'] : []),
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ...(options.args ?? []),
      'about:blank',
    ],
    { env: options.env, stdio: 'ignore', detached: true },
  );
  const stop = () => killGroup(child, 'SIGKILL');
  process.once('exit', stop);
  try {
    const port = await waitFor(
      () => {
        try {
          // without debugging: started once it holds its profile folder
          if (!debugging) return lstatSync(path.join(options.userDataDir, 'SingletonLock')) && -1;
          const [first] = readFileSync(path.join(options.userDataDir, 'DevToolsActivePort'), 'utf8').split('\n');
          return /^\d+$/.test(first ?? '') ? Number(first) : undefined;
        } catch {
          return undefined;
        }
      },
      {
        timeoutMs: 60_000,
        what: debugging ? 'the browser to write DevToolsActivePort' : 'the browser to lock its profile',
        intervalMs: 100,
      },
    );
    return { url: debugging ? `http://127.0.0.1:${port}` : '', child, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
