import { spawnSync } from 'node:child_process';
import { it } from 'vitest';

/** Exit status 0 from `command args`, within five seconds. */
export function runs(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 5_000 });
  return result.status === 0;
}

/**
 * Whether a test needing a tool can run. Missing on a laptop: a printed reason and a skip. Missing
 * under CI=true: a failing test, so CI never passes by skipping, unless `optionalInCi` explains why
 * CI cannot have the tool.
 */
export function needTool(tool: string, available: boolean, install: string, optionalInCi?: string): boolean {
  if (available) return true;
  if (process.env.CI === 'true' && optionalInCi === undefined) {
    it(`${tool} is installed (required under CI)`, () => {
      throw new Error(`${tool} is missing; ${install}`);
    });
  } else {
    const reason = `${tool} is not available, so its tests are skipped (${optionalInCi ?? install})`;
    console.warn(`[skip] ${reason}.`);
    it.skip(reason, () => {});
  }
  return false;
}

/** Splits NUL-terminated output into byte buffers. */
export function splitNul(output: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = output.indexOf(0, start); i !== -1; i = output.indexOf(0, start)) {
    parts.push(output.subarray(start, i));
    start = i + 1;
  }
  if (start !== output.length) throw new Error(`output does not end with NUL: ${JSON.stringify(output.subarray(start).toString())}`);
  return parts;
}

/** Reads `env -0` output into a map of name -> raw bytes of the value. */
export function parseEnv0(output: Buffer): Map<string, Buffer> {
  const env = new Map<string, Buffer>();
  for (const entry of splitNul(output)) {
    const eq = entry.indexOf('=');
    env.set(entry.subarray(0, eq).toString('utf8'), entry.subarray(eq + 1));
  }
  return env;
}
