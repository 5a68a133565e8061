import type { PersonChannel } from './personChannel.js';

const FRAMES = ['|', '/', '-', '\\'];

/** A one-line spinner while polling, on a terminal only; stop() clears the line. */
export function startSpinner(channel: PersonChannel, text: string, intervalMs = 120): { stop(): void } {
  if (!channel.isTerminal) return { stop() {} };
  let frame = 0;
  const timer = setInterval(() => channel.write(`\r${FRAMES[frame++ % FRAMES.length]} ${text}`), intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      channel.write(`\r${' '.repeat(text.length + 2)}\r`);
    },
  };
}
