import { closeSync, openSync } from 'node:fs';

/**
 * Whether a person can be asked: a controlling terminal exists. credential_process callers
 * capture stdout and stderr, so prompts go to /dev/tty, and without one we must not wait.
 */
export function hasTerminal(): boolean {
  try {
    closeSync(openSync('/dev/tty', 'r+'));
    return true;
  } catch {
    return false;
  }
}
