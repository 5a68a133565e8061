import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { AwsFault } from './awsProtocolServer.js';

/**
 * Server-side AWS Signature Version 4 verification with node:crypto, the way AWS checks a signed
 * request: rebuild the canonical request from what arrived, derive the signing key from the secret
 * the server knows, compare. Errors are the AWS error codes and messages clients see.
 */

export interface SigV4Authorization {
  accessKeyId: string;
  /** YYYYMMDD of the credential scope */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export interface SignedRequestParts {
  method: string;
  /** the path as sent, still percent-encoded */
  path: string;
  /** the raw query string without '?' */
  rawQuery: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** How far a signature's timestamp may be from the server's clock, as AWS allows. */
export const SIGNATURE_WINDOW_MS = 15 * 60 * 1000;

const AUTH_PREFIX = 'AWS4-HMAC-SHA256 ';

export function parseSigV4Authorization(header: string | undefined): SigV4Authorization {
  if (header === undefined || header === '') {
    throw new AwsFault('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
  }
  if (!header.startsWith(AUTH_PREFIX)) {
    throw new AwsFault('IncompleteSignature', `Authorization header requires 'AWS4-HMAC-SHA256' algorithm.`, 403);
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(AUTH_PREFIX.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    throw new AwsFault(
      'IncompleteSignature',
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.`,
      403,
    );
  }
  const [accessKeyId, scopeDate, region, service, terminator] = credential.split('/');
  if (!accessKeyId || !scopeDate || !region || !service || terminator !== 'aws4_request') {
    throw new AwsFault('IncompleteSignature', `Credential should be scoped to a valid region.`, 403);
  }
  return { accessKeyId, scopeDate, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/**
 * Checks the signature of a request against `secretAccessKey`; throws SignatureDoesNotMatch (403)
 * for a wrong signature, a timestamp outside the 15-minute window, or a scope for another service.
 */
export function verifySigV4Signature(
  req: SignedRequestParts,
  auth: SigV4Authorization,
  secretAccessKey: string,
  now: number,
  expectedService: string,
): void {
  const amzDate = headerValue(req.headers, 'x-amz-date');
  const signedAt = amzDate === undefined ? NaN : parseAmzDate(amzDate);
  if (amzDate === undefined || Number.isNaN(signedAt)) {
    throw new AwsFault(
      'IncompleteSignature',
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.`,
      403,
    );
  }
  if (signedAt < now - SIGNATURE_WINDOW_MS) {
    throw new AwsFault(
      'SignatureDoesNotMatch',
      `Signature expired: ${amzDate} is now earlier than ${amzDateOf(now - SIGNATURE_WINDOW_MS)} (${amzDateOf(now)} - 15 min.)`,
      403,
    );
  }
  if (signedAt > now + SIGNATURE_WINDOW_MS) {
    throw new AwsFault(
      'SignatureDoesNotMatch',
      `Signature not yet current: ${amzDate} is still later than ${amzDateOf(now + SIGNATURE_WINDOW_MS)} (${amzDateOf(now)} + 15 min.)`,
      403,
    );
  }
  if (auth.service !== expectedService) {
    throw new AwsFault(
      'SignatureDoesNotMatch',
      `Credential should be scoped to correct service: '${expectedService}'.`,
      403,
    );
  }
  if (auth.scopeDate !== amzDate.slice(0, 8)) {
    throw new AwsFault(
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      403,
    );
  }
  if (!auth.signedHeaders.includes('host')) {
    throw new AwsFault('SignatureDoesNotMatch', `'Host' must be a 'SignedHeader' in the AWS Authorization.`, 403);
  }

  const canonical = canonicalRequest(req, auth.signedHeaders);
  const scope = `${auth.scopeDate}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = signingKey(secretAccessKey, auth.scopeDate, auth.region, auth.service);
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest();
  const given = Buffer.from(auth.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AwsFault(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      403,
    );
  }
}

export function canonicalRequest(req: SignedRequestParts, signedHeaders: string[]): string {
  const headerLines = signedHeaders.map(
    (name) => `${name}:${(headerValue(req.headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`,
  );
  const payloadHash = headerValue(req.headers, 'x-amz-content-sha256') ?? sha256Hex(req.body);
  return [
    req.method.toUpperCase(),
    canonicalPath(req.path),
    canonicalQuery(req.rawQuery),
    headerLines.join(''),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

/** Non-S3 services normalise the path and URI-encode it once more (the SDK signs it that way). */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return uriEncode(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs = rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      return [uriEncode(decodeURIComponent(key)), uriEncode(decodeURIComponent(value))] as const;
    })
    .filter(([key]) => key !== 'X-Amz-Signature');
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function headerValue(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

function parseAmzDate(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function amzDateOf(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}
