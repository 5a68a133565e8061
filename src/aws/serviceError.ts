/**
 * What fedlogin needs to know about an error thrown by an AWS SDK client, read without importing
 * the SDK: its error code, HTTP status, and whether the request never got an answer.
 */
export interface ServiceErrorInfo {
  /** e.g. AccessDenied, Throttling, IDPCommunicationError; undefined for network errors */
  code: string | undefined;
  status: number | undefined;
  message: string;
  /** no HTTP answer at all: refused, reset, DNS, timeout */
  network: boolean;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

export function serviceErrorInfo(error: unknown): ServiceErrorInfo {
  const e = (error ?? {}) as {
    name?: string;
    code?: string;
    Code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: unknown;
    cause?: { code?: string };
  };
  const status = e.$metadata?.httpStatusCode;
  const errno = e.code ?? e.cause?.code;
  const network =
    status === undefined &&
    ((errno !== undefined && NETWORK_CODES.has(errno)) || e.name === 'TimeoutError' || e.name === 'RequestTimeout');
  // The SDK names modeled errors FooException (InvalidIdentityTokenException) and unmodeled ones
  // by their wire code (AccessDenied, Throttling): compare on the wire code.
  const code = network ? (errno ?? e.name) : (e.Code ?? e.name)?.replace(/(.)Exception$/, '$1');
  return { code, status, message: String(e.message ?? error), network };
}

/** wire codes, without the SDK's "Exception" suffix */
const RETRYABLE_CODES = new Set([
  'Throttling',
  'Throttled',
  'RequestThrottled',
  'TooManyRequests',
  'RequestLimitExceeded',
  'SlowDown',
  'IDPCommunicationError',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
]);

/** Throttling, IdP communication trouble, 5xx and network errors are worth another attempt. */
export function isTransient(info: ServiceErrorInfo): boolean {
  if (info.network) return true;
  if (info.code !== undefined && RETRYABLE_CODES.has(info.code)) return true;
  return info.status !== undefined && info.status >= 500;
}
