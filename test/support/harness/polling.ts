/**
 * Waiting on a condition nothing signals (a file another process writes, a port a browser opens, a
 * page that appears): asks again every intervalMs until it holds, bounded by timeoutMs, and fails
 * naming what it waited for (and the last error the condition threw, if any). Where the thing
 * waited on can signal (a child's output, an event), wait on the signal instead (spawnCli's
 * waitForStderr / waitUntil).
 */
export interface WaitForOptions {
  /** default 10 s */
  timeoutMs?: number;
  /** what is waited for, for the failure message: "fedlogin's browser on port 9222" */
  what: string;
  /** default 50 ms */
  intervalMs?: number;
}

/** Resolves with the first value of `condition` that is not undefined, null or false. */
export async function waitFor<T>(
  condition: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitForOptions,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() >= deadline) {
      const why =
        lastError === undefined
          ? ''
          : ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
