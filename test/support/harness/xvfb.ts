import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A virtual display for tests of visible browser windows: Xvfb on a free display number, which it
 * reports on fd 3 (no fixed number, no lock-file race), in a process group of its own, killed by
 * `stop()` and when the test process exits.
 */
export interface Xvfb {
  /** ":N", the value for DISPLAY */
  display: string;
  stop(): void;
}

const XVFB_START_BOUND_MS = 60_000;

export async function startXvfb(): Promise<Xvfb> {
  const child: ChildProcess = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone already
    }
  };
  process.once('exit', stop);
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    // a signal (-displayfd), bounded for a hang: Xvfb compiles its keymap with xkbcomp at start,
    // seconds on a busy machine
    const timer = setTimeout(
      () => reject(new Error(`Xvfb did not report a display within ${XVFB_START_BOUND_MS / 1000} s`)),
      XVFB_START_BOUND_MS,
    );
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8');
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${text.trim()}`);
      }
    });
    child.once('exit', () => reject(new Error('Xvfb exited')));
  }).catch((error: unknown) => {
    stop();
    throw error;
  });
  return { display, stop };
}
