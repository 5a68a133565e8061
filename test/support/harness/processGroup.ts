import type { ChildProcess } from 'node:child_process';

/**
 * Sends a signal to a child's whole process group (children started with `detached: true` lead
 * one), so whatever the child started goes too; falls back to the child alone. Never throws.
 */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // gone already
    }
  }
}
