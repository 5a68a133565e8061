import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StsApi } from '../../src/aws/stsClient.js';
import { FedloginError, refusedError, usageError } from '../../src/core/errors.js';
import { findBrowser } from '../../src/core/findBrowser.js';
import { createLogger, silentLogger } from '../../src/core/logger.js';
import { parseAccountAliases } from '../../src/flows/saml/accountAliases.js';
import { acsMatcher, compileAcsPattern, isAwsAcsUrl } from '../../src/flows/saml/acsUrl.js';
import { type BrowserLoginSettings, samlResponseFromBrowser } from '../../src/flows/saml/browserLogin.js';
import { browserProfileDir, SESSION_MARKER } from '../../src/flows/saml/browserProfileDir.js';
import type { CaptureOptions } from '../../src/flows/saml/captureAssertion.js';
import { checkAssertion } from '../../src/flows/saml/checkAssertion.js';
import { groupRolesByAccount, pickRole } from '../../src/flows/saml/chooseRole.js';
import { samlDuration } from '../../src/flows/saml/exchange.js';
import { type AssertionSource, loginWithSaml } from '../../src/flows/saml/login.js';
import { parseSamlResponse } from '../../src/flows/saml/parseAssertion.js';
import { profileNameFor } from '../../src/flows/saml/profileName.js';
import { parseRoleValue } from '../../src/flows/saml/samlRole.js';
import { parseSessionCookies, sessionOnly } from '../../src/flows/saml/sessionCookies.js';
import { assertFuzz } from '../support/harness/fuzz.js';

const ROLE = 'arn:aws:iam::123456789012:role/path/dev';
const PROVIDER = 'arn:aws:iam::123456789012:saml-provider/Okta';
const OPS = 'arn:aws:iam::210987654321:role/ops';
const OPS_PROVIDER = 'arn:aws:iam::210987654321:saml-provider/Okta';

function responseXml(
  o: {
    roles?: string[];
    until?: string;
    recipient?: string;
    status?: string;
    message?: string;
    duration?: string;
  } = {},
) {
  const attr = (name: string, values: string[]) =>
    `<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/${name}">${values.map((v) => `<saml:AttributeValue>${v}</saml:AttributeValue>`).join('')}</saml:Attribute>`;
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" Destination="https://signin.aws.amazon.com/saml">` +
    `<samlp:Status><samlp:StatusCode Value="${o.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success'}"/>${o.message ? `<samlp:StatusMessage>${o.message}</samlp:StatusMessage>` : ''}</samlp:Status>` +
    `<saml:Assertion><saml:Issuer>https://idp.example.com</saml:Issuer><saml:Subject><saml:NameID>alice@example.com</saml:NameID>` +
    `<saml:SubjectConfirmation><saml:SubjectConfirmationData NotOnOrAfter="${o.until ?? '2030-01-01T00:05:00Z'}" Recipient="${o.recipient ?? 'https://signin.aws.amazon.com/saml'}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotOnOrAfter="2030-01-01T00:10:00Z"><saml:AudienceRestriction><saml:Audience>urn:amazon:webservices</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AttributeStatement>${attr('Role', o.roles ?? [`${ROLE},${PROVIDER}`, `${OPS_PROVIDER},${OPS}`])}${attr('RoleSessionName', ['alice@example.com'])}${attr('SessionDuration', [o.duration ?? '7200'])}</saml:AttributeStatement>` +
    `</saml:Assertion></samlp:Response>`
  );
}
const b64 = (xml: string) => Buffer.from(xml).toString('base64');
const NOW = Date.parse('2030-01-01T00:00:00Z');

describe('AWS ACS URLs', () => {
  it.each([
    'https://signin.aws.amazon.com/saml',
    'https://signin.aws.amazon.com/saml/',
    'https://signin.aws.amazon.com/saml?SAMLart=1',
    'https://eu-central-1.signin.aws.amazon.com/saml',
    'https://us-east-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46',
    'https://signin.amazonaws.cn/saml',
    'https://cn-northwest-1.signin.amazonaws.cn/saml',
    'https://signin.amazonaws-us-gov.com/saml',
    'https://us-gov-west-1.signin.amazonaws-us-gov.com/saml',
  ])('matches %s', (url) => expect(isAwsAcsUrl(url)).toBe(true));

  it.each([
    'http://signin.aws.amazon.com/saml',
    'https://signin.aws.amazon.com.evil.example/saml',
    'https://evil.example/signin.aws.amazon.com/saml',
    'https://xsignin.aws.amazon.com/saml',
    'https://signin.aws.amazon.com/samlx',
    'https://signin.aws.amazon.com/federation',
    'https://signin.aws.amazon.com:8443/saml',
    'https://signin.aws.amazon.com/saml/acs/../../x',
    'not a url',
  ])('does not match %s', (url) => expect(isAwsAcsUrl(url)).toBe(false));

  it('adds a configured pattern for IdP proxies, ignoring the query', () => {
    const match = acsMatcher('https://sso.example.com/aws/*/acs');
    expect(match('https://sso.example.com/aws/prod/acs?x=1')).toBe(true);
    expect(match('https://sso.example.com/other/acs')).toBe(false);
    expect(match('https://signin.aws.amazon.com/saml')).toBe(true);
    expect(compileAcsPattern('https://a.example/x.y')('https://a.example/xzy')).toBe(false);
    expect(() => compileAcsPattern('sso.example.com/*')).toThrow(/must start with https:\/\//);
  });
});

describe('finding the browser', () => {
  const has =
    (...files: string[]) =>
    (file: string) =>
      files.includes(file);

  it('takes the first of Chrome, Chromium, Edge, Brave found on PATH (Linux)', () => {
    const env = { PATH: '/usr/local/bin:/usr/bin' };
    expect(findBrowser({ platform: 'linux', env, exists: has('/usr/bin/chromium', '/usr/bin/brave-browser') })).toEqual(
      { name: 'chromium', family: 'chromium', executablePath: '/usr/bin/chromium' },
    );
    expect(
      findBrowser({ platform: 'linux', env, exists: has('/usr/bin/chromium', '/usr/local/bin/google-chrome') }).name,
    ).toBe('chrome');
    expect(findBrowser({ platform: 'linux', env: {}, exists: has('/usr/lib/chromium/chromium') }).executablePath).toBe(
      '/usr/lib/chromium/chromium',
    );
  });

  it('honours a requested name or path', () => {
    const env = { PATH: '/usr/bin' };
    const exists = has('/usr/bin/google-chrome', '/usr/bin/microsoft-edge', '/opt/x/browser');
    expect(findBrowser({ platform: 'linux', env, exists, requested: 'edge' }).executablePath).toBe(
      '/usr/bin/microsoft-edge',
    );
    expect(findBrowser({ platform: 'linux', env, exists, requested: '/opt/x/browser' })).toEqual({
      name: 'custom',
      family: 'chromium',
      executablePath: '/opt/x/browser',
    });
    expect(() => findBrowser({ platform: 'linux', env, exists, requested: '/nope/chrome' })).toThrow(
      /no executable there/,
    );
    expect(() => findBrowser({ platform: 'linux', env, exists, requested: 'firefox' })).toThrow(
      /neither a path nor one of chrome, chromium, edge, brave/,
    );
    expect(() => findBrowser({ platform: 'linux', env, exists, requested: 'brave' })).toThrow(/brave is not installed/);
  });

  it('knows the macOS and Windows install locations', () => {
    expect(
      findBrowser({
        platform: 'darwin',
        env: { HOME: '/Users/a' },
        exists: has('/Users/a/Applications/Brave Browser.app/Contents/MacOS/Brave Browser'),
      }).name,
    ).toBe('brave');
    expect(
      findBrowser({
        platform: 'darwin',
        env: {},
        exists: has('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
      }).name,
    ).toBe('chrome');
    const win = {
      PROGRAMFILES: 'C:\\Program Files',
      'PROGRAMFILES(X86)': 'C:\\Program Files (x86)',
      LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local',
    };
    expect(
      findBrowser({
        platform: 'win32',
        env: win,
        exists: has('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'),
      }),
    ).toEqual({
      name: 'edge',
      family: 'chromium',
      executablePath: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    });
    expect(
      findBrowser({
        platform: 'win32',
        env: win,
        exists: has('C:\\Users\\a\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe'),
      }).name,
    ).toBe('chrome');
  });

  it('never falls back to downloading: no browser is a usage error with the way out', () => {
    const error = (() => {
      try {
        findBrowser({ platform: 'linux', env: { PATH: '/usr/bin' }, exists: () => false });
      } catch (e) {
        return e as FedloginError;
      }
    })();
    expect(error?.kind).toBe('usage');
    expect(error?.hint).toMatch(/--browser/);
  });
});

describe('role values', () => {
  it('accepts either order', () => {
    expect(parseRoleValue(`${ROLE},${PROVIDER}`)).toEqual({
      roleArn: ROLE,
      principalArn: PROVIDER,
      accountId: '123456789012',
      roleName: 'dev',
      partition: 'aws',
    });
    expect(parseRoleValue(` ${PROVIDER} , ${ROLE} `)).toMatchObject({ roleArn: ROLE, principalArn: PROVIDER });
    expect(
      parseRoleValue('arn:aws-cn:iam::123456789012:role/r,arn:aws-cn:iam::123456789012:saml-provider/p'),
    ).toMatchObject({ partition: 'aws-cn' });
  });
  it.each([
    [ROLE, /no provider ARN/],
    [`${ROLE},${ROLE}`, /no saml-provider ARN/],
    [`${PROVIDER},${PROVIDER}`, /no role ARN/],
    [`${ROLE},${PROVIDER},x`, /3 parts/],
    [`${ROLE},arn:aws:iam::999999999999:saml-provider/p`, /not in the same account/],
    [`arn:aws:iam::1234:role/x,${PROVIDER}`, /not an IAM role ARN/],
  ])('explains %s', (value, problem) =>
    expect((parseRoleValue(value) as { problem: string }).problem).toMatch(problem),
  );
});

describe('parseSamlResponse', () => {
  it('reads roles, session name, duration, expiry, recipient and status', () => {
    const info = parseSamlResponse(b64(responseXml()));
    expect(info.roles.map((r) => r.roleArn)).toEqual([ROLE, OPS]);
    expect(info).toMatchObject({
      issuer: 'https://idp.example.com',
      subject: 'alice@example.com',
      roleSessionName: 'alice@example.com',
      sessionDuration: 7200,
      recipient: 'https://signin.aws.amazon.com/saml',
      audience: 'urn:amazon:webservices',
      status: { code: 'urn:oasis:names:tc:SAML:2.0:status:Success' },
    });
    // the earlier of the two NotOnOrAfter values
    expect(info.notOnOrAfter?.toISOString()).toBe('2030-01-01T00:05:00.000Z');
  });

  it('accepts line-wrapped and URL-safe base64', () => {
    const text = b64(responseXml());
    expect(parseSamlResponse(text.replace(/(.{76})/g, '$1\r\n')).roles).toHaveLength(2);
    expect(parseSamlResponse(text.replace(/\+/g, '-').replace(/\//g, '_')).roles).toHaveLength(2);
  });

  it('refuses DTDs before parsing, whatever the case', () => {
    expect(() => parseSamlResponse(b64(`<!doctype x>${responseXml()}`))).toThrow(/DTD/);
  });

  it('reports what the IdP said when the status failed', () => {
    const info = parseSamlResponse(
      b64(responseXml({ status: 'urn:oasis:names:tc:SAML:2.0:status:Requester', message: 'MFA required' })),
    );
    expect(() => checkAssertion(info, NOW)).toThrow(/status Requester: "MFA required"/);
  });

  it('checks expiry with a minute of clock skew, and the recipient', () => {
    const info = parseSamlResponse(b64(responseXml({ until: '2029-12-31T23:59:30Z' })));
    expect(() => checkAssertion(info, NOW)).not.toThrow();
    expect(() => checkAssertion(info, NOW + 60_000)).toThrow(/expired at 2029-12-31T23:59:30.000Z/);
    const proxied = parseSamlResponse(b64(responseXml({ recipient: 'https://proxy.example/saml' })));
    expect(() => checkAssertion(proxied, NOW)).toThrow(/not an AWS sign-in endpoint/);
  });
});

describe('parseSamlResponse on arbitrary input', () => {
  const refusesCleanly = (input: string) => {
    try {
      parseSamlResponse(input);
    } catch (error) {
      expect(error).toBeInstanceOf(FedloginError);
      expect((error as FedloginError).kind).toBe('usage');
    }
  };
  it('never fails with anything but a usage error (random text, random base64 of XML-ish text)', () => {
    assertFuzz(
      fc.property(fc.string({ maxLength: 400 }), refusesCleanly),
      { numRuns: 300 },
      'SAML parser (test/unit/saml.test.ts)',
    );
    const xmlish = fc.array(
      fc.constantFrom(
        '<',
        '>',
        '/',
        '=',
        '"',
        '&',
        ';',
        '!',
        '?',
        'samlp:Response',
        'saml:Assertion',
        ' xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"',
        'DOCTYPE',
        'ENTITY',
        'a',
        ' ',
      ),
      { maxLength: 60 },
    );
    assertFuzz(
      fc.property(xmlish, (parts) => refusesCleanly(b64(parts.join('')))),
      { numRuns: 300 },
      'SAML parser (test/unit/saml.test.ts)',
    );
  });
  it('a mutated real response parses or is refused, never crashes', () => {
    const xml = responseXml();
    assertFuzz(
      fc.property(
        fc.nat({ max: xml.length - 1 }),
        fc.nat({ max: 40 }),
        fc.string({ maxLength: 5 }),
        (at, cut, insert) => refusesCleanly(b64(xml.slice(0, at) + insert + xml.slice(at + cut))),
      ),
      { numRuns: 300 },
      'SAML parser (test/unit/saml.test.ts)',
    );
  });
});

describe('naming and choosing', () => {
  const roles = parseSamlResponse(b64(responseXml())).roles;
  const aliases = parseAccountAliases('123456789012=prod, 210987654321=dev');

  it('parses account aliases', () => {
    expect([...aliases]).toEqual([
      ['123456789012', 'prod'],
      ['210987654321', 'dev'],
    ]);
    expect(() => parseAccountAliases('prod=123456789012')).toThrow(/not ACCOUNT_ID=NAME/);
  });

  it('names profiles from the template, with aliases when known', () => {
    expect(profileNameFor('{account}-{role}', roles[0]!, aliases)).toBe('prod-dev');
    expect(profileNameFor('{account}-{role}', roles[1]!, new Map())).toBe('210987654321-ops');
    expect(profileNameFor('saml/{partition}:{account_id} {role}', roles[0]!, aliases)).toBe(
      'saml-aws-123456789012-dev',
    );
    expect(() => profileNameFor('{acount}', roles[0]!, aliases)).toThrow(/unknown field \{acount\}/);
  });

  it('picks the named role or the only one, and groups for the prompt', () => {
    expect(pickRole(roles, OPS, aliases)?.roleArn).toBe(OPS);
    expect(pickRole(roles, undefined, aliases)).toBeUndefined();
    expect(pickRole(roles.slice(0, 1), undefined, aliases)?.roleArn).toBe(ROLE);
    expect(() => pickRole(roles, 'arn:aws:iam::123456789012:role/admin', aliases)).toThrow(
      /does not grant .*role\/admin; it grants:\n {2}arn:aws:iam::123456789012:role\/path\/dev {2}\(prod\)/,
    );
    expect(groupRolesByAccount(roles, aliases).map(([label]) => label)).toEqual([
      'dev (210987654321)',
      'prod (123456789012)',
    ]);
  });

  it('caps the duration at SessionDuration, and uses it by default', () => {
    const info = parseSamlResponse(b64(responseXml({ duration: '3600' })));
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l) });
    expect(samlDuration(7200, info, logger)).toBe(3600);
    expect(lines[0]).toMatch(/IdP allows 3600 s sessions/);
    expect(samlDuration(undefined, info, logger)).toBe(3600);
    expect(samlDuration(1800, info, logger)).toBe(1800);
  });
});

describe('loginWithSaml', () => {
  const credentials = {
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: 'secret-secret',
    sessionToken: 'token-token',
    expiration: new Date(NOW + 3_600_000),
  };
  const sourceOf = (responses: string[]): AssertionSource & { calls: number } => {
    const source = {
      description: 'test',
      renewable: true,
      calls: 0,
      async get() {
        return { samlResponse: responses[source.calls++]! };
      },
    };
    return source;
  };
  const stsWith = (answers: (() => Promise<typeof credentials>)[]): StsApi & { calls: string[] } => {
    const calls: string[] = [];
    return {
      endpoint: 'http://127.0.0.1:1',
      region: 'us-east-1',
      calls,
      assumeRoleWithWebIdentity: () => Promise.reject(new Error('unused')),
      assumeRole: () => Promise.reject(new Error('unused')),
      assumeRoleWithSaml: (params) => {
        calls.push(`${params.roleArn} ${params.durationSeconds}`);
        return answers[calls.length - 1]!();
      },
    };
  };
  const clock = { now: () => NOW };

  it('signs in once more when STS says the assertion expired, keeping the chosen role', async () => {
    const source = sourceOf([b64(responseXml()), b64(responseXml())]);
    const sts = stsWith([
      () => Promise.reject(refusedError('TOKEN_EXPIRED', 'expired')),
      () => Promise.resolve(credentials),
    ]);
    let prompts = 0;
    const result = await loginWithSaml(
      { aliases: new Map() },
      { source, stsFor: async () => sts, prompt: async (roles) => (prompts++, roles[1]!), logger: silentLogger, clock },
    );
    expect(source.calls).toBe(2);
    expect(prompts).toBe(1);
    expect(sts.calls).toEqual([`${OPS} 7200`, `${OPS} 7200`]);
    expect(result.credentials.accountId).toBe('210987654321');
  });

  it('does not sign in again for a file, nor twice', async () => {
    const expired = () => Promise.reject(refusedError('TOKEN_EXPIRED', 'expired'));
    const file = { ...sourceOf([b64(responseXml())]), renewable: false };
    await expect(
      loginWithSaml(
        { roleArn: ROLE, aliases: new Map() },
        { source: file, stsFor: async () => stsWith([expired]), logger: silentLogger, clock },
      ),
    ).rejects.toThrow('expired');
    const browser = sourceOf([b64(responseXml()), b64(responseXml()), b64(responseXml())]);
    await expect(
      loginWithSaml(
        { roleArn: ROLE, aliases: new Map() },
        { source: browser, stsFor: async () => stsWith([expired, expired, expired]), logger: silentLogger, clock },
      ),
    ).rejects.toThrow('expired');
    expect(browser.calls).toBe(2);
  });

  it('without a prompt, several roles are an error listing them', async () => {
    const error = await loginWithSaml(
      { aliases: new Map() },
      { source: sourceOf([b64(responseXml())]), stsFor: async () => stsWith([]), logger: silentLogger, clock },
    ).catch((e: FedloginError) => e);
    expect((error as FedloginError).code).toBe('SAML_ROLE_CHOICE_NEEDED');
    expect((error as FedloginError).message).toContain(OPS);
  });
});

describe('silent renewal first, a window only when needed', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedlogin-saml-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const IDP = 'https://idp.example.com/app/aws/sso';
  const settings = (over: Partial<BrowserLoginSettings> = {}): BrowserLoginSettings => ({
    idpUrl: IDP,
    browser: process.execPath, // any executable stands in: capture is replaced below
    mode: 'auto',
    timeoutMs: 300_000,
    silentTimeoutMs: 10_000,
    interactive: true,
    needsPerson: () => usageError('SAML_NEEDS_SIGN_IN', 'needs you'),
    ...over,
  });
  const recorder = (answers: ('captured' | 'timeout')[]) => {
    const calls: Pick<CaptureOptions, 'headless' | 'timeoutMs' | 'userDataDir'>[] = [];
    const capture = async (o: CaptureOptions) => {
      calls.push({ headless: o.headless, timeoutMs: o.timeoutMs, userDataDir: o.userDataDir });
      const kind = answers[calls.length - 1];
      return kind === 'captured'
        ? {
            kind,
            samlResponse: 'PHNhbWw+',
            acsUrl: 'https://signin.aws.amazon.com/saml',
            capturedAt: 1,
            closed: Promise.resolve(),
          }
        : { kind: 'timeout' as const };
    };
    return { calls, capture };
  };

  it('keeps one private browser profile per IdP URL', () => {
    const env = { XDG_DATA_HOME: dir };
    expect(browserProfileDir(env, IDP)).toMatch(new RegExp(`^${dir}/fedlogin/browser/[0-9a-f]{16}$`));
    expect(browserProfileDir(env, IDP)).not.toBe(browserProfileDir(env, `${IDP}2`));
  });

  it('first sign-in: a window at once; then the session marker is written', async () => {
    const env = { XDG_DATA_HOME: dir, DISPLAY: ':0' };
    const { calls, capture } = recorder(['captured']);
    await samlResponseFromBrowser(settings(), { env, logger: silentLogger, platform: 'linux', capture });
    expect(calls.map((c) => c.headless)).toEqual([false]);
    expect(existsSync(join(browserProfileDir(env, IDP), SESSION_MARKER))).toBe(true);
    expect(statSync(browserProfileDir(env, IDP)).mode & 0o777).toBe(0o700);
  });

  it('with a session: headless first with the short bound, a window only when that times out', async () => {
    const env = { XDG_DATA_HOME: dir, DISPLAY: ':0' };
    mkdirSync(browserProfileDir(env, IDP), { recursive: true });
    writeFileSync(join(browserProfileDir(env, IDP), SESSION_MARKER), 'x');
    const silent = recorder(['captured']);
    await samlResponseFromBrowser(settings(), {
      env,
      logger: silentLogger,
      platform: 'linux',
      capture: silent.capture,
    });
    expect(silent.calls).toEqual([expect.objectContaining({ headless: true, timeoutMs: 10_000 })]);
    const fallback = recorder(['timeout', 'captured']);
    await samlResponseFromBrowser(settings(), {
      env,
      logger: silentLogger,
      platform: 'linux',
      capture: fallback.capture,
    });
    expect(fallback.calls.map((c) => [c.headless, c.timeoutMs])).toEqual([
      [true, 10_000],
      [false, 300_000],
    ]);
    const nobody = recorder(['timeout']);
    await expect(
      samlResponseFromBrowser(settings({ interactive: false }), {
        env,
        logger: silentLogger,
        platform: 'linux',
        capture: nobody.capture,
      }),
    ).rejects.toThrow('needs you');
    expect(nobody.calls).toHaveLength(1);
  });

  it('nobody to ask and no session: fails before any browser starts', async () => {
    const { calls, capture } = recorder([]);
    await expect(
      samlResponseFromBrowser(settings({ interactive: false, browser: '/no/such/browser' }), {
        env: { XDG_DATA_HOME: dir },
        logger: silentLogger,
        platform: 'linux',
        capture,
      }),
    ).rejects.toThrow('needs you');
    expect(calls).toHaveLength(0);
  });

  it('--headless and --headed force the mode; a window needs a display', async () => {
    const headless = recorder(['timeout']);
    await expect(
      samlResponseFromBrowser(settings({ mode: 'headless', timeoutMs: 5000 }), {
        env: { XDG_DATA_HOME: dir },
        logger: silentLogger,
        platform: 'linux',
        capture: headless.capture,
      }),
    ).rejects.toThrow(/within 5 s/);
    expect(headless.calls.map((c) => c.headless)).toEqual([true]);
    const headed = recorder(['captured']);
    await expect(
      samlResponseFromBrowser(settings({ mode: 'headed' }), {
        env: { XDG_DATA_HOME: dir },
        logger: silentLogger,
        platform: 'linux',
        capture: headed.capture,
      }),
    ).rejects.toThrow(/no display/);
    expect(headed.calls).toHaveLength(0);
  });
});

describe('the session cookies kept between runs', () => {
  const cookie = (name: string, expires: number) => ({
    name,
    value: `v-${name}`,
    domain: 'idp.example.com',
    path: '/',
    expires,
    httpOnly: true,
    secure: true,
    sameSite: 'Lax' as const,
  });
  it('keeps only the cookies a browser forgets when it closes (no expiry)', () => {
    const kept = sessionOnly([cookie('session', -1), cookie('remember', 1_900_000_000)]);
    expect(kept).toEqual([
      {
        name: 'session',
        value: 'v-session',
        domain: 'idp.example.com',
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: 'Lax',
      },
    ]);
  });
  it('round-trips through the file text, and a damaged file restores nothing', () => {
    const kept = sessionOnly([cookie('a', -1), cookie('b', -1)]);
    expect(parseSessionCookies(JSON.stringify({ version: 1, cookies: kept }))).toEqual(kept);
    expect(parseSessionCookies('{"version":1,"cookies":[')).toEqual([]);
    expect(parseSessionCookies('null')).toEqual([]);
    expect(parseSessionCookies('{"cookies":{"name":"x"}}')).toEqual([]);
    expect(
      parseSessionCookies(
        JSON.stringify({
          cookies: [
            { name: 'x', value: 1, domain: 'd', path: '/' },
            { ...kept[0], sameSite: 'Sideways' },
            { ...kept[0], domain: '' },
            kept[1],
          ],
        }),
      ),
    ).toEqual([kept[1]]);
  });
});
