import type { CustomFetch } from 'openid-client';
import { type HttpRequestOptions, httpRequest } from './httpRequest.js';

/**
 * openid-client v6's `customFetch`: its discovery, token, device and refresh calls through the
 * node:http layer (proxy, CA bundle, size cap) instead of Node's global fetch. openid-client
 * wants a real Response back; building one loads only undici's Response and Headers classes, not
 * fetch's connection machinery (the expensive part). Redirects are not followed, as openid-client
 * asks (redirect: 'manual').
 */
export function oidcFetch(settings: Pick<HttpRequestOptions, 'caBundle'> = {}): CustomFetch {
  return async (url, options) => {
    const response = await httpRequest(url, {
      method: options.method,
      headers: options.headers,
      body: requestBody(options.body),
      ...(options.signal ? { signal: options.signal } : {}),
      ...settings,
    });
    const empty = response.body.length === 0 || [101, 204, 205, 304].includes(response.status);
    return new Response(empty ? null : new Uint8Array(response.body), {
      status: response.status,
      headers: response.headerPairs,
    });
  };
}

function requestBody(body: unknown): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('oidcFetch: unsupported request body');
}
