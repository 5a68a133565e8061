import { closeSync, openSync, writeSync } from 'node:fs';
import { WriteStream } from 'node:tty';

/**
 * Where fedlogin talks to the person during a sign-in. credential_process callers capture stderr
 * (the AWS CLI shows it only on failure), so with a terminal the URL and code go to /dev/tty;
 * without one they go to stderr, where a log or a CI job shows them.
 */
export interface PersonChannel {
  write(text: string): void;
  /** a terminal that can show a spinner (carriage returns) */
  readonly isTerminal: boolean;
  /** the terminal's width, where it tells (asked when needed: a QR code that must fit) */
  columns?(): number | undefined;
  close(): void;
}

export function openPersonChannel(stderr: NodeJS.WriteStream = process.stderr): PersonChannel {
  if (stderr.isTTY) {
    return { write: (text) => void stderr.write(text), isTerminal: true, columns: () => stderr.columns, close() {} };
  }
  let fd: number | undefined;
  try {
    fd = openSync('/dev/tty', 'w');
  } catch {
    fd = undefined;
  }
  if (fd === undefined) return { write: (text) => void stderr.write(text), isTerminal: false, close() {} };
  const tty = fd;
  return {
    write: (text) => {
      try {
        writeSync(tty, text);
      } catch {
        stderr.write(text);
      }
    },
    isTerminal: true,
    columns: () => ttyColumns(),
    close: () => closeSync(tty),
  };
}

/** The width of the controlling terminal (/dev/tty), read on a descriptor of its own. */
function ttyColumns(): number | undefined {
  try {
    const stream = new WriteStream(openSync('/dev/tty', 'w'));
    const columns = stream.columns;
    stream.destroy();
    return columns;
  } catch {
    return undefined;
  }
}
