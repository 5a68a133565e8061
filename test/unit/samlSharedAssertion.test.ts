import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import {
  ASSERTION_MAX_AGE_MS,
  ASSERTION_SAFETY_MARGIN_MS,
  assertionEntry,
  assertionKey,
  entryUnusable,
  normaliseIdpUrl,
  parseAssertionEntry,
  serializeAssertionEntry,
} from '../../src/flows/saml/assertionEntry.js';
import type { AssertionSource } from '../../src/flows/saml/login.js';
import { sharedAssertionSource } from '../../src/flows/saml/sharedAssertion.js';
import { memorySecretStore } from '../support/harness/builders.js';

const DEV = 'arn:aws:iam::123456789012:role/dev';
const OPS = 'arn:aws:iam::210987654321:role/ops';
const OTHER = 'arn:aws:iam::111122223333:role/other';
const PROVIDER = 'arn:aws:iam::123456789012:saml-provider/Okta';
const OPS_PROVIDER = 'arn:aws:iam::210987654321:saml-provider/Okta';
const T0 = Date.parse('2030-01-01T00:00:00Z');
const roles = [DEV, OPS].map((roleArn) => ({ roleArn, principalArn: PROVIDER }));

/** A signed-looking SAMLResponse (parseSamlResponse reads it; nothing here checks signatures). */
function response(n: number, until: string) {
  const attr = (name: string, values: string[]) =>
    `<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/${name}">${values.map((v) => `<saml:AttributeValue>${v}</saml:AttributeValue>`).join('')}</saml:Attribute>`;
  const xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="r${n}">` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `<saml:Assertion><saml:Issuer>https://idp.example.com</saml:Issuer><saml:Subject><saml:NameID>alice</saml:NameID>` +
    `<saml:SubjectConfirmation><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="https://signin.aws.amazon.com/saml"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:AttributeStatement>${attr('Role', [`${DEV},${PROVIDER}`, `${OPS},${OPS_PROVIDER}`])}</saml:AttributeStatement>` +
    `</saml:Assertion></samlp:Response>`;
  return Buffer.from(xml).toString('base64');
}

describe('the kept assertion entry (pure)', () => {
  it('is usable until the earliest of NotOnOrAfter and capture + 5 min, minus the safety margin', () => {
    const late = assertionEntry('A', { notOnOrAfter: new Date(T0 + 60 * 60_000), roles }, T0)!;
    expect(late.usableUntil).toBe(T0 + ASSERTION_MAX_AGE_MS - ASSERTION_SAFETY_MARGIN_MS);
    const early = assertionEntry('A', { notOnOrAfter: new Date(T0 + 3 * 60_000), roles }, T0)!;
    expect(early.usableUntil).toBe(T0 + 3 * 60_000 - ASSERTION_SAFETY_MARGIN_MS);
    expect(assertionEntry('A', { notOnOrAfter: undefined, roles }, T0)!.usableUntil).toBe(
      T0 + ASSERTION_MAX_AGE_MS - ASSERTION_SAFETY_MARGIN_MS,
    );
    expect(entryUnusable(early, early.usableUntil - 1, DEV)).toBeUndefined();
    expect(entryUnusable(early, early.usableUntil, DEV)).toMatch(/expired at 2030-01-01T00:02:00/);
    // within the margin of its NotOnOrAfter, or with no role: not worth keeping
    expect(assertionEntry('A', { notOnOrAfter: new Date(T0 + ASSERTION_SAFETY_MARGIN_MS), roles }, T0)).toBeUndefined();
    expect(assertionEntry('A', { notOnOrAfter: new Date(T0 + 60 * 60_000), roles: [] }, T0)).toBeUndefined();
  });

  it('is used only for a role it grants (any role when none is named)', () => {
    const entry = assertionEntry('A', { notOnOrAfter: undefined, roles }, T0)!;
    expect(entryUnusable(entry, T0 + 1000, OPS)).toBeUndefined();
    expect(entryUnusable(entry, T0 + 1000, undefined)).toBeUndefined();
    expect(entryUnusable(entry, T0 + 1000, OTHER)).toBe(`it does not grant ${OTHER}`);
    expect(entryUnusable(undefined, T0, DEV)).toBe('none kept');
    // captured "in the future": the clock went back; not trusted
    expect(entryUnusable(entry, T0 - 2 * ASSERTION_SAFETY_MARGIN_MS, DEV)).toMatch(/clock change/);
  });

  it('round-trips, and anything that is not one whole entry is none', () => {
    const entry = assertionEntry('PHNhbWxw', { notOnOrAfter: undefined, roles }, T0)!;
    const text = serializeAssertionEntry(entry);
    expect(parseAssertionEntry(text)).toEqual(entry);
    const good = JSON.parse(text);
    for (const broken of [
      undefined,
      '',
      'not json',
      'null',
      '[]',
      text.slice(0, -2),
      JSON.stringify({ ...good, version: 2 }),
      JSON.stringify({ ...good, samlResponse: '' }),
      JSON.stringify({ ...good, samlResponse: 7 }),
      JSON.stringify({ ...good, roles: DEV }),
      JSON.stringify({ ...good, roles: [DEV, 3] }),
      JSON.stringify({ ...good, usableUntil: 'soon' }),
      JSON.stringify({ ...good, capturedAt: undefined }),
    ]) {
      expect(parseAssertionEntry(broken), String(broken)).toBeUndefined();
    }
  });

  it('is keyed per IdP sign-in: one URL spelling, and the browser profile holding the session', () => {
    const env = { HOME: '/home/alice' };
    const url = 'https://idp.example.com/app/aws/sso';
    expect(normaliseIdpUrl(' HTTPS://IDP.example.com:443/app/aws/sso ')).toBe(url);
    const key = assertionKey({ idpUrl: url }, env);
    expect(key).toMatch(/^saml-assertion-v1-[0-9a-f]{32}$/);
    expect(assertionKey({ idpUrl: `${url} ` }, env)).toBe(key);
    expect(assertionKey({ idpUrl: `${url}?x=1` }, env)).not.toBe(key);
    expect(assertionKey({ idpUrl: url, browserProfile: 'Work' }, env)).not.toBe(key);
    expect(assertionKey({ idpUrl: url, browserUrl: 'http://127.0.0.1:9222' }, env)).not.toBe(key);
    expect(assertionKey({ idpUrl: url }, { HOME: '/home/bob' })).not.toBe(key);
  });
});

describe('sharedAssertionSource: one IdP round trip per IdP sign-in', () => {
  let cache: string;
  let env: NodeJS.ProcessEnv;
  let now: number;
  const clock = { now: () => now };
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), 'fedlogin-shared-'));
    env = { HOME: cache, XDG_CACHE_HOME: join(cache, 'cache') };
    now = T0;
  });
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  /** the browser: a fresh response per sign-in; `closing` holds its close until released */
  const browser = () => {
    const source = {
      description: 'the browser',
      renewable: true,
      signIns: 0,
      async get() {
        // as an IdP issues them: good for 5 minutes from now
        const until = new Date(now + ASSERTION_MAX_AGE_MS).toISOString();
        return { samlResponse: response(++source.signIns, until), closed: Promise.resolve() };
      },
    };
    return source;
  };
  const sharedOver = (
    inner: AssertionSource,
    store: ReturnType<typeof memorySecretStore>,
    o: { roleArn?: string; reuse?: boolean; lines?: string[] } = {},
  ) =>
    sharedAssertionSource(inner, {
      store,
      key: 'saml-assertion-v1-0123456789abcdef0123456789abcdef',
      roleArn: o.roleArn,
      reuse: o.reuse ?? true,
      lockTimeoutMs: 5_000,
      env,
      logger: createLogger({ debug: true, write: (line) => o.lines?.push(line) }),
      clock,
    });

  it('the first profile signs in and keeps the assertion; the others reuse it while it is good', async () => {
    const store = memorySecretStore();
    const idp = browser();
    const lines: string[] = [];
    const first = await sharedOver(idp, store, { roleArn: DEV }).get();
    expect(idp.signIns).toBe(1);
    now += 40_000;
    const second = await sharedOver(idp, store, { roleArn: OPS, lines }).get();
    expect(second.samlResponse).toBe(first.samlResponse);
    expect(idp.signIns).toBe(1);
    expect(lines.join('\n')).toContain(`reused the IdP's assertion from 40 s ago for role ${OPS}`);
    expect(lines.join('\n')).not.toContain(first.samlResponse.slice(0, 40));
    // a role it does not grant, or past its usable end: a new sign-in, and the entry replaced
    await sharedOver(idp, store, { roleArn: OTHER }).get();
    expect(idp.signIns).toBe(2);
    now += ASSERTION_MAX_AGE_MS;
    const later = await sharedOver(idp, store, { roleArn: DEV }).get();
    expect(idp.signIns).toBe(3);
    expect(parseAssertionEntry([...store.entries.values()][0])!.samlResponse).toBe(later.samlResponse);
  });

  it('a second get() (STS refused the first as expired) never hands out the same assertion again', async () => {
    const store = memorySecretStore();
    const idp = browser();
    await sharedOver(idp, store).get();
    const source = sharedOver(idp, store, { roleArn: DEV });
    const stale = await source.get();
    expect(idp.signIns).toBe(1);
    const fresh = await source.get();
    expect(idp.signIns).toBe(2);
    expect(fresh.samlResponse).not.toBe(stale.samlResponse);
    expect(parseAssertionEntry([...store.entries.values()][0])!.samlResponse).toBe(fresh.samlResponse);
    // a process refused the same stale one finds the replacement instead of signing in again
    const other = sharedOver(idp, store, { roleArn: OPS });
    store.entries.set(
      [...store.entries.keys()][0]!,
      serializeAssertionEntry(assertionEntry(stale.samlResponse, { notOnOrAfter: undefined, roles }, now)!),
    );
    expect((await other.get()).samlResponse).toBe(stale.samlResponse);
    store.entries.set(
      [...store.entries.keys()][0]!,
      serializeAssertionEntry(assertionEntry(fresh.samlResponse, { notOnOrAfter: undefined, roles }, now)!),
    );
    expect((await other.get()).samlResponse).toBe(fresh.samlResponse);
    expect(idp.signIns).toBe(2);
  });

  it('--headed (reuse off) signs in anew and still keeps the result for the others', async () => {
    const store = memorySecretStore();
    const idp = browser();
    await sharedOver(idp, store).get();
    const headed = await sharedOver(idp, store, { reuse: false }).get();
    expect(idp.signIns).toBe(2);
    expect((await sharedOver(idp, store, { roleArn: OPS }).get()).samlResponse).toBe(headed.samlResponse);
    expect(idp.signIns).toBe(2);
  });

  it('a corrupt entry is a miss; a store that fails costs the sharing, not the login', async () => {
    const store = memorySecretStore({ 'saml-assertion-v1-0123456789abcdef0123456789abcdef': '{"version":1,' });
    const idp = browser();
    await sharedOver(idp, store).get();
    expect(idp.signIns).toBe(1);
    // an entry that claims more time than its assertion has (written by hand, or a clock change): not sent
    const past = response(9, new Date(T0 - 30_000).toISOString());
    const lines: string[] = [];
    store.entries.set(
      [...store.entries.keys()][0]!,
      serializeAssertionEntry({ samlResponse: past, capturedAt: T0 - 60_000, usableUntil: T0 + 60_000, roles: [DEV] }),
    );
    expect((await sharedOver(idp, store, { roleArn: DEV, lines }).get()).samlResponse).not.toBe(past);
    expect(idp.signIns).toBe(2);
    expect(lines.join('\n')).toMatch(/its NotOnOrAfter \(2029-12-31T23:59:30.000Z\) is too close/);
    const broken = {
      ...store,
      get: () => Promise.reject(new Error('keychain locked')),
      set: () => Promise.reject(new Error('keychain locked')),
    };
    const got = await sharedOver(idp, broken as typeof store).get();
    expect(got.samlResponse).toBe(response(3, new Date(T0 + ASSERTION_MAX_AGE_MS).toISOString()));
  });

  it('concurrent renewals of one IdP queue on its lock: one sign-in, the lock held until the browser closed', async () => {
    const store = memorySecretStore();
    let closeBrowser!: () => void;
    let signIns = 0;
    const slow: AssertionSource = {
      description: 'the browser',
      renewable: true,
      async get() {
        signIns++;
        return {
          samlResponse: response(signIns, '2030-01-01T00:05:00Z'),
          closed: new Promise<void>((r) => (closeBrowser = r)),
        };
      },
    };
    const first = await sharedOver(slow, store, { reuse: false }).get();
    // the entry is there, but a process that must sign in waits for the browser profile to be free
    let waited = false;
    const second = sharedOver(slow, store, { reuse: false })
      .get()
      .then((r) => {
        waited = true;
        return r;
      });
    const third = sharedOver(slow, store, { roleArn: OPS }).get();
    expect((await third).samlResponse).toBe(first.samlResponse); // read without the lock
    expect(waited).toBe(false);
    closeBrowser();
    await first.closed;
    await second;
    expect(signIns).toBe(2);
    closeBrowser(); // the second sign-in's browser: its lock goes with it
  });
});
