/**
 * Writes credential-process's answer straight to file descriptor 1. Creating process.stdout costs
 * a few milliseconds at start-up (a stream object, and for a pipe a net.Socket), which on a cache
 * hit is more than all of fedlogin's own work (measured with npm run bench).
 */
import { writeSync } from 'node:fs';

/**
 * Synchronous and complete: a short write is continued. A reader that went away (EPIPE) is not an
 * error worth a stack trace (`fedlogin ... | head`): the rest is dropped. A non-blocking stdout
 * that is full (EAGAIN, when a parent shared a non-blocking pipe) hands the rest to process.stdout,
 * which waits until it drains before the process exits.
 */
export function writeStdout(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset, bytes.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw error;
      process.stdout.on('error', () => {
        // EPIPE meanwhile: dropped, as above
      });
      process.stdout.write(bytes.subarray(offset));
      return;
    }
  }
}
