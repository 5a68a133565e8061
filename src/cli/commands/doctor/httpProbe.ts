import { httpRequest } from '../../../aws/network/httpRequest.js';
import { isFedloginError } from '../../../core/errors.js';

/** The answer of one bounded GET: enough to say "reachable", read a Date header, and parse JSON. */
export type ProbeResult =
  | { reachable: true; status: number; date: string | undefined; body: string; sentAt: number; receivedAt: number }
  | {
      reachable: false;
      reason: string /** what fixes it, when the network layer knows (certificate, proxy) */;
      fix?: string;
    };

export type HttpProbe = (url: string, timeoutMs: number) => Promise<ProbeResult>;

/**
 * A GET through the node:http layer (so through the proxy and CA bundle every other call uses)
 * that never follows redirects (an SSO URL answers 302 to the login page) and gives up after
 * timeoutMs. A certificate or proxy failure is the reason, in its own words.
 */
export const fetchProbe: HttpProbe = async (url, timeoutMs) => {
  const sentAt = Date.now();
  try {
    const response = await httpRequest(url, {
      timeoutMs,
      maxBytes: 100_000,
      headers: { accept: 'application/json, text/html;q=0.9, */*;q=0.1' },
    });
    return {
      reachable: true,
      status: response.status,
      date: response.headers.get('date') ?? undefined,
      body: await response.text(),
      sentAt,
      receivedAt: Date.now(),
    };
  } catch (error) {
    const err = error as Error & { code?: string; cause?: { code?: string; message?: string } };
    const reason = isFedloginError(error)
      ? error.message
      : err.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : (err.code ?? err.cause?.code ?? err.cause?.message ?? err.message);
    return { reachable: false, reason, ...(isFedloginError(error) && error.hint ? { fix: error.hint } : {}) };
  }
};
