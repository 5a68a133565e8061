import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { registerSecret } from '../harness/leakScan.js';
import { type LoopbackServer, readBody, sendJson, startLoopbackServer } from '../harness/loopbackServer.js';

/**
 * IAM Identity Center on loopback: SSO-OIDC (`oidcUrl`: RegisterClient, StartDeviceAuthorization,
 * CreateToken for the device code, authorization code + PKCE and refresh token grants, and the
 * browser's GET /authorize) and the SSO portal (`portalUrl`: GetRoleCredentials, ListAccounts,
 * ListAccountRoles with pagination, Logout; every call carries `x-amz-sso_bearer_token`). Both speak
 * the services' REST-JSON wire format with their real error shapes, so the SDK clients
 * (@aws-sdk/client-sso-oidc, @aws-sdk/client-sso), botocore and the Go SDK reach it through
 * `endpoint`, AWS_ENDPOINT_URL_SSO_OIDC and AWS_ENDPOINT_URL_SSO. Two servers, as in AWS, so a
 * call sent to the wrong service fails.
 *
 * The person: a device code is approved after `pendingPolls` authorization_pending answers
 * (`approval: 'auto'`) or when the test calls approveDevice(); GET /authorize redirects to the
 * loopback redirect URI with code and state at once (`approval: 'auto'`), or with
 * error=access_denied (`'deny'`), or waits for the test's approveAuthorize() (`'manual'`).
 */

export interface SsoAccount {
  accountId: string;
  accountName: string;
  emailAddress?: string;
  roles: string[];
}

export interface SsoEndpointOptions {
  accounts: SsoAccount[];
  /** access tokens live this long (default 3600 s) */
  accessTokenSeconds?: number;
  /** client registrations live this long (default 90 days) */
  registrationSeconds?: number;
  /** role credentials live this long (default 3600 s) */
  roleCredentialSeconds?: number;
  /** a refresh token replaces the old one on every renewal (default true) */
  rotateRefreshTokens?: boolean;
  /** the device flow's poll interval in seconds (default 1) */
  interval?: number;
  /** device code and browser approval; default 'auto' */
  approval?: 'auto' | 'manual' | 'deny';
  /** authorization_pending answers before an auto-approved device code is granted (default 1) */
  pendingPolls?: number;
  /** ListAccounts / ListAccountRoles page size when the caller gives none (default 2, so paging is exercised) */
  pageSize?: number;
}

/** The operations, as counters and the request log name them. */
export type SsoOperation =
  | 'RegisterClient'
  | 'StartDeviceAuthorization'
  | 'CreateToken'
  | 'Authorize'
  | 'GetRoleCredentials'
  | 'ListAccounts'
  | 'ListAccountRoles'
  | 'Logout';

export interface SsoRequestLog {
  operation: SsoOperation;
  /** CreateToken: the grant type */
  grantType?: string;
  status?: number;
  errorCode?: string;
  injected?: boolean;
}

export interface SsoFault {
  /** the SDK's exception name, e.g. SlowDownException, TooManyRequestsException */
  type: string;
  /** SSO-OIDC's OAuth error field, e.g. slow_down (left out for portal faults) */
  error?: string;
  message?: string;
  status?: number;
  operation?: SsoOperation;
}

interface Client {
  clientId: string;
  clientSecret: string;
  expiresAt: number;
  redirectUris: string[];
  grantTypes: string[];
  issuerUrl: string | undefined;
}

interface DeviceGrant {
  clientId: string;
  deviceCode: string;
  userCode: string;
  expiresAt: number;
  polls: number;
  approved: boolean;
  denied: boolean;
  used: boolean;
  lastPoll: number | undefined;
}

interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  used: boolean;
  expiresAt: number;
}

interface AccessTokenInfo {
  clientId: string;
  expiresAt: number;
  revoked: boolean;
}

export interface PendingAuthorize {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
}

export interface IssuedRoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: number;
  accountId: string;
  roleName: string;
}

export interface SsoEndpoint {
  oidcUrl: string;
  portalUrl: string;
  /** the environment that points the SDKs (JS, Python, Go) at this stand-in */
  env: { AWS_ENDPOINT_URL_SSO_OIDC: string; AWS_ENDPOINT_URL_SSO: string };
  accounts: SsoAccount[];
  counts: Record<string, number>;
  /** CreateToken calls by grant type (refresh_token, authorization_code, device code URN) */
  grants: Record<string, number>;
  count(operation: SsoOperation): number;
  requests: SsoRequestLog[];
  issuedRoleCredentials: IssuedRoleCredentials[];
  /** every secret issued (client secrets, tokens, role credentials), for leak scans */
  secrets(): string[];
  /** approves a pending device code (the newest, or the one with this user code) */
  approveDevice(userCode?: string): void;
  /** answers the oldest /authorize waiting under approval 'manual' */
  approveAuthorize(): boolean;
  pendingAuthorizations(): PendingAuthorize[];
  /** every access token issued so far expires now (a renewal must use the refresh token) */
  expireAccessTokens(): void;
  /** every refresh token issued so far stops working (invalid_grant) */
  revokeRefreshTokens(): void;
  /** every client registration issued so far expires (InvalidClientException) */
  expireRegistrations(): void;
  /** whether an access token is known, unexpired and not logged out */
  isAccessTokenValid(token: string): boolean;
  failNext(n: number, fault: SsoFault): void;
  setApproval(approval: 'auto' | 'manual' | 'deny'): void;
  reset(): void;
  close(): Promise<void>;
}

class Fault extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly error?: string,
  ) {
    super(message);
  }
}

const oidcFault = (type: string, error: string, description: string, status = 400) =>
  new Fault(status, type, description, error);
const portalFault = (type: string, message: string, status: number) => new Fault(status, type, message);

const token = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

function sendFault(res: http.ServerResponse, fault: Fault, requestId: string): void {
  const body =
    fault.error !== undefined ? { error: fault.error, error_description: fault.message } : { message: fault.message };
  sendJson(res, fault.status, body, { 'x-amzn-errortype': fault.type, 'x-amzn-requestid': requestId });
}

function stringField(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** RFC 8252 7.3: a loopback redirect URI matches whatever its port. */
function sameRedirect(registered: string, given: string): boolean {
  try {
    const a = new URL(registered);
    const b = new URL(given);
    const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(a.hostname);
    return (
      a.protocol === b.protocol &&
      a.hostname === b.hostname &&
      a.pathname === b.pathname &&
      (loopback || a.port === b.port)
    );
  } catch {
    return false;
  }
}

export async function startSsoEndpoint(options: SsoEndpointOptions): Promise<SsoEndpoint> {
  const accessSeconds = options.accessTokenSeconds ?? 3600;
  const registrationSeconds = options.registrationSeconds ?? 90 * 86400;
  const roleSeconds = options.roleCredentialSeconds ?? 3600;
  const rotate = options.rotateRefreshTokens ?? true;
  const interval = options.interval ?? 1;
  const pendingPolls = options.pendingPolls ?? 1;
  const pageSize = options.pageSize ?? 2;
  let approval = options.approval ?? 'auto';

  const clients = new Map<string, Client>();
  const devices = new Map<string, DeviceGrant>();
  const codes = new Map<string, CodeGrant>();
  const accessTokens = new Map<string, AccessTokenInfo>();
  const refreshTokens = new Map<string, { clientId: string; valid: boolean }>();
  const counts: Record<string, number> = {};
  const grants: Record<string, number> = {};
  const requests: SsoRequestLog[] = [];
  const issuedRoleCredentials: IssuedRoleCredentials[] = [];
  const secrets: string[] = [];
  let faults: { remaining: number; fault: SsoFault }[] = [];
  const waitingAuthorize: { pending: PendingAuthorize; answer: () => void }[] = [];

  const remember = (value: string, kind: 'aws' | 'token', what: string) => {
    secrets.push(value);
    registerSecret(value, kind, `ssoEndpoint ${what}`);
    return value;
  };

  const begin = (operation: SsoOperation, extra: Partial<SsoRequestLog> = {}): SsoRequestLog => {
    counts[operation] = (counts[operation] ?? 0) + 1;
    const log: SsoRequestLog = { operation, ...extra };
    requests.push(log);
    return log;
  };

  const injected = (operation: SsoOperation): Fault | undefined => {
    const hit = faults.find((f) => f.remaining > 0 && (f.fault.operation ?? operation) === operation);
    if (!hit) return undefined;
    hit.remaining--;
    const f = hit.fault;
    return new Fault(f.status ?? 400, f.type, f.message ?? f.type, f.error);
  };

  const requireClient = (input: Record<string, unknown>, needSecret = true): Client => {
    const clientId = stringField(input, 'clientId');
    const client = clientId ? clients.get(clientId) : undefined;
    if (!client) throw oidcFault('InvalidClientException', 'invalid_client', 'Invalid client provided', 401);
    if (needSecret && stringField(input, 'clientSecret') !== client.clientSecret)
      throw oidcFault('InvalidClientException', 'invalid_client', 'Invalid client provided', 401);
    if (Date.now() >= client.expiresAt)
      throw oidcFault('InvalidClientException', 'invalid_client', 'Client registration has expired', 401);
    return client;
  };

  const issueTokens = (client: Client, withRefresh: boolean) => {
    const accessToken = remember(token('aoa'), 'token', 'access token');
    accessTokens.set(accessToken, {
      clientId: client.clientId,
      expiresAt: Date.now() + accessSeconds * 1000,
      revoked: false,
    });
    const out: Record<string, unknown> = { accessToken, tokenType: 'Bearer', expiresIn: accessSeconds };
    if (withRefresh) {
      const refreshToken = remember(token('aor'), 'token', 'refresh token');
      refreshTokens.set(refreshToken, { clientId: client.clientId, valid: true });
      out.refreshToken = refreshToken;
    }
    return out;
  };

  const oidcOperations: Record<
    string,
    (input: Record<string, unknown>, log: SsoRequestLog) => Record<string, unknown>
  > = {
    '/client/register': (input) => {
      const clientName = stringField(input, 'clientName');
      const clientType = stringField(input, 'clientType');
      if (!clientName || clientType !== 'public')
        throw oidcFault('InvalidRequestException', 'invalid_request', 'clientName and clientType public are required');
      const grantTypes = Array.isArray(input.grantTypes) ? (input.grantTypes as string[]) : [];
      const redirectUris = Array.isArray(input.redirectUris) ? (input.redirectUris as string[]) : [];
      if (grantTypes.includes('authorization_code') && redirectUris.length === 0)
        throw oidcFault('InvalidRedirectUriException', 'invalid_redirect_uri', 'redirectUris are required');
      const now = Date.now();
      const client: Client = {
        clientId: `client-${randomUUID()}`,
        clientSecret: remember(token('cs'), 'token', 'client secret'),
        expiresAt: now + registrationSeconds * 1000,
        redirectUris,
        grantTypes,
        issuerUrl: stringField(input, 'issuerUrl'),
      };
      clients.set(client.clientId, client);
      return {
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        clientIdIssuedAt: Math.floor(now / 1000),
        clientSecretExpiresAt: Math.floor(client.expiresAt / 1000),
      };
    },
    '/device_authorization': (input) => {
      const client = requireClient(input);
      if (!stringField(input, 'startUrl'))
        throw oidcFault('InvalidRequestException', 'invalid_request', 'startUrl is required');
      const deviceCode = remember(token('dc'), 'token', 'device code');
      const userCode = `${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}`.toUpperCase();
      devices.set(deviceCode, {
        clientId: client.clientId,
        deviceCode,
        userCode,
        expiresAt: Date.now() + 600_000,
        polls: 0,
        approved: false,
        denied: approval === 'deny',
        used: false,
        lastPoll: undefined,
      });
      return {
        deviceCode,
        userCode,
        verificationUri: `${oidc.url}/device`,
        verificationUriComplete: `${oidc.url}/device?user_code=${userCode}`,
        expiresIn: 600,
        interval,
      };
    },
    '/token': (input, log) => {
      const client = requireClient(input);
      const grantType = stringField(input, 'grantType') ?? '';
      log.grantType = grantType;
      grants[grantType] = (grants[grantType] ?? 0) + 1;
      if (grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
        const grant = devices.get(stringField(input, 'deviceCode') ?? '');
        if (!grant || grant.clientId !== client.clientId || grant.used)
          throw oidcFault('InvalidGrantException', 'invalid_grant', 'Invalid grant provided');
        if (Date.now() >= grant.expiresAt)
          throw oidcFault('ExpiredTokenException', 'expired_token', 'Device code has expired');
        if (grant.denied) throw oidcFault('AccessDeniedException', 'access_denied', 'Access denied');
        grant.polls++;
        if (!grant.approved && approval === 'auto' && grant.polls > pendingPolls) grant.approved = true;
        if (!grant.approved)
          throw oidcFault('AuthorizationPendingException', 'authorization_pending', 'Authorization is pending');
        grant.used = true;
        return issueTokens(client, client.grantTypes.includes('refresh_token') || client.grantTypes.length === 0);
      }
      if (grantType === 'authorization_code') {
        const code = stringField(input, 'code') ?? '';
        const grant = codes.get(code);
        const verifier = stringField(input, 'codeVerifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (
          !grant ||
          grant.used ||
          grant.clientId !== client.clientId ||
          Date.now() >= grant.expiresAt ||
          stringField(input, 'redirectUri') !== grant.redirectUri ||
          challenge !== grant.codeChallenge
        )
          throw oidcFault('InvalidGrantException', 'invalid_grant', 'Invalid grant provided');
        grant.used = true;
        return issueTokens(client, client.grantTypes.includes('refresh_token'));
      }
      if (grantType === 'refresh_token') {
        const presented = stringField(input, 'refreshToken') ?? '';
        const known = refreshTokens.get(presented);
        if (!known?.valid || known.clientId !== client.clientId)
          throw oidcFault('InvalidGrantException', 'invalid_grant', 'Invalid refresh token provided');
        if (!rotate) {
          const out = issueTokens(client, false);
          return { ...out, refreshToken: presented };
        }
        known.valid = false;
        return issueTokens(client, true);
      }
      throw oidcFault('UnsupportedGrantTypeException', 'unsupported_grant_type', `Unsupported grant type ${grantType}`);
    },
  };
  const oidcNames: Record<string, SsoOperation> = {
    '/client/register': 'RegisterClient',
    '/device_authorization': 'StartDeviceAuthorization',
    '/token': 'CreateToken',
  };

  /** GET /authorize: the sign-in page of the start URL, as the browser sees it. */
  const authorize = (url: URL, res: http.ServerResponse) => {
    const log = begin('Authorize');
    const q = url.searchParams;
    const client = clients.get(q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri') ?? '';
    const fail = (status: number, text: string) => {
      log.status = status;
      log.errorCode = text;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(text);
    };
    if (!client?.redirectUris.some((r) => sameRedirect(r, redirectUri)))
      return fail(400, 'invalid client or redirect_uri');
    if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge'))
      return fail(400, 'invalid_request: response_type=code and an S256 code_challenge are required');
    const state = q.get('state') ?? undefined;
    const target = new URL(redirectUri);
    const answer = () => {
      if (approval === 'deny') {
        target.searchParams.set('error', 'access_denied');
      } else {
        const code = remember(token('code'), 'token', 'authorization code');
        codes.set(code, {
          clientId: client.clientId,
          redirectUri,
          codeChallenge: q.get('code_challenge')!,
          used: false,
          expiresAt: Date.now() + 600_000,
        });
        target.searchParams.set('code', code);
      }
      if (state !== undefined) target.searchParams.set('state', state);
      log.status = 302;
      res.writeHead(302, { location: target.href, 'content-length': 0 });
      res.end();
    };
    if (approval === 'manual') {
      waitingAuthorize.push({ pending: { clientId: client.clientId, redirectUri, state }, answer });
      return;
    }
    answer();
  };

  const oidc = await startLoopbackServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const requestId = randomUUID();
    if (req.method === 'GET' && url.pathname === '/authorize') return authorize(url, res);
    if (req.method === 'GET' && url.pathname === '/device') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html><body>Identity Center device sign-in (test stand-in)</body></html>');
    }
    const run = oidcOperations[url.pathname];
    if (req.method !== 'POST' || !run) {
      await readBody(req);
      return sendFault(res, portalFault('UnknownOperationException', 'Unknown operation', 404), requestId);
    }
    const operation = oidcNames[url.pathname]!;
    const log = begin(operation);
    const respond = (status: number, send: () => void) => {
      log.status = status;
      send();
    };
    try {
      const body = (await readBody(req)).toString('utf8');
      let input: Record<string, unknown> = {};
      try {
        if (body) input = JSON.parse(body) as Record<string, unknown>;
      } catch {
        throw oidcFault('InvalidRequestException', 'invalid_request', 'The request body is not valid JSON');
      }
      const fault = injected(operation);
      if (fault) {
        log.injected = true;
        throw fault;
      }
      const out = run(input, log);
      respond(200, () => sendJson(res, 200, out, { 'x-amzn-requestid': requestId }));
    } catch (error) {
      if (!(error instanceof Fault)) throw error;
      log.errorCode = error.type;
      respond(error.status, () => sendFault(res, error, requestId));
    }
  });

  const bearer = (req: http.IncomingMessage): string => {
    const value = req.headers['x-amz-sso_bearer_token'];
    const presented = typeof value === 'string' ? value : '';
    const info = accessTokens.get(presented);
    if (!info || info.revoked || Date.now() >= info.expiresAt)
      throw portalFault('UnauthorizedException', 'Session token not found or invalid', 401);
    return presented;
  };

  const page = <T>(items: T[], url: URL, listName: string) => {
    const start = Number(url.searchParams.get('next_token') ?? '0');
    const size = Number(url.searchParams.get('max_result') ?? pageSize);
    if (!Number.isInteger(start) || start < 0 || start > items.length)
      throw portalFault('InvalidRequestException', 'Invalid next token', 400);
    const slice = items.slice(start, start + size);
    const next = start + size < items.length ? String(start + size) : undefined;
    return { [listName]: slice, ...(next !== undefined ? { nextToken: next } : {}) };
  };

  const portal = await startLoopbackServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const requestId = randomUUID();
    await readBody(req);
    const route = `${req.method} ${url.pathname}`;
    const operation = (
      {
        'GET /federation/credentials': 'GetRoleCredentials',
        'GET /assignment/accounts': 'ListAccounts',
        'GET /assignment/roles': 'ListAccountRoles',
        'POST /logout': 'Logout',
      } as Record<string, SsoOperation>
    )[route];
    if (!operation)
      return sendFault(res, portalFault('UnknownOperationException', 'Unknown operation', 404), requestId);
    const log = begin(operation);
    try {
      const fault = injected(operation);
      if (fault) {
        log.injected = true;
        throw fault;
      }
      const presented = bearer(req);
      let out: Record<string, unknown> = {};
      if (operation === 'GetRoleCredentials') {
        const accountId = url.searchParams.get('account_id') ?? '';
        const roleName = url.searchParams.get('role_name') ?? '';
        const account = options.accounts.find((a) => a.accountId === accountId);
        if (!account?.roles.includes(roleName)) throw portalFault('ForbiddenException', 'No access', 403);
        const issued: IssuedRoleCredentials = {
          accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`.slice(0, 20),
          secretAccessKey: remember(randomBytes(30).toString('base64'), 'aws', 'role secret key'),
          sessionToken: remember(token('IQoJb3JpZ2luX2VjE'), 'aws', 'role session token'),
          expiration: Date.now() + roleSeconds * 1000,
          accountId,
          roleName,
        };
        issuedRoleCredentials.push(issued);
        out = {
          roleCredentials: {
            accessKeyId: issued.accessKeyId,
            secretAccessKey: issued.secretAccessKey,
            sessionToken: issued.sessionToken,
            expiration: issued.expiration,
          },
        };
      } else if (operation === 'ListAccounts') {
        out = page(
          options.accounts.map(({ accountId, accountName, emailAddress }) => ({
            accountId,
            accountName,
            ...(emailAddress ? { emailAddress } : {}),
          })),
          url,
          'accountList',
        );
      } else if (operation === 'ListAccountRoles') {
        const accountId = url.searchParams.get('account_id') ?? '';
        const account = options.accounts.find((a) => a.accountId === accountId);
        if (!account) throw portalFault('ResourceNotFoundException', 'Account not found', 404);
        out = page(
          account.roles.map((roleName) => ({ roleName, accountId })),
          url,
          'roleList',
        );
      } else {
        accessTokens.get(presented)!.revoked = true;
      }
      log.status = 200;
      sendJson(res, 200, out, { 'x-amzn-requestid': requestId });
    } catch (error) {
      if (!(error instanceof Fault)) throw error;
      log.status = error.status;
      log.errorCode = error.type;
      sendFault(res, error, requestId);
    }
  });

  const servers: LoopbackServer[] = [oidc, portal];
  return {
    oidcUrl: oidc.url,
    portalUrl: portal.url,
    env: { AWS_ENDPOINT_URL_SSO_OIDC: oidc.url, AWS_ENDPOINT_URL_SSO: portal.url },
    accounts: options.accounts,
    counts,
    grants,
    count: (operation) => counts[operation] ?? 0,
    requests,
    issuedRoleCredentials,
    secrets: () => [...secrets],
    approveDevice(userCode) {
      const pending = [...devices.values()].filter(
        (d) => !d.used && (userCode === undefined || d.userCode === userCode),
      );
      const grant = pending.at(-1);
      if (!grant) throw new Error('no device code is waiting for approval');
      grant.approved = true;
    },
    approveAuthorize() {
      const next = waitingAuthorize.shift();
      next?.answer();
      return next !== undefined;
    },
    pendingAuthorizations: () => waitingAuthorize.map((w) => w.pending),
    expireAccessTokens() {
      for (const info of accessTokens.values()) info.expiresAt = Date.now() - 1;
    },
    revokeRefreshTokens() {
      for (const info of refreshTokens.values()) info.valid = false;
    },
    expireRegistrations() {
      for (const client of clients.values()) client.expiresAt = Date.now() - 1;
    },
    isAccessTokenValid(value) {
      const info = accessTokens.get(value);
      return Boolean(info && !info.revoked && Date.now() < info.expiresAt);
    },
    failNext(n, fault) {
      faults.push({ remaining: n, fault });
    },
    setApproval(value) {
      approval = value;
    },
    reset() {
      for (const key of Object.keys(counts)) delete counts[key];
      for (const key of Object.keys(grants)) delete grants[key];
      requests.length = 0;
      issuedRoleCredentials.length = 0;
      faults = [];
    },
    async close() {
      for (const waiting of waitingAuthorize.splice(0)) waiting.answer();
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
