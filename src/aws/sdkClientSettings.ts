import { httpTimeoutMs } from '../core/httpTimeout.js';

export interface SdkTimeouts {
  connectTimeoutMs?: number | undefined;
  requestTimeoutMs?: number | undefined;
}

/**
 * What every AWS SDK client fedlogin makes shares: one attempt (fedlogin retries itself, see
 * callWithRetries.ts) and timeouts that really end a hung request.
 */
export function sdkClientSettings(timeouts: SdkTimeouts) {
  return {
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: timeouts.connectTimeoutMs ?? httpTimeoutMs(5_000),
      requestTimeout: timeouts.requestTimeoutMs ?? httpTimeoutMs(15_000),
      // without this the SDK only logs a warning and keeps waiting
      throwOnRequestTimeout: true,
    },
  };
}
