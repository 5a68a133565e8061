import { execFileSync } from 'node:child_process';
import { chmod, open, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import {
  FEDLOGIN_BIN,
  hermeticEnv,
  makeTempHome,
  type RunCliResult,
  runCli,
  type TempHome,
} from '../support/cli/runCli.js';
import { runProcess } from '../support/harness/runProcess.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';
import { PROFILE, startWebIdentityProfile, type WebIdentityProfile } from './exec.support.js';

/**
 * Issue 14, items 6-9: hostile input read before it is checked, terminal and CI injection through
 * printed claims and assertions, unmasked secrets in GitHub Actions, plain-http IdPs. Each `attack:`
 * test performs the attack as the issue describes it and passes because fedlogin refuses it.
 */

/** STS's limit on a SAMLResponse, and the most bytes fedlogin reads of one (src/flows/saml/assertionFile.ts). */
const MAX_ASSERTION = 100_000;
const INPUT_LIMIT = MAX_ASSERTION * 4;

// ESC/BEL and the rest of C0 (LF aside: lines), DEL, C1, U+2028/9, bidi controls
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** A line GitHub's runner would read as a workflow command: `::` after leading blanks. */
const WORKFLOW_COMMAND = /^\s*::/m;

function expectInert(text: string) {
  expect(text).not.toMatch(RAW_CONTROL);
  expect(text).not.toMatch(WORKFLOW_COMMAND);
}

/** One `fedlogin:` line and its hint, nothing on stdout. */
function expectRefused(result: RunCliResult, code: number, message: RegExp) {
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(message);
  expect(result.stderr.split('\n').filter((l) => l.startsWith('fedlogin:'))).toHaveLength(1);
  expect(result.code).toBe(code);
}

let home: TempHome;
beforeEach(async () => {
  home = await makeTempHome();
});
afterEach(async () => home.cleanup());

describe('item 6: input size is checked before the input is read', () => {
  it('attack: a sparse 300 MB --assertion-file is refused unread, with its real size (exit 2)', async () => {
    const file = join(home.home, 'huge.b64');
    await writeFile(file, '');
    await truncate(file, 300 * 1024 * 1024); // sparse: no disk used
    const result = await runCli(['saml', '--assertion-file', file], { env: home.env });
    expectRefused(
      result,
      2,
      /^fedlogin: The SAML response in .*huge\.b64 is 314,572,800 bytes; a SAMLResponse is at most 100,000 characters \(STS's limit\), so fedlogin does not read it\.$/m,
    );
    expect(result.stderr).toMatch(/^ {2}Pass only the base64 SAMLResponse value/m);
    // saml decode reads through the same source
    const decode = await runCli(['saml', 'decode', file], { env: home.env });
    expectRefused(decode, 2, /is 314,572,800 bytes/);
  });

  it('attack: /dev/zero as the --assertion-file stops after the limit (exit 2, "more than")', async () => {
    const result = await runCli(['saml', '--assertion-file', '/dev/zero'], { env: home.env });
    expectRefused(
      result,
      2,
      /^fedlogin: The SAML response in \/dev\/zero is more than 400,000 bytes; a SAMLResponse is at most 100,000 characters/m,
    );
  });

  it('attack: an oversize stdin is refused as "more than" the limit (exit 2)', async () => {
    const result = await runCli(['saml', '--assertion-file', '-'], {
      env: home.env,
      input: 'A'.repeat(3 * INPUT_LIMIT),
    });
    expectRefused(result, 2, /^fedlogin: The SAML response in standard input is more than 400,000 bytes;/m);
  });

  it('attack: a FIFO writer sees fedlogin stop reading after limit + 1 bytes, not at the end of 8 MB', async () => {
    const fifo = join(home.home, 'assertion.fifo');
    execFileSync('mkfifo', [fifo]);
    const offered = 8 * 1024 * 1024;
    const writer = (async () => {
      // opening for writing waits for the reader (fedlogin); then write until it closes its end
      const handle = await open(fifo, 'w');
      const chunk = Buffer.alloc(16 * 1024, 'A');
      let written = 0;
      try {
        while (written < offered) {
          const { bytesWritten } = await handle.write(chunk);
          written += bytesWritten;
        }
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('EPIPE');
      } finally {
        await handle.close();
      }
      return written;
    })();
    const result = await runCli(['saml', '--assertion-file', fifo], { env: home.env });
    const written = await writer;
    expectRefused(result, 2, /assertion\.fifo is more than 400,000 bytes/);
    // what the writer got rid of = what fedlogin read (at most limit + 1) + what the pipe buffers
    // (64 KiB on Linux) + one chunk in flight; reading it all would have taken the whole 8 MB
    expect(written).toBeLessThanOrEqual(INPUT_LIMIT + 1 + 64 * 1024 + 16 * 1024);
    expect(written).toBeGreaterThan(INPUT_LIMIT);
  });

  it('a web-identity --token-file of /dev/zero is refused the same way (exit 2)', async () => {
    const result = await runCli(
      ['web-identity', '--token-file', '/dev/zero', '--role-arn', 'arn:aws:iam::123456789012:role/ci'],
      { env: home.env },
    );
    expectRefused(result, 2, /^fedlogin: The token in \/dev\/zero is more than 1,048,576 bytes/m);
  });

  it('an assertion file within the limit is still read (the cap is not the check STS makes)', async () => {
    const file = join(home.home, 'long.b64');
    await writeFile(file, 'A'.repeat(MAX_ASSERTION + 8));
    const result = await runCli(['saml', 'decode', file], { env: home.env });
    expectRefused(result, 2, /is 100008 characters; STS accepts at most 100000/);
  });
});

const HOSTILE = '\x1b[2J\x1b]0;owned\x07\n::error title=x::pwned';

describe('item 7: text from tokens, assertions and IdPs cannot drive the terminal or the CI log', () => {
  let issuer: TokenIssuer;
  let sts: StsEndpoint;
  const ROLE = 'arn:aws:iam::123456789012:role/ci';
  beforeAll(async () => {
    issuer = await startTokenIssuer();
    sts = await startStsEndpoint({
      roles: {
        [ROLE]: { trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'], subjects: ['repo:octo-org/*'] } },
      },
    });
  });
  afterAll(async () => {
    await Promise.all([sts?.close(), issuer?.close()]);
  });

  it('attack: a JWT sub of ESC/OSC/BEL + "\\n::error" refused by STS reaches stderr escaped, with and without --debug', async () => {
    const file = join(home.home, 'token');
    await writeFile(file, await issuer.sign({ sub: HOSTILE, aud: 'sts.amazonaws.com' }), { mode: 0o600 });
    for (const debug of [[], ['--debug']]) {
      const result = await runCli(['web-identity', '--token-file', file, '--role-arn', ROLE, ...debug], {
        env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: 'us-east-1' },
      });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/^fedlogin: STS refused AssumeRoleWithWebIdentity/m);
      expectInert(result.stderr);
      // still readable: the sub is shown, escaped
      expect(result.stderr).toContain('sub=\\x1b[2J\\x1b]0;owned\\x07\\x0a::error title=x::pwned');
      if (debug.length) expect(result.stderr).toMatch(/\[debug\] token from .*sub=\\x1b\[2J/);
    }
    expect(sts.count('AssumeRoleWithWebIdentity')).toBe(2);
  });

  /** An unsigned SAMLResponse (decode does not verify) whose NameID and attributes are hostile. */
  function hostileAssertion(): string {
    const xmlText = (s: string) =>
      s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replaceAll('\x1b', '&#x1b;').replaceAll('\x07', '&#x7;');
    const future = new Date(Date.now() + 5 * 60_000).toISOString();
    const attr = (name: string, value: string) =>
      `<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/${name}"><saml:AttributeValue>${xmlText(value)}</saml:AttributeValue></saml:Attribute>`;
    const xml =
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Version="2.0">' +
      '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
      `<saml:Assertion ID="_a" Version="2.0"><saml:Issuer>${xmlText(`idp\u202e${HOSTILE}`)}</saml:Issuer>` +
      `<saml:Subject><saml:NameID>${xmlText(`alice${HOSTILE}\u009b31m`)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${future}" Recipient="https://signin.aws.amazon.com/saml"/></saml:SubjectConfirmation></saml:Subject>` +
      '<saml:AttributeStatement>' +
      attr('Role', 'arn:aws:iam::123456789012:role/dev,arn:aws:iam::123456789012:saml-provider/idp') +
      attr('Role', `arn:aws:iam::123456789012:role/ops,arn:aws:iam::123456789012:saml-provider/idp${HOSTILE}`) +
      attr('RoleSessionName', `alice${HOSTILE}`) +
      '</saml:AttributeStatement></saml:Assertion></samlp:Response>';
    return Buffer.from(xml).toString('base64');
  }

  it('attack: saml decode of an assertion with a hostile NameID and attributes prints them escaped (text and --json)', async () => {
    const file = join(home.home, 'hostile.b64');
    await writeFile(file, hostileAssertion());
    const text = await runCli(['saml', 'decode', file], { env: home.env });
    expect(text.code).toBe(0);
    expectInert(text.stdout);
    expectInert(text.stderr);
    expect(text.stdout).toMatch(/^Subject +alice\\x1b\[2J\\x1b\]0;owned\\x07\\x0a::error title=x::pwned\\x9b31m$/m);
    expect(text.stdout).toMatch(/^Issuer +idp\\u\{202e\}\\x1b\[2J/m);
    expect(text.stdout).toMatch(/^RoleSessionName +alice\\x1b\[2J/m);
    expect(text.stdout).toMatch(/unusable: .*saml-provider\/idp\\x1b\[2J.*\\x0a::error/);

    const json = await runCli(['saml', 'decode', '--json', file], { env: home.env });
    expect(json.code).toBe(0);
    expectInert(json.stdout);
    // JSON escapes, so the values read back exactly
    const parsed = JSON.parse(json.stdout) as { subject: string; issuer: string };
    expect(parsed.subject).toBe(`alice${HOSTILE}\u009b31m`);
    expect(parsed.issuer).toBe(`idp\u202e${HOSTILE}`);

    // the login path: STS is not asked here (no endpoint); whatever it says on the way is inert
    const login = await runCli(
      ['saml', '--assertion-file', file, '--role-arn', 'arn:aws:iam::123456789012:role/nope'],
      { env: home.env },
    );
    expect(login.code).toBe(2);
    expect(login.stderr).toMatch(/^fedlogin: The SAML assertion does not grant/m);
    expectInert(login.stderr);
  });
});

describe('item 8: env --format github-env masks the secrets', () => {
  let setup: WebIdentityProfile;
  beforeAll(async () => {
    setup = await startWebIdentityProfile({ durationSeconds: 900 });
  });
  afterAll(async () => {
    await setup?.close();
  });

  const shell = (script: string, extra: Record<string, string> = {}) =>
    runProcess('sh', ['-c', script], {
      env: { ...hermeticEnv(setup.home.home, setup.env), FEDLOGIN: `${process.execPath} ${FEDLOGIN_BIN}`, ...extra },
      timeoutMs: 30_000,
    });

  it('attack: `env --format github-env >> "$GITHUB_ENV"` prints ::add-mask:: for every secret it writes to the file', async () => {
    const envFile = join(setup.home.home, 'github_env');
    await writeFile(envFile, '');
    // the workflow step, with stderr (which the runner reads) to our pipe: `2>&1 >> FILE`
    const step = await shell(`$FEDLOGIN env --profile ${PROFILE} --format github-env 2>&1 >> "$GITHUB_ENV"`, {
      GITHUB_ENV: envFile,
    });
    expect(step.code).toBe(0);
    const log = step.stdout;
    const file = await readFile(envFile, 'utf8');
    const value = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(file)?.[1];
    const masks = log
      .split('\n')
      .filter((l) => l.startsWith('::add-mask::'))
      .map((l) => l.slice('::add-mask::'.length));
    const issued = setup.sts.issued.at(-1)!;
    expect(masks).toEqual([issued.accessKeyId, issued.secretAccessKey, issued.sessionToken]);
    expect(masks).toEqual([value('AWS_ACCESS_KEY_ID'), value('AWS_SECRET_ACCESS_KEY'), value('AWS_SESSION_TOKEN')]);
    // the file holds only NAME=value lines (a mask there would break the runner's parse)
    expect(file).not.toContain('::');
    expect(log.replace(/^::add-mask::.*\n/gm, '')).toBe('');
  });

  it('prints the masks before the variables (both streams into one pipe, in order)', async () => {
    const result = await runCli(['env', '--profile', PROFILE, '--format', 'github-env'], { env: setup.env });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^(::add-mask::\S+\n){3}$/);
    expect(result.stdout).toMatch(/^AWS_ACCESS_KEY_ID=ASIA/);
    // one pipe for both: the mask lines come first
    const merged = (await shell(`$FEDLOGIN env --profile ${PROFILE} --format github-env 2>&1`)).stdout;
    const lines = merged.trimEnd().split('\n');
    expect(lines.slice(0, 3).every((l) => l.startsWith('::add-mask::'))).toBe(true);
    expect(lines.slice(3).some((l) => l.startsWith('::'))).toBe(false);
  });

  it('other formats print no masks; --output github keeps its masks on stdout', async () => {
    const sh = await runCli(['env', '--profile', PROFILE, '--format', 'sh'], { env: setup.env });
    expect(sh.code).toBe(0);
    expect(sh.stderr).toBe('');
    const envFile = join(setup.home.home, 'github_env_2');
    await writeFile(envFile, '');
    const token = join(setup.home.home, 'token');
    const github = await runCli(
      ['web-identity', '--token-file', token, '--role-arn', 'arn:aws:iam::123456789012:role/dev', '--output', 'github'],
      {
        env: { ...setup.env, GITHUB_ENV: envFile, AWS_REGION: 'us-east-1' },
      },
    );
    expect(github.code).toBe(0);
    expect(github.stdout).toMatch(/^(::add-mask::\S+\n){3}$/);
    expect(github.stderr).not.toContain('::add-mask::');
    expect(await readFile(envFile, 'utf8')).toMatch(/^AWS_ACCESS_KEY_ID=ASIA/);
  });
});

describe('item 9: plain http only on loopback, for every IdP URL', () => {
  /** A "browser" that leaves a mark if anything ever starts it. */
  async function markingBrowser(): Promise<{ path: string; marker: string }> {
    const path = join(home.home, 'browser.sh');
    const marker = join(home.home, 'browser-started');
    await writeFile(path, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
    await chmod(path, 0o755);
    return { path, marker };
  }
  const started = (marker: string) =>
    stat(marker).then(
      () => true,
      () => false,
    );

  it('attack: saml --idp-url http://example.com/sso is refused before any browser starts (exit 2)', async () => {
    const browser = await markingBrowser();
    const result = await runCli(['saml', '--idp-url', 'http://example.com/sso', '--browser', browser.path], {
      env: home.env,
    });
    expectRefused(
      result,
      2,
      /^fedlogin: --idp-url http:\/\/example\.com\/sso uses http:\/\/ on a host that is not loopback;/m,
    );
    expect(result.stderr).toMatch(
      /^ {2}Use the https:\/\/ URL \(http:\/\/ is accepted only for 127\.0\.0\.1, ::1 and localhost\)\.$/m,
    );
    expect(await started(browser.marker)).toBe(false);
  });

  it('attack: a profile whose fedlogin_idp_url is http://example.com/sso is refused, by saml --profile and by credential-process', async () => {
    const browser = await markingBrowser();
    await writeFile(
      home.awsConfigFile,
      [
        '[profile corp]',
        'fedlogin_flow = saml',
        'fedlogin_idp_url = http://example.com/sso',
        'fedlogin_role_arn = arn:aws:iam::123456789012:role/dev',
        `fedlogin_browser = ${browser.path}`,
        '',
      ].join('\n'),
    );
    const saml = await runCli(['saml', '--profile', 'corp'], { env: home.env });
    expectRefused(
      saml,
      2,
      /\[profile corp\] fedlogin_idp_url: fedlogin_idp_url http:\/\/example\.com\/sso uses http:\/\/ on a host that is not loopback/,
    );
    const process = await runCli(['credential-process', '--profile', 'corp'], { env: home.env });
    expect(process.code).toBe(2);
    expect(process.stderr).toMatch(
      /fedlogin_idp_url http:\/\/example\.com\/sso uses http:\/\/ on a host that is not loopback/,
    );
    expect(await started(browser.marker)).toBe(false);
  });

  it('http on 127.0.0.1 and https are accepted: the run goes on to start the browser', async () => {
    for (const url of ['http://127.0.0.1:9/sso', 'https://idp.example.com/sso']) {
      const browser = await markingBrowser();
      const result = await runCli(
        ['saml', '--idp-url', url, '--browser', browser.path, '--headless', '--timeout', '5'],
        { env: home.env },
      );
      expect(result.stderr).not.toMatch(/not loopback/);
      // the stand-in browser exits at once, so the login fails after it started
      expect(await started(browser.marker)).toBe(true);
      expect(result.stderr).toMatch(/^fedlogin: Could not start .*browser\.sh/m);
      await rm(browser.marker, { force: true });
    }
  });

  it('configure and doctor refuse it with the same words', async () => {
    const configure = await runCli(
      [
        'configure',
        '--profile',
        'corp',
        '--flow',
        'saml',
        '--idp-url',
        'http://example.com/sso',
        '--role-arn',
        'arn:aws:iam::123456789012:role/dev',
        '--non-interactive',
      ],
      { env: home.env },
    );
    expect(configure.code).toBe(2);
    expect(configure.stderr).toMatch(/http:\/\/example\.com\/sso uses http:\/\/ on a host that is not loopback/);
    const oidc = await runCli(
      [
        'oidc',
        '--issuer',
        'http://login.example.com',
        '--client-id',
        'cli',
        '--role-arn',
        'arn:aws:iam::123456789012:role/dev',
      ],
      { env: home.env },
    );
    expectRefused(
      oidc,
      2,
      /^fedlogin: --issuer http:\/\/login\.example\.com uses http:\/\/ on a host that is not loopback/m,
    );
  });
});
