import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as samlify from 'samlify';
import { registerSecret } from '../harness/leakScan.js';
import { readBody, startLoopbackServer } from '../harness/loopbackServer.js';

/**
 * A real SAML IdP on loopback, built with samlify: GET /sso shows a username/password form; the
 * POST signs in, sets a session cookie and answers the auto-submit form that posts a signed
 * SAMLResponse (RSA-SHA256, assertion signed) to the AWS ACS, as Okta, Entra ID or Keycloak do for
 * their AWS apps. A later GET /sso with the cookie skips the form. The key pair is generated at
 * start (openssl) and never written anywhere but a temp folder that is removed at once.
 */

export const AWS_SP_ENTITY_ID = 'urn:amazon:webservices';
export const AWS_ACS_URL = 'https://signin.aws.amazon.com/saml';
const ATTR = 'https://aws.amazon.com/SAML/Attributes/';
const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

export interface SamlIdpOptions {
  /** Role attribute values, "role-arn,provider-arn" (or reversed) */
  roles: string[];
  sessionDuration?: number;
  /** default: the user name */
  roleSessionName?: string;
  /** user -> password; default { alice: 'wonderland' } */
  users?: Record<string, string>;
  acsUrl?: string;
  /**
   * 'persistent' (default): the session cookie has a Max-Age, as "keep me signed in" sets, and
   * survives a browser restart; 'session': no expiry, as most IdPs set it without "remember me":
   * a browser forgets it when it closes
   */
  sessionCookie?: 'persistent' | 'session';
}

export interface ResponseOverrides {
  roles?: string[];
  /** null leaves the attribute out */
  sessionDuration?: number | null;
  roleSessionName?: string | null;
  /** false leaves the Role attribute out altogether */
  roleAttribute?: boolean;
  notOnOrAfter?: Date;
  recipient?: string;
  statusCode?: string;
  statusMessage?: string;
  subject?: string;
  /** 'idp' (default), 'other' (a key the STS double does not know), 'none' */
  signWith?: 'idp' | 'other' | 'none';
}

export interface SamlIdp {
  url: string;
  /** the IdP-initiated sign-on URL of the AWS app */
  ssoUrl: string;
  entityId: string;
  certPem: string;
  /** mutable: what the next responses carry */
  roles: string[];
  /** how often the login form was shown, and logins accepted */
  stats: { formsShown: number; logins: number; responses: number };
  /** the last SAMLResponse issued (base64), for leak scans */
  readonly lastResponse: string | undefined;
  /** forgets every session: the next GET /sso shows the form again */
  endSessions(): void;
  /** a signed base64 SAMLResponse for `user`, with overrides for error cases */
  signedResponse(user?: string, overrides?: ResponseOverrides): Promise<string>;
  close(): Promise<void>;
}

export interface KeyPair {
  keyPem: string;
  certPem: string;
}

/** A throwaway RSA key and self-signed certificate (openssl, a temp folder removed at once). */
export function generateKeyPair(cn = 'fedlogin-test-idp'): KeyPair {
  const dir = mkdtempSync(join(tmpdir(), 'fedlogin-saml-key-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'c.pem'),
        '-days',
        '2',
        '-subj',
        `/CN=${cn}`,
      ],
      {
        stdio: 'ignore',
        // an RSA key takes a random number of primality tests: a few hundred ms idle, tens of seconds
        // on a loaded two-core machine (seen failing at 20 s); the bound is for a hang
        timeout: 120_000,
      },
    );
    return { keyPem: readFileSync(join(dir, 'k.pem'), 'utf8'), certPem: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function attribute(name: string, values: string[]): string {
  return `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${values
    .map((v) => `<saml:AttributeValue xsi:type="xs:string">${esc(v)}</saml:AttributeValue>`)
    .join('')}</saml:Attribute>`;
}

interface TemplateInput {
  id: string;
  assertionId: string;
  issuer: string;
  now: Date;
  notOnOrAfter: Date;
  recipient: string;
  subject: string;
  statusCode: string;
  statusMessage: string | undefined;
  attributes: string;
}

function responseXml(t: TemplateInput): string {
  const now = t.now.toISOString();
  const until = t.notOnOrAfter.toISOString();
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${t.id}" Version="2.0" IssueInstant="${now}" Destination="${esc(t.recipient)}">` +
    `<saml:Issuer>${esc(t.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${esc(t.statusCode)}"/>${t.statusMessage ? `<samlp:StatusMessage>${esc(t.statusMessage)}</samlp:StatusMessage>` : ''}</samlp:Status>` +
    `<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${t.assertionId}" Version="2.0" IssueInstant="${now}">` +
    `<saml:Issuer>${esc(t.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${esc(t.subject)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="${esc(t.recipient)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${now}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${AWS_SP_ENTITY_ID}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${now}" SessionIndex="${t.assertionId}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${t.attributes}</saml:AttributeStatement>` +
    `</saml:Assertion></samlp:Response>`
  );
}

const LOGIN_FORM = (
  error = '',
) => `<!doctype html><html><head><meta charset="utf-8"><title>Test IdP sign-in</title></head><body>
<h1>Sign in to the test IdP</h1>${error ? `<p id="error">${esc(error)}</p>` : ''}
<form method="post" action="/login">
<label>User <input id="username" name="username" autocomplete="username"></label>
<label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
<button id="submit" type="submit">Sign in</button>
</form></body></html>`;

function autoSubmitForm(acsUrl: string, samlResponse: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Signing in to AWS</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="${esc(acsUrl)}">
<input type="hidden" name="SAMLResponse" value="${esc(samlResponse)}"><noscript><button type="submit">Continue</button></noscript>
</form></body></html>`;
}

export async function startSamlIdp(options: SamlIdpOptions): Promise<SamlIdp> {
  const keys = generateKeyPair();
  let otherKeys: KeyPair | undefined;
  const users = options.users ?? { alice: 'wonderland' };
  const acsUrl = options.acsUrl ?? AWS_ACS_URL;
  const sessions = new Map<string, string>();
  const stats = { formsShown: 0, logins: 0, responses: 0 };
  let entityId = '';

  const sp = samlify.ServiceProvider({
    entityID: AWS_SP_ENTITY_ID,
    assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: acsUrl }],
    wantAssertionsSigned: true,
    wantMessageSigned: false,
  });
  const idps = new Map<KeyPair, ReturnType<typeof samlify.IdentityProvider>>();
  const idpFor = (pair: KeyPair) => {
    let idp = idps.get(pair);
    if (!idp) {
      idp = makeIdp(pair);
      idps.set(pair, idp);
    }
    return idp;
  };
  const makeIdp = (pair: KeyPair) =>
    samlify.IdentityProvider({
      entityID: entityId,
      privateKey: pair.keyPem,
      signingCert: pair.certPem,
      requestSignatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${entityId}/sso` }],
      singleLogoutService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${entityId}/slo` }],
    });

  const state: { roles: string[] } = { roles: [...options.roles] };
  let lastResponse: string | undefined;
  async function signedResponse(user = Object.keys(users)[0]!, o: ResponseOverrides = {}): Promise<string> {
    const roles = o.roles ?? state.roles;
    const duration = o.sessionDuration === undefined ? options.sessionDuration : o.sessionDuration;
    const sessionName = o.roleSessionName === undefined ? (options.roleSessionName ?? user) : o.roleSessionName;
    const attributes =
      (o.roleAttribute === false ? '' : attribute(`${ATTR}Role`, roles)) +
      (sessionName === null ? '' : attribute(`${ATTR}RoleSessionName`, [sessionName])) +
      (duration === null || duration === undefined ? '' : attribute(`${ATTR}SessionDuration`, [String(duration)]));
    const now = new Date();
    const xml = responseXml({
      id: `_${randomBytes(16).toString('hex')}`,
      assertionId: `_${randomBytes(16).toString('hex')}`,
      issuer: entityId,
      now,
      notOnOrAfter: o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000),
      recipient: o.recipient ?? acsUrl,
      subject: o.subject ?? `${user}@example.test`,
      statusCode: o.statusCode ?? STATUS_SUCCESS,
      statusMessage: o.statusMessage,
      attributes,
    });
    stats.responses++;
    const issue = (response: string) => {
      registerSecret(response, 'token', 'a SAMLResponse of the test IdP');
      // the same assertion printed decoded would carry its signature value
      const signatureValue = /<(?:\w+:)?SignatureValue>([^<]+)</.exec(
        Buffer.from(response, 'base64').toString('utf8'),
      )?.[1];
      registerSecret(
        signatureValue?.replace(/\s+/g, '').slice(0, 64),
        'token',
        'the SignatureValue of a SAMLResponse of the test IdP',
      );
      lastResponse = response;
      return response;
    };
    if (o.signWith === 'none') return issue(Buffer.from(xml).toString('base64'));
    if (o.signWith === 'other') otherKeys ??= generateKeyPair('someone-else');
    const pair = o.signWith === 'other' ? otherKeys! : keys;
    const { context } = await idpFor(pair).createLoginResponse(
      sp,
      { extract: {} } as never,
      'post',
      { email: user },
      () => ({ id: 'unused', context: xml }),
    );
    return issue(context);
  }

  const server = await startLoopbackServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cookie = /(?:^|;\s*)idp_session=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
    const html = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    if (req.method === 'GET' && url.pathname === '/sso') {
      const user = cookie ? sessions.get(cookie) : undefined;
      if (user) return html(200, autoSubmitForm(acsUrl, await signedResponse(user)));
      stats.formsShown++;
      return html(200, LOGIN_FORM());
    }
    if (req.method === 'POST' && url.pathname === '/login') {
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      const user = form.get('username') ?? '';
      if (!Object.hasOwn(users, user) || users[user] !== form.get('password')) {
        stats.formsShown++;
        return html(401, LOGIN_FORM('Wrong user name or password.'));
      }
      stats.logins++;
      const session = randomBytes(16).toString('hex');
      sessions.set(session, user);
      registerSecret(session, 'token', 'a session cookie of the test SAML IdP');
      // A persistent cookie (Max-Age), as IdPs' "keep me signed in" sets, survives a browser
      // restart; a session cookie (no expiry) dies with the browser.
      const lifetime = options.sessionCookie === 'session' ? '' : '; Max-Age=3600';
      return html(200, autoSubmitForm(acsUrl, await signedResponse(user)), {
        'set-cookie': `idp_session=${session}; Path=/; HttpOnly; SameSite=Lax${lifetime}`,
      });
    }
    html(404, 'not found');
  });
  entityId = `${server.url}/metadata`;

  return {
    url: server.url,
    ssoUrl: `${server.url}/sso`,
    get entityId() {
      return entityId;
    },
    certPem: keys.certPem,
    get roles() {
      return state.roles;
    },
    set roles(value: string[]) {
      state.roles = value;
    },
    stats,
    get lastResponse() {
      return lastResponse;
    },
    signedResponse,
    endSessions: () => sessions.clear(),
    close: () => server.close(),
  };
}
