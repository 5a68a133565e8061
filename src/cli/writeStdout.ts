/**
 * Writes credential-process's answer straight to file descriptor 1. Creating process.stdout costs
 * a few milliseconds at start-up (a stream object, and for a pipe a net.Socket), which on a cache
 * hit is more than all of fedlogin's own work (measured with npm run bench).
 */
import { writeSync } from 'node:fs';

/** how long a full non-blocking stdout may keep the answer waiting before it is an error */
const MAX_WAIT_MS = 60_000;
const WAIT_STEP_MS = 5;

/**
 * Synchronous and complete, so the caller may exit as soon as it returns: a short write is
 * continued, and a non-blocking stdout that is full (EAGAIN: a parent shared a non-blocking pipe)
 * is waited for, as a blocking write would. A reader that went away (EPIPE) is not an error worth
 * a stack trace (`fedlogin ... | head`): the rest is dropped.
 */
export function writeStdout(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  let waitedMs = 0;
  let pause: Int32Array | undefined;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset, bytes.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN' || waitedMs >= MAX_WAIT_MS) throw error;
      pause ??= new Int32Array(new SharedArrayBuffer(4));
      Atomics.wait(pause, 0, 0, WAIT_STEP_MS);
      waitedMs += WAIT_STEP_MS;
    }
  }
}
