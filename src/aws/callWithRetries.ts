import type { Logger } from '../core/logger.js';
import { type RetryPolicy, withRetries } from './retry.js';
import { isTransient, type ServiceErrorInfo, serviceErrorInfo } from './serviceError.js';

export interface ServiceCallOptions {
  /** for the retry notice: "STS", "Cognito" */
  service: string;
  action: string;
  policy: RetryPolicy;
  logger: Logger;
  /** the service's own error translation, applied once when the call finally fails */
  translate(error: unknown): Error;
  /** a service-specific decision; undefined falls back to "transient errors only" */
  retryable?(info: ServiceErrorInfo, attempt: number): boolean | undefined;
}

/**
 * One AWS call with fedlogin's bounded, jittered retries (throttling, 5xx, network) and a notice
 * line per retry; whatever still fails leaves translated into a FedloginError.
 */
export async function callWithRetries<T>(operation: () => Promise<T>, options: ServiceCallOptions): Promise<T> {
  const { policy, logger } = options;
  try {
    return await withRetries(operation, policy, {
      isRetryable: (error, attempt) => {
        const info = serviceErrorInfo(error);
        return options.retryable?.(info, attempt) ?? isTransient(info);
      },
      onRetry: (error, attempt, delayMs) => {
        const info = serviceErrorInfo(error);
        logger.notice(
          `${options.service} ${options.action}: ${info.code ?? 'error'}${info.status ? ` (HTTP ${info.status})` : ''}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${policy.attempts}).`,
        );
      },
    });
  } catch (error) {
    throw options.translate(error);
  }
}
