import { randomBytes } from 'node:crypto';
import { registerSecret } from '../harness/leakScan.js';
import { sendJson, startLoopbackServer } from '../harness/loopbackServer.js';

/**
 * A local stand-in of the AWS federation endpoint (https://signin.aws.amazon.com/federation), for
 * FEDLOGIN_SIGNIN_ENDPOINT. It checks what the real one checks that a client controls:
 * - GET ?Action=getSigninToken&Session=<JSON {sessionId, sessionKey, sessionToken}>[&SessionDuration=900..43200]
 *   answers {"SigninToken": ...}, or 400 when the Session is malformed, the duration is out of
 *   range, or `acceptSession` (e.g. "did the STS double issue these?") says no;
 * - GET ?Action=login&Issuer=..&Destination=<http(s) URL>&SigninToken=<one it issued>
 *   answers 302 to Destination (the real one signs the browser in first), else 400.
 */

export interface FederationSession {
  sessionId: string;
  sessionKey: string;
  sessionToken: string;
}

export interface FederationRequest {
  method: string;
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
}

export interface FederationEndpoint {
  /** http://127.0.0.1:PORT/federation, the value for FEDLOGIN_SIGNIN_ENDPOINT */
  url: string;
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

export async function startFederationEndpoint(options: FederationEndpointOptions = {}): Promise<FederationEndpoint> {
  const requests: FederationRequest[] = [];
  const signinTokens: string[] = [];
  const server = await startLoopbackServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const param = (name: string) => url.searchParams.get(name);
    const entry: FederationRequest = {
      method: req.method ?? '',
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
      return answer(200, { SigninToken: signinToken });
    }
    if (entry.action === 'login') {
      const known = entry.signinToken !== null && signinTokens.includes(entry.signinToken);
      if (!known || !entry.issuer || !isHttpUrl(entry.destination)) return answer(400, { error: 'Bad Request' });
      return answer(302, undefined, { location: entry.destination! });
    }
    return answer(400, { error: 'Bad Request' });
  });
  return { url: `${server.url}/federation`, requests, signinTokens, close: () => server.close() };
}
