import { randomBytes } from 'node:crypto';
import { registerSecret } from '../harness/leakScan.js';
import { readBody, sendJson, startLoopbackServer } from '../harness/loopbackServer.js';

/**
 * A local stand-in of the AWS federation endpoint (https://signin.aws.amazon.com/federation), for
 * FEDLOGIN_SIGNIN_ENDPOINT. It checks what the real one checks that a client controls:
 * - GET ?Action=getSigninToken&Session=<JSON {sessionId, sessionKey, sessionToken}>[&SessionDuration=900..43200]
 *   answers {"SigninToken": ...}, or 400 when the Session is malformed, the duration is out of
 *   range, or `acceptSession` (e.g. "did the STS double issue these?") says no;
 * - GET ?Action=login&Issuer=..&Destination=<http(s) URL>&SigninToken=<one it issued>
 *   answers 302 to Destination, else 400; it signs the browser in as the real one does, with a
 *   cookie (here `fedlogin-console=<the session's access key id>`, which is no secret);
 * - GET /oauth?Action=logout[&redirect_uri=<URL>] (the console's sign-out, on the same origin)
 *   clears that cookie and answers 302 to redirect_uri when it is a sign-in URL of this endpoint
 *   (as the real one honours it only towards its own host), else 200;
 * - GET /console/...: a page standing in for the console (a loopback --destination), recorded with
 *   the browser's cookie and User-Agent, so a test sees which session each browser arrived with.
 * - POST /saml (the AWS SAML ACS, https://signin.aws.amazon.com/saml) with a form-encoded
 *   SAMLResponse: the role-selection page AWS shows for an assertion with several roles, in its
 *   real markup (`fieldset > div.saml-account`, `div.saml-account-name` "Account: NAME (ID)", or
 *   "Account: ID" for an account without an alias, `label.saml-role-description`), names from
 *   `accountNames`; 400 without a SAMLResponse holding roles. The roles are read from the
 *   assertion's text, not verified (fedlogin reads only the names); `samlPage: 'fail'` answers 500.
 * Every request is recorded in order (`requests`), with its User-Agent and cookie.
 */

export interface FederationSession {
  sessionId: string;
  sessionKey: string;
  sessionToken: string;
}

export interface FederationRequest {
  method: string;
  /** /federation, /oauth, /saml or /console/... */
  path: string;
  /** the browser's User-Agent header */
  userAgent: string;
  /** the access key id of the console session the browser's cookie named, if any */
  consoleSession: string | null;
  /** the raw redirect_uri of a logout (holds a SigninToken: for assertions only) */
  redirectUri: string | null;
  action: string | null;
  /** the raw SessionDuration parameter */
  sessionDuration: string | null;
  /** the parsed Session parameter of getSigninToken (holds secrets: for assertions only) */
  session?: FederationSession;
  issuer: string | null;
  destination: string | null;
  signinToken: string | null;
  status: number;
}

export interface FederationEndpointOptions {
  /** whether the session's credentials are valid; any well-formed session is by default */
  acceptSession?: (session: FederationSession) => boolean;
  /** account ID -> the IAM account alias AWS's role-selection page shows (others show the ID) */
  accountNames?: Record<string, string>;
  /** 'fail': POST /saml answers 500 */
  samlPage?: 'ok' | 'fail';
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The role ARNs of a base64 SAMLResponse, by account, in order of appearance. */
function rolesByAccount(samlResponse: string): Map<string, string[]> {
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  const byAccount = new Map<string, string[]>();
  for (const [arn, account] of xml.matchAll(/arn:[a-z-]+:iam::(\d{12}):role\/[\w+=,.@/-]+/g)) {
    const roles = byAccount.get(account!) ?? [];
    if (!roles.includes(arn)) roles.push(arn);
    byAccount.set(account!, roles);
  }
  return byAccount;
}

/** The page https://signin.aws.amazon.com/saml answers with when the assertion holds several roles (its markup). */
export function roleSelectionPage(samlResponse: string, names: Record<string, string>): string | undefined {
  const byAccount = rolesByAccount(samlResponse);
  if (byAccount.size === 0) return undefined;
  const accounts = [...byAccount].map(([account, roles], i) => {
    const label = names[account] ? `Account: ${escapeHtml(names[account])} (${account})` : `Account: ${account}`;
    const radios = roles.map(
      (arn) => `      <div class="saml-role" onClick="checkRadio(this);">
        <input type="radio" name="roleIndex" value="${arn}" class="saml-radio" id="${arn}" />
        <label for="${arn}" class="saml-role-description">${escapeHtml(arn.slice(arn.indexOf(':role/') + 6))}</label>
        <span style="clear: both;"></span>
      </div>`,
    );
    return `  <div  class="saml-account"> <div onClick="expandCollapse(${i});">
    <img id="image${i}" src="/static/image/down.png" valign="middle"></img>
    <div class="saml-account-name">${label}</div>
    </div>
    <hr style="border: 1px solid #ddd;">
    <div id="${i}" class="saml-account" >
${radios.join('\n')}
    </div>
  </div>`;
  });
  return `<!DOCTYPE html>
<html><head><title>Amazon Web Services Sign-In</title></head>
<body><div id="container"><h1 class="background">Amazon Web Services Login</h1>
<div id="content"><div id="main_error"></div>
<form id="saml_form" name="saml_form" action="/saml" method="post">
<input type="hidden" name="RelayState" value="" />
<input type="hidden" name="SAMLResponse" value="${escapeHtml(samlResponse)}" />
<input type="hidden" name="name" value="" />
<input type="hidden" name="portal" value="" />
<p style="font-size: 16px; padding-left: 20px;">Select a role:</p>
<fieldset>
${accounts.join('\n')}
</fieldset>
<br><div class="buttoninput" id="input_signin_button"><a id="signin_button" class="css3button" href="#" alt="Continue" value="Continue">Sign In</a></div>
</form></div></div></body></html>
`;
}

export interface FederationEndpoint {
  /** http://127.0.0.1:PORT/federation, the value for FEDLOGIN_SIGNIN_ENDPOINT */
  url: string;
  /** http://127.0.0.1:PORT/console/: a --destination that stays on loopback */
  consoleUrl: string;
  requests: FederationRequest[];
  /** the sign-in tokens handed out */
  signinTokens: string[];
  close(): Promise<void>;
}

function parseSession(text: string | null): FederationSession | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<FederationSession> | null;
    const ok = ['sessionId', 'sessionKey', 'sessionToken'].every(
      (k) => typeof value?.[k as keyof FederationSession] === 'string' && value[k as keyof FederationSession] !== '',
    );
    return ok && value ? (value as FederationSession) : undefined;
  } catch {
    return undefined;
  }
}

function isHttpUrl(value: string | null): boolean {
  try {
    return value !== null && ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const COOKIE = 'fedlogin-console';

function cookieValue(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE && value.join('=') !== '') return decodeURIComponent(value.join('='));
  }
  return null;
}

export async function startFederationEndpoint(options: FederationEndpointOptions = {}): Promise<FederationEndpoint> {
  const requests: FederationRequest[] = [];
  const signinTokens: string[] = [];
  /** SigninToken -> the session's access key id */
  const sessionOf = new Map<string, string>();
  let origin = '';
  const server = await startLoopbackServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const param = (name: string) => url.searchParams.get(name);
    const entry: FederationRequest = {
      method: req.method ?? '',
      path: url.pathname,
      userAgent: req.headers['user-agent'] ?? '',
      consoleSession: cookieValue(req.headers.cookie),
      redirectUri: param('redirect_uri'),
      action: param('Action'),
      sessionDuration: param('SessionDuration'),
      issuer: param('Issuer'),
      destination: param('Destination'),
      signinToken: param('SigninToken'),
      status: 400,
    };
    requests.push(entry);
    const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      if (body === undefined) {
        res.writeHead(status, headers);
        res.end();
      } else sendJson(res, status, body, headers);
    };
    if (req.method === 'GET' && url.pathname.startsWith('/console/')) {
      entry.status = 200;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`<!doctype html><title>console stand-in</title><p>signed in as ${entry.consoleSession ?? 'nobody'}</p>`);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/saml') {
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      const page = roleSelectionPage(form.get('SAMLResponse') ?? '', options.accountNames ?? {});
      entry.status = options.samlPage === 'fail' ? 500 : page ? 200 : 400;
      res.writeHead(entry.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(
        entry.status === 200
          ? page
          : '<!DOCTYPE html><title>Error</title><p>Your request included an invalid SAML response.</p>',
      );
      return;
    }
    const clearCookie = { 'set-cookie': `${COOKIE}=; Path=/; Max-Age=0` };
    if (req.method === 'GET' && url.pathname === '/oauth' && entry.action === 'logout') {
      const next = entry.redirectUri;
      const toOwnSignin = next !== null && next.startsWith(`${origin}/federation?`);
      if (toOwnSignin) return answer(302, undefined, { ...clearCookie, location: next });
      entry.status = 200;
      res.writeHead(200, { ...clearCookie, 'content-type': 'text/plain; charset=utf-8' });
      res.end('signed out\n');
      return;
    }
    if (req.method !== 'GET' || url.pathname !== '/federation') return answer(404, { error: 'not found' });
    if (entry.action === 'getSigninToken') {
      const session = parseSession(param('Session'));
      if (session) entry.session = session;
      const duration = entry.sessionDuration;
      const durationOk =
        duration === null || (/^\d+$/.test(duration) && Number(duration) >= 900 && Number(duration) <= 43_200);
      if (!session || !durationOk) return answer(400, { error: 'Bad Request' });
      if (options.acceptSession && !options.acceptSession(session)) return answer(400, { error: 'Bad Request' });
      const signinToken = randomBytes(240).toString('base64url');
      // 'aws': like credentials, it may be printed on stdout (console --print's job), never on stderr
      registerSecret(signinToken, 'aws', 'a SigninToken of the federation double');
      signinTokens.push(signinToken);
      sessionOf.set(signinToken, session.sessionId);
      return answer(200, { SigninToken: signinToken });
    }
    if (entry.action === 'login') {
      const known = entry.signinToken !== null && signinTokens.includes(entry.signinToken);
      if (!known || !entry.issuer || !isHttpUrl(entry.destination)) return answer(400, { error: 'Bad Request' });
      const cookie = `${COOKIE}=${encodeURIComponent(sessionOf.get(entry.signinToken!) ?? '')}; Path=/; HttpOnly`;
      return answer(302, undefined, { 'set-cookie': cookie, location: entry.destination! });
    }
    return answer(400, { error: 'Bad Request' });
  });
  origin = server.url;
  return {
    url: `${server.url}/federation`,
    consoleUrl: `${server.url}/console/`,
    requests,
    signinTokens,
    close: () => server.close(),
  };
}
