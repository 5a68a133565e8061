import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Where fedlogin talks to the person during a sign-in. credential_process callers capture stderr
 * (the AWS CLI shows it only on failure), so with a terminal the URL and code go to /dev/tty;
 * without one they go to stderr, where a log or a CI job shows them.
 */
export interface PersonChannel {
  write(text: string): void;
  /** a terminal that can show a spinner (carriage returns) */
  readonly isTerminal: boolean;
  close(): void;
}

export function openPersonChannel(stderr: NodeJS.WriteStream = process.stderr): PersonChannel {
  if (stderr.isTTY) {
    return { write: (text) => void stderr.write(text), isTerminal: true, close() {} };
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
    close: () => closeSync(tty),
  };
}
