import { readdirSync, readFileSync } from 'node:fs';

/**
 * Processes a test did not start itself but must find, scan and end: a browser that fedlogin
 * started detached (its own process group), found by a marker on its command line (its profile
 * folder, under the test's temp dirs). Linux /proc only.
 */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** /proc/PID/cmdline, split on NUL */
  argv: string[];
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (argv.at(-1) === '') argv.pop();
    return { pid, ppid: Number(fields[1]), pgid: Number(fields[2]), argv };
  } catch {
    return undefined; // gone, or a kernel thread
  }
}

function ownGroup(): number | undefined {
  return readProcess(process.pid)?.pgid;
}

export function listProcesses(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((p): p is ProcessInfo => p !== undefined && p.pid !== process.pid);
}

/**
 * The processes whose command line contains `marker`, with everything in their process groups and
 * every descendant (a browser's zygotes, renderers, GPU and utility processes).
 */
export function processesWith(marker: string): ProcessInfo[] {
  const all = listProcesses();
  const found = new Map<number, ProcessInfo>();
  for (const p of all) if (p.argv.some((a) => a.includes(marker))) found.set(p.pid, p);
  // never the test's own group (a marker on a process of the test runner's group)
  const groups = new Set([...found.values()].map((p) => p.pgid).filter((g) => g !== ownGroup()));
  for (const p of all) if (groups.has(p.pgid)) found.set(p.pid, p);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all)
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.set(p.pid, p);
        grew = true;
      }
  }
  return [...found.values()];
}

/** SIGKILLs the processes of processesWith(marker), their groups first. Never throws. */
export function killProcessesWith(marker: string): number {
  const found = processesWith(marker);
  for (const pgid of new Set(found.map((p) => p.pgid))) {
    try {
      if (pgid > 1 && pgid !== ownGroup()) process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  for (const p of found) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  return found.length;
}
