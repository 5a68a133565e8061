import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { readBody, startLoopbackServer } from '../harness/loopbackServer.js';

/**
 * The wire half of a local AWS service: it speaks the Query protocol (STS: form-encoded
 * `Action=...`, XML answers) and the JSON 1.1 protocol (Cognito Identity: `X-Amz-Target`), and
 * dispatches each request to a handler registered per action or target. The behaviour of a
 * service lives in its handlers (see stsEndpoint.ts); this file owns what every service shares:
 * error shapes, request ids, the Date header and clock skew, fault and delay injection, counters
 * and a request log without secrets.
 */

export type FaultType = 'Sender' | 'Receiver';

/** An AWS error answer. Handlers throw it; the server serialises it in the request's protocol. */
export class AwsFault extends Error {
  readonly code: string;
  readonly status: number;
  readonly type: FaultType;

  constructor(code: string, message: string, status = 400, type?: FaultType) {
    super(message);
    this.name = 'AwsFault';
    this.code = code;
    this.status = status;
    this.type = type ?? (status >= 500 ? 'Receiver' : 'Sender');
  }
}

export interface FaultSpec {
  code: string;
  message?: string;
  /** default 400 */
  status?: number;
  /** default Sender below 500, Receiver from 500 */
  type?: FaultType;
  /** only requests for this action (Query `Action`, or the operation after the dot of a JSON target) */
  action?: string;
}

/** Faults as STS sends them, for failNext(). */
export const THROTTLING: FaultSpec = { code: 'Throttling', message: 'Rate exceeded', status: 400 };
export const INTERNAL_FAILURE: FaultSpec = {
  code: 'InternalFailure',
  message: 'The request processing has failed because of an unknown error, exception or failure.',
  status: 500,
};
export const SERVICE_UNAVAILABLE: FaultSpec = {
  code: 'ServiceUnavailable',
  message: 'The request has failed due to a temporary failure of the server.',
  status: 503,
};

export interface AwsRequest {
  protocol: 'query' | 'json';
  /** Query `Action`, or for JSON the operation name after the dot of X-Amz-Target */
  action: string;
  /** JSON only: the whole X-Amz-Target, e.g. AWSCognitoIdentityService.GetId */
  target: string | undefined;
  /** Query: query string and form body merged. JSON: empty. */
  params: Record<string, string>;
  /** JSON: the parsed body. Query: empty. */
  input: Record<string, unknown>;
  method: string;
  /** the path as sent (still percent-encoded), without the query */
  path: string;
  /** the raw query string without '?' */
  rawQuery: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  requestId: string;
  /** the server's clock (Date.now() + skew), in ms */
  now: number;
  /** the request's log entry; handlers may add non-secret notes (why access was denied, ...) */
  log: RequestLogEntry;
}

/** A Query-protocol result: a tree of elements; arrays become <member> lists, undefined is left out. */
export type XmlValue = string | number | boolean | Date | undefined | XmlValue[] | { [name: string]: XmlValue };
export type QueryHandler = (req: AwsRequest) => Promise<Record<string, XmlValue>> | Record<string, XmlValue>;
export type JsonHandler = (req: AwsRequest) => Promise<Record<string, unknown>> | Record<string, unknown>;

export interface RequestLogEntry {
  seq: number;
  /** server time at arrival, ms */
  at: number;
  protocol: 'query' | 'json';
  action: string;
  /** request parameters with secret ones replaced by '[redacted]' */
  params: Record<string, unknown>;
  /** HTTP status of the answer, set when it is sent */
  status?: number;
  /** the error code of the answer, if any */
  errorCode?: string;
  /** true when the answer came from failNext() */
  injected?: boolean;
  /** non-secret extras a handler adds: token claims, the signing access key id, deny reasons */
  notes: Record<string, unknown>;
}

export interface AwsProtocolServerOptions {
  /** Query protocol namespace, e.g. https://sts.amazonaws.com/doc/2011-06-15/ */
  xmlns: string;
  /** the service's API version, named in InvalidAction messages */
  apiVersion: string;
  /** parameter names (Query) or input keys (JSON) whose values never reach the request log */
  secretParams?: Iterable<string>;
  /** initial clock skew in ms (the server's clock = Date.now() + skew) */
  clockSkewMs?: number;
}

export interface AwsProtocolServer {
  url: string;
  /** add or replace the handler of a Query action */
  onQuery(action: string, handler: QueryHandler): void;
  /** add or replace the handler of a JSON target, e.g. 'AWSCognitoIdentityService.GetId' */
  onJson(target: string, handler: JsonHandler): void;
  /** requests per action, including refused and injected ones */
  counts: Record<string, number>;
  count(action: string): number;
  requests: RequestLogEntry[];
  /** the next `n` requests (of `spec.action`, if given) answer this error */
  failNext(n: number, spec: FaultSpec): void;
  /** the next `n` requests (of `action`, if given) are answered `ms` later */
  delayNext(n: number, ms: number, action?: string): void;
  setClockSkew(ms: number): void;
  now(): number;
  /** clears counters, the request log, pending faults and delays (not the clock skew) */
  reset(): void;
  close(): Promise<void>;
}

interface Pending<T> {
  remaining: number;
  action: string | undefined;
  value: T;
}

export async function startAwsProtocolServer(options: AwsProtocolServerOptions): Promise<AwsProtocolServer> {
  const queryHandlers = new Map<string, QueryHandler>();
  const jsonHandlers = new Map<string, JsonHandler>();
  const secretParams = new Set(options.secretParams ?? []);
  let skew = options.clockSkewMs ?? 0;
  let seq = 0;
  const counts: Record<string, number> = {};
  const requests: RequestLogEntry[] = [];
  let faults: Pending<FaultSpec>[] = [];
  let delays: Pending<number>[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const now = () => Date.now() + skew;

  const take = <T>(queue: Pending<T>[], action: string): T | undefined => {
    const hit = queue.find((p) => p.remaining > 0 && (p.action === undefined || p.action === action));
    if (!hit) return undefined;
    hit.remaining--;
    return hit.value;
  };

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server = await startLoopbackServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawQuery = url.search.replace(/^\?/, '');
    const targetHeader = req.headers['x-amz-target'];
    const target = typeof targetHeader === 'string' ? targetHeader : undefined;
    const protocol = target !== undefined ? 'json' : 'query';
    const requestId = randomUUID();

    let params: Record<string, string> = {};
    let input: Record<string, unknown> = {};
    let parseError: AwsFault | undefined;
    if (protocol === 'query') {
      params = Object.fromEntries(new URLSearchParams(rawQuery));
      Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
    } else if (body.length > 0) {
      try {
        const parsed: unknown = JSON.parse(body.toString('utf8'));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) input = parsed as Record<string, unknown>;
        else parseError = new AwsFault('SerializationException', 'Start of structure or map found where not expected.');
      } catch {
        parseError = new AwsFault('SerializationException', 'The request body is not valid JSON.');
      }
    }
    const action = protocol === 'json' ? target!.slice(target!.lastIndexOf('.') + 1) : (params.Action ?? '');

    const log: RequestLogEntry = {
      seq: ++seq,
      at: now(),
      protocol,
      action,
      params: redactParams(protocol === 'query' ? params : input, secretParams),
      notes: {},
    };
    requests.push(log);
    counts[action] = (counts[action] ?? 0) + 1;

    const request: AwsRequest = {
      protocol,
      action,
      target,
      params,
      input,
      method: req.method ?? 'GET',
      path: url.pathname,
      rawQuery,
      headers: req.headers,
      body,
      requestId,
      now: log.at,
      log,
    };

    const delay = take(delays, action);
    if (delay !== undefined) await wait(delay);
    if (res.destroyed) return;

    const send = (status: number, contentType: string, text: string, extraHeaders: Record<string, string> = {}) => {
      log.status = status;
      res.writeHead(status, {
        'content-type': contentType,
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': requestId,
        date: new Date(now()).toUTCString(),
        ...extraHeaders,
      });
      res.end(text);
    };

    const sendFault = (fault: AwsFault) => {
      log.errorCode = fault.code;
      if (protocol === 'json') {
        send(
          fault.status,
          'application/x-amz-json-1.1',
          JSON.stringify({ __type: fault.code, message: fault.message }),
          {
            'x-amzn-errortype': fault.code,
          },
        );
      } else {
        send(fault.status, 'text/xml', errorXml(options.xmlns, fault, requestId));
      }
    };

    const injected = take(faults, action);
    if (injected) {
      log.injected = true;
      return sendFault(
        new AwsFault(injected.code, injected.message ?? injected.code, injected.status ?? 400, injected.type),
      );
    }
    if (parseError) return sendFault(parseError);

    try {
      if (protocol === 'json') {
        const handler = jsonHandlers.get(target!);
        if (!handler) throw new AwsFault('UnknownOperationException', `Unknown operation ${target}`);
        const output = await handler(request);
        send(200, 'application/x-amz-json-1.1', JSON.stringify(output));
      } else {
        if (action === '') throw new AwsFault('MissingAction', 'Missing Action', 400);
        const handler = queryHandlers.get(action);
        if (!handler) {
          throw new AwsFault('InvalidAction', `Could not find operation ${action} for version ${options.apiVersion}`);
        }
        const result = await handler(request);
        send(200, 'text/xml', resultXml(options.xmlns, action, result, requestId));
      }
    } catch (error) {
      if (error instanceof AwsFault) return sendFault(error);
      console.error(`[test/support] ${action} handler failed:`, error);
      sendFault(new AwsFault(INTERNAL_FAILURE.code, INTERNAL_FAILURE.message!, 500));
    }
  });

  return {
    url: server.url,
    onQuery: (action, handler) => void queryHandlers.set(action, handler),
    onJson: (target, handler) => void jsonHandlers.set(target, handler),
    counts,
    count: (action) => counts[action] ?? 0,
    requests,
    failNext(n, spec) {
      faults.push({ remaining: n, action: spec.action, value: spec });
    },
    delayNext(n, ms, action) {
      delays.push({ remaining: n, action, value: ms });
    },
    setClockSkew(ms) {
      skew = ms;
    },
    now,
    reset() {
      for (const key of Object.keys(counts)) delete counts[key];
      requests.length = 0;
      faults = [];
      delays = [];
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await server.close();
    },
  };
}

function redactParams(params: Record<string, unknown>, secretParams: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) out[key] = secretParams.has(key) ? '[redacted]' : value;
  return out;
}

/** Escapes element text (quotes need no escaping outside attributes, and AWS leaves them). */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** ISO 8601 without milliseconds, as STS writes timestamps: 2026-01-01T12:00:00Z */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function xmlOf(value: XmlValue, indent: string): string {
  if (value === undefined) return '';
  if (value instanceof Date) return isoSeconds(value);
  if (Array.isArray(value)) {
    return (
      value
        .filter((v) => v !== undefined)
        .map((v) => `\n${indent}<member>${xmlOf(v, indent + '  ')}</member>`)
        .join('') + `\n${indent.slice(2)}`
    );
  }
  if (typeof value === 'object') {
    return (
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([name, v]) => `\n${indent}<${name}>${xmlOf(v, indent + '  ')}</${name}>`)
        .join('') + `\n${indent.slice(2)}`
    );
  }
  return escapeXml(String(value));
}

function resultXml(xmlns: string, action: string, result: Record<string, XmlValue>, requestId: string): string {
  return (
    `<${action}Response xmlns="${xmlns}">\n` +
    `  <${action}Result>${xmlOf(result, '    ')}</${action}Result>\n` +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n` +
    `</${action}Response>\n`
  );
}

function errorXml(xmlns: string, fault: AwsFault, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${xmlns}">\n` +
    `  <Error>\n` +
    `    <Type>${fault.type}</Type>\n` +
    `    <Code>${escapeXml(fault.code)}</Code>\n` +
    `    <Message>${escapeXml(fault.message)}</Message>\n` +
    `  </Error>\n` +
    `  <RequestId>${requestId}</RequestId>\n` +
    `</ErrorResponse>\n`
  );
}
