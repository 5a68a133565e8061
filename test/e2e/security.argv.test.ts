import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FederationEndpoint, startFederationEndpoint } from '../support/aws/federationEndpoint.js';
import { startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { waitFor } from '../support/harness/polling.js';
import { startScriptedIdp } from '../support/idp/oidcScriptedIdp.js';
import { PROFILE, startWebIdentityProfile, type WebIdentityProfile } from './exec.support.js';

/**
 * Issue 14, item 3: nothing secret on a command line. fedlogin starts the browser with a one-shot
 * loopback URL only; the stand-in browser (fixtures/recordingBrowser.mjs, run through $BROWSER)
 * records the argv of every process under fedlogin, plays another local user who copies the URL
 * from the process list (when the test runs as root), then follows it like a browser.
 */

const RECORDER = fileURLToPath(new URL('./fixtures/recordingBrowser.mjs', import.meta.url));
const ONE_SHOT = /^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}$/;
const ROLE = 'arn:aws:iam::123456789012:role/dev';

interface Answer {
  status: number | 'refused';
  location?: string | null;
  referrerPolicy?: string | null;
  cacheControl?: string | null;
}
interface Report {
  argv: string[];
  processes: { pid: number; root: boolean; argv: string[] }[];
  wrongPath: Answer;
  otherUser: (Answer & { uid: number }) | null;
  hops: (Answer & { url: string })[];
  again: Answer;
}

/** A $BROWSER that records into a folder outside HOME (the leak scan reads HOME). */
async function recordingBrowser(): Promise<{
  env: Record<string, string>;
  report(): Promise<Report>;
  cleanup(): Promise<void>;
}> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fedlogin-argv-'));
  const launcher = path.join(dir, 'browser');
  await writeFile(launcher, `#!/bin/sh\nexec '${process.execPath}' '${RECORDER}' "$@"\n`);
  await chmod(launcher, 0o755);
  const file = path.join(dir, 'report.json');
  return {
    env: { BROWSER: launcher, DISPLAY: ':99', RECORDING_BROWSER_REPORT: file },
    // renamed into place whole by the stand-in, which runs on after fedlogin has exited
    report: () =>
      waitFor(
        () =>
          readFile(file, 'utf8').then(
            (text) => JSON.parse(text) as Report,
            () => undefined,
          ),
        { timeoutMs: 20_000, what: `the stand-in browser's report ${file}` },
      ),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The argv of every process the attacker could see, fedlogin's own included. */
function everyArgv(report: Report): string {
  expect(report.processes.some((p) => p.root)).toBe(true);
  return [report.argv, ...report.processes.map((p) => p.argv)].map((a) => a.join(' ')).join('\n');
}

function expectOneShotUsedOnce(report: Report): void {
  expect(report.argv).toHaveLength(1);
  expect(report.argv[0]).toMatch(ONE_SHOT);
  // another path on the port: 404, and the redirect is still there afterwards
  expect(report.wrongPath.status).toBe(404);
  if (process.getuid?.() === 0) {
    // another local user who copied the URL from the process list gets nothing, and uses nothing up
    expect(report.otherUser).toMatchObject({ uid: 65534, status: 404, location: null });
  } else {
    console.log('[security.argv] not root: the other-user race is not played (needs root to run as nobody)');
  }
  const first = report.hops[0]!;
  expect(first).toMatchObject({
    url: report.argv[0],
    status: 303,
    referrerPolicy: 'no-referrer',
    cacheControl: 'no-store',
  });
  // a second request to the one-shot URL fails: nothing listens there any more
  expect(report.again.status).toBe('refused');
}

describe('issue 14 item 3: no secret on any command line', () => {
  let setup: WebIdentityProfile;
  let federation: FederationEndpoint;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    setup = await startWebIdentityProfile();
    federation = await startFederationEndpoint();
  });
  afterAll(async () => {
    await Promise.allSettled([federation?.close(), setup?.close()]);
  });
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((c) => c()));
  });

  it('attack: fedlogin console — the SigninToken is on no argv; the browser reaches the federation endpoint exactly once', async () => {
    const browser = await recordingBrowser();
    cleanups.push(browser.cleanup);
    const result = await runCli(['console', '--profile', PROFILE], {
      env: { ...setup.env, FEDLOGIN_SIGNIN_ENDPOINT: federation.url, ...browser.env },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Opened the AWS console for profile dev');
    const report = await browser.report();

    const token = federation.signinTokens.at(-1)!;
    const argv = everyArgv(report);
    expect(argv).not.toContain(token);
    expect(argv).not.toContain('SigninToken');
    for (const secret of setup.sts.secrets()) expect(argv).not.toContain(secret);

    expectOneShotUsedOnce(report);
    // the 303 led to the console's sign-out, which sent the browser on to the real sign-in link
    // (console signs out of the previous session first); the federation stand-in accepted it, once
    const logout = new URL(report.hops[0]!.location!);
    expect(logout.searchParams.get('Action')).toBe('logout');
    const signIn = logout.searchParams.get('redirect_uri')!;
    expect(new URL(signIn).searchParams.get('SigninToken')).toBe(token);
    expect(report.hops[1]).toMatchObject({ status: 302, location: signIn });
    expect(report.hops[2]).toMatchObject({
      status: 302,
      location: 'https://console.aws.amazon.com/console/home?region=us-east-1',
    });
    expect(federation.requests.filter((r) => r.action === 'login')).toEqual([
      expect.objectContaining({ signinToken: token, status: 302 }),
    ]);
  });

  it('attack: fedlogin oidc — state, code and tokens are on no argv; the IdP is asked exactly once', async () => {
    const browser = await recordingBrowser();
    const home: TempHome = await makeTempHome();
    const idp = await startScriptedIdp();
    const sts = await startStsEndpoint({
      roles: { [ROLE]: { trust: { issuer: idp.issuer, audiences: [idp.clientId] } } },
    });
    cleanups.push(
      browser.cleanup,
      () => home.cleanup(),
      () => idp.close(),
      () => sts.close(),
    );

    const result = await runCli(['oidc', '--issuer', idp.issuer, '--client-id', idp.clientId, '--role-arn', ROLE], {
      env: {
        HOME: home.home,
        AWS_ENDPOINT_URL_STS: sts.url,
        AWS_REGION: 'us-east-1',
        FEDLOGIN_STORE: 'file',
        ...browser.env,
      },
      timeoutMs: 30_000,
    });
    expect(result.code, result.stderr).toBe(0);
    const report = await browser.report();
    expectOneShotUsedOnce(report);

    const authorize = new URL(report.hops[0]!.location!);
    expect(authorize.pathname).toBe('/authorize');
    const state = authorize.searchParams.get('state')!;
    const redirectUri = authorize.searchParams.get('redirect_uri')!;
    const callback = new URL(report.hops[1]!.location!);
    const code = callback.searchParams.get('code')!;
    expect(state).toBeTruthy();
    expect(code).toBeTruthy();
    expect(report.hops[2]).toMatchObject({ url: callback.href, status: 200 });

    const argv = everyArgv(report);
    for (const secret of [state, code, redirectUri, authorize.searchParams.get('nonce')!, ...idp.secrets])
      expect(argv).not.toContain(secret);
    expect(argv).not.toMatch(/state=|code=|\/authorize/);
    expect(idp.requests.filter((p) => p === '/authorize')).toHaveLength(1);
    expect(sts.issued).toHaveLength(1);
  });
});
