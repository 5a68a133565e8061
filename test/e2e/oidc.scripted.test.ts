import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { makeTempHome, type RunCliResult, runCli, type TempHome } from '../support/cli/runCli.js';
import { spawnCli } from '../support/cli/spawnCli.js';
import { followAsBrowser } from '../support/harness/followRedirects.js';
import { freePort } from '../support/harness/freePort.js';
import { waitFor } from '../support/harness/polling.js';
import { type ScriptedIdp, type ScriptedIdpOptions, startScriptedIdp } from '../support/idp/oidcScriptedIdp.js';

/**
 * Each way an OIDC sign-in can fail ends with its exit code, one `fedlogin:` line (plus a hint),
 * and no secret in the output. A scripted IdP misbehaves on purpose; no browser is needed: the
 * test follows the redirects itself, as a browser would.
 */

const ROLE = 'arn:aws:iam::123456789012:role/dev';
const AUTH_URL = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/;

let home: TempHome;
const cleanups: (() => Promise<unknown>)[] = [];
beforeEach(async () => {
  home = await makeTempHome();
});
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
  await home.cleanup();
});

async function idp(options: ScriptedIdpOptions = {}): Promise<ScriptedIdp> {
  const started = await startScriptedIdp(options);
  cleanups.push(() => started.close());
  return started;
}

async function sts(issuer: string, audiences: string[]): Promise<StsEndpoint> {
  const started = await startStsEndpoint({ roles: { [ROLE]: { trust: { issuer, audiences } } } });
  cleanups.push(() => started.close());
  return started;
}

const env = (stsUrl = 'http://127.0.0.1:9') => ({
  HOME: home.home,
  AWS_ENDPOINT_URL_STS: stsUrl,
  AWS_REGION: 'us-east-1',
  FEDLOGIN_STORE: 'file',
});

/** What a browser does with the authorization URL: follow redirects to fedlogin's callback; returns that page. */
const playBrowser = (authUrl: string) => followAsBrowser(authUrl);

/** Runs `fedlogin oidc --no-browser` against the IdP and plays the browser once. */
async function signIn(
  issuer: string,
  clientId: string,
  stsUrl?: string,
  extra: string[] = [],
): Promise<{ result: RunCliResult; page: { status: number; html: string } }> {
  const cli = spawnCli(
    ['oidc', '--issuer', issuer, '--client-id', clientId, '--role-arn', ROLE, '--no-browser', ...extra],
    { home: home.home, env: env(stsUrl), timeoutMs: 30_000 },
  );
  const [, url] = await cli.waitForStderr(AUTH_URL);
  const page = await playBrowser(url!);
  return { result: await cli.result, page };
}

function expectOneErrorLine(result: RunCliResult, code: number, text: string | RegExp, secrets: string[] = []): void {
  expect(result.code, result.stderr).toBe(code);
  const lines = result.stderr.split('\n').filter((l) => l.startsWith('fedlogin:'));
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(text);
  expect(result.stdout).toBe('');
  for (const secret of secrets) expect(result.stderr).not.toContain(secret);
  expect(result.stderr).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('fedlogin oidc against a scripted IdP: failures, and opening the browser', () => {
  it('an unreachable IdP exits 4', async () => {
    const result = await runCli(
      [
        'oidc',
        '--issuer',
        `http://127.0.0.1:${await freePort()}`,
        '--client-id',
        'c',
        '--role-arn',
        ROLE,
        '--no-browser',
      ],
      { env: env() },
    );
    expectOneErrorLine(
      result,
      4,
      /Could not reach the identity provider at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
  });

  it('an invalid discovery document exits 2 (the issuer setting is wrong)', async () => {
    const broken = await idp({ discovery: 'broken' });
    const result = await runCli(
      ['oidc', '--issuer', broken.issuer, '--client-id', broken.clientId, '--role-arn', ROLE, '--no-browser'],
      { env: env() },
    );
    expectOneErrorLine(result, 2, /openid-configuration is not a usable OpenID Provider discovery document/);
  });

  it('a discovery URL answering 301 names the redirect and its target, and the issuer it suggests works', async () => {
    const moved = await idp({ discovery: 'moved' });
    const result = await runCli(
      ['oidc', '--issuer', moved.issuer, '--client-id', moved.clientId, '--role-arn', ROLE, '--no-browser'],
      { env: env() },
    );
    const target = `${moved.issuer}/moved/.well-known/openid-configuration`;
    expectOneErrorLine(
      result,
      2,
      `fedlogin: ${moved.issuer}/.well-known/openid-configuration redirects (HTTP 301) to ${target}; fedlogin does not follow it, because an issuer must be exactly the "issuer" its discovery document names.`,
    );
    expect(result.stderr).toContain(`use --issuer ${moved.issuer}/moved (`);
    expect(result.stderr).not.toContain('unexpected HTTP response status code');
    // the redirect was not followed
    expect(moved.requests).toEqual(['/.well-known/openid-configuration']);

    // the suggested issuer is the IdP's real one: a sign-in with it succeeds end to end
    const endpoint = await sts(`${moved.issuer}/moved`, [moved.clientId]);
    const { result: signedIn } = await signIn(`${moved.issuer}/moved`, moved.clientId, endpoint.url);
    expect(signedIn.code, signedIn.stderr).toBe(0);
    expect(endpoint.issued.at(-1)).toMatchObject({ issuer: `${moved.issuer}/moved` });
  });

  it('plain http to a host that is not loopback is refused without any traffic (exit 2)', async () => {
    const result = await runCli(
      ['oidc', '--issuer', 'http://idp.example.com', '--client-id', 'c', '--role-arn', ROLE],
      { env: env() },
    );
    expectOneErrorLine(result, 2, /uses http:\/\/ on a host that is not loopback/);
  });

  it('the person denying consent exits 3, and the browser tab says it failed', async () => {
    const denying = await idp({ authorize: 'deny' });
    const { result, page } = await signIn(denying.issuer, denying.clientId);
    expectOneErrorLine(result, 3, /denied the sign-in \(access_denied: The user said no\)/);
    expect(page.status).toBe(400);
    expect(page.html).toContain('fedlogin sign-in failed');
  });

  it('a response with another state exits 3 and is never exchanged', async () => {
    const forged = await idp({ authorize: 'wrong-state' });
    const { result, page } = await signIn(forged.issuer, forged.clientId);
    expectOneErrorLine(result, 3, /state mismatch/, forged.secrets);
    expect(forged.requests).not.toContain('/token');
    expect(page.html).toContain('state mismatch');
  });

  it('an ID token from another issuer exits 3', async () => {
    const mixup = await idp({ idTokenIssuer: 'https://attacker.example' });
    const { result } = await signIn(mixup.issuer, mixup.clientId);
    expectOneErrorLine(result, 3, /ID token was issued by another issuer/, mixup.secrets);
  });

  it('STS refusing the audience exits 3 and shows iss, aud and sub', async () => {
    const good = await idp();
    const endpoint = await sts(good.issuer, ['some-other-client']);
    const { result, page } = await signIn(good.issuer, good.clientId, endpoint.url);
    expectOneErrorLine(
      result,
      3,
      new RegExp(`STS refused AssumeRoleWithWebIdentity .*aud=${good.clientId}, sub=erin`),
      good.secrets,
    );
    expect(page.html).toContain('fedlogin sign-in failed');
  });

  it('the happy path against the scripted IdP: the browser tab says signed in', async () => {
    const good = await idp();
    const endpoint = await sts(good.issuer, [good.clientId]);
    const { result, page } = await signIn(good.issuer, good.clientId, endpoint.url, [
      '--role-session-name',
      'build bot',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(page.html).toContain('Signed in to fedlogin');
    expect(endpoint.issued[0]).toMatchObject({ roleSessionName: 'build-bot', audience: good.clientId });
    for (const secret of good.secrets) expect(result.stderr).not.toContain(secret);
  });

  it('opens the system browser ($BROWSER) where a display exists, on a one-shot loopback URL', async () => {
    const good = await idp();
    const endpoint = await sts(good.issuer, [good.clientId]);
    // fedlogin runs $BROWSER itself when set (else the `open` package); the browser gets only the one-shot URL
    const opened = `${home.home}/opened-url`;
    const fakeBrowser = `${home.home}/fake-browser.sh`;
    await writeFile(fakeBrowser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}.tmp' && mv '${opened}.tmp' '${opened}'\n`, {
      mode: 0o755,
    });
    const cli = spawnCli(['oidc', '--issuer', good.issuer, '--client-id', good.clientId, '--role-arn', ROLE], {
      home: home.home,
      env: { ...env(endpoint.url), DISPLAY: ':99', BROWSER: fakeBrowser, XDG_DATA_DIRS: `${home.home}/none` },
      timeoutMs: 30_000,
    });
    await cli.waitForStderr(
      /Opened your browser to sign in\. If it did not open, visit:\n {2}http:\/\/127\.0\.0\.1:\d+\/authorize\?/,
    );
    const url = await waitFor(
      () =>
        readFile(opened, 'utf8').then(
          (text) => text || undefined,
          () => undefined,
        ),
      { what: `the fake browser to write ${opened}` },
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}$/);
    const page = await playBrowser(url);
    expect(page.html).toContain('Signed in to fedlogin');
    expect((await cli.result).code).toBe(0);
  });

  it('nobody signing in within --timeout exits 3 with a clear line', async () => {
    const good = await idp();
    const result = await runCli(
      [
        'oidc',
        '--issuer',
        good.issuer,
        '--client-id',
        good.clientId,
        '--role-arn',
        ROLE,
        '--no-browser',
        '--timeout',
        '1s',
      ],
      { env: env() },
    );
    expectOneErrorLine(result, 3, /No sign-in was completed within 1 second\./);
  });

  it('Ctrl-C while waiting closes the listener and exits 130', async () => {
    const good = await idp();
    const cli = spawnCli(
      ['oidc', '--issuer', good.issuer, '--client-id', good.clientId, '--role-arn', ROLE, '--no-browser'],
      { home: home.home, env: env(), timeoutMs: 30_000 },
    );
    const [, url] = await cli.waitForStderr(AUTH_URL);
    const redirect = new URL(new URL(url!).searchParams.get('redirect_uri')!);
    cli.signal('SIGINT');
    const result = await cli.result;
    expectOneErrorLine(result, 130, /Sign-in cancelled \(Ctrl-C\)/);
    await expect(fetch(redirect, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
  });

  it('credential-process without a terminal and without a refresh token fails at once with the sign-in command', async () => {
    const good = await idp();
    await writeFile(
      home.awsConfigFile,
      [
        '[profile work]',
        'fedlogin_flow = oidc',
        `fedlogin_issuer = ${good.issuer}`,
        `fedlogin_client_id = ${good.clientId}`,
        `fedlogin_role_arn = ${ROLE}`,
        '',
      ].join('\n'),
    );
    const result = await runCli(['credential-process', '--profile', 'work'], { env: env(), timeoutMs: 15_000 });
    expect(result.timedOut).toBe(false);
    expectOneErrorLine(result, 2, /Profile work needs you to sign in: run fedlogin login --profile work/);
    // decided before any network traffic: the IdP was never asked
    expect(good.requests).toEqual([]);
  });
});
