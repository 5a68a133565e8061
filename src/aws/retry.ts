import { sleep } from '../core/clock.js';

export interface RetryPolicy {
  /** total attempts, the first included */
  attempts: number;
  /** the first backoff; each later one doubles, with full jitter */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 300, maxDelayMs: 5_000 };

export interface RetryHooks {
  /** decides whether the error is worth another attempt (given how many were made so far) */
  isRetryable(error: unknown, attempt: number): boolean;
  /** told before each wait; used for a notice line */
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
  random?: () => number;
  wait?: (ms: number) => Promise<void>;
}

/** "Full jitter" exponential backoff, as the AWS SDKs do it. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * random());
}

/** Runs `operation` until it succeeds, the error is not retryable, or the attempts run out. */
export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks,
): Promise<T> {
  const random = hooks.random ?? Math.random;
  const wait = hooks.wait ?? ((ms: number) => sleep(ms));
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= policy.attempts || !hooks.isRetryable(error, attempt)) throw error;
      const delay = backoffDelay(policy, attempt, random);
      hooks.onRetry?.(error, attempt, delay);
      await wait(delay);
    }
  }
}
