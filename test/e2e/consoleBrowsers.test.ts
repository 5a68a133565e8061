import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  type FederationEndpoint,
  type FederationRequest,
  startFederationEndpoint,
} from '../support/aws/federationEndpoint.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { makeTempHome, type RunCliResult, runCli, type TempHome } from '../support/cli/runCli.js';
import { flowSettings, profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { describeWith } from '../support/harness/component.js';
import { formatLeaks, leakScan } from '../support/harness/leakScan.js';
import { waitFor } from '../support/harness/polling.js';
import { killProcessesWith, type ProcessInfo, processesWith } from '../support/harness/processTree.js';
import { startXvfb, type Xvfb } from '../support/harness/xvfb.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

/**
 * `fedlogin console` with a chosen browser and profile, for real: Chromium (and Firefox ESR) on a
 * virtual display open the one-shot loopback address, follow it to the federation endpoint's
 * stand-in (sign-out, then sign-in, then a console page on loopback), and the stand-in records what
 * each browser sent, in order, with its session cookie and User-Agent. Every browser process is
 * found by its profile folder (under this file's temp dirs), its command line scanned for secrets,
 * and its process group killed after each test.
 */

const ACCOUNTS = { dev: '111111111111', prod: '222222222222' } as const;
const roleOf = (account: string) => `arn:aws:iam::${account}:role/console`;
/** A closed loopback port: any request a browser makes beyond loopback goes nowhere. */
const NOWHERE = 'http://127.0.0.1:9';

describeWith(['chromium', 'cmd:Xvfb'], 'fedlogin console in a chosen browser and profile', () => {
  let home: TempHome;
  let issuer: TokenIssuer;
  let sts: StsEndpoint;
  let federation: FederationEndpoint;
  let xvfb: Xvfb;
  let env: Record<string, string>;
  /** for --browser-profile PATH: a folder outside HOME */
  let profiles: string;

  beforeAll(async () => {
    home = await makeTempHome();
    profiles = await mkdtemp(path.join(os.tmpdir(), 'fedlogin-browser-profiles-'));
    issuer = await startTokenIssuer();
    const trust = { trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'] } };
    sts = await startStsEndpoint({
      roles: Object.fromEntries(Object.values(ACCOUNTS).map((a) => [roleOf(a), trust])),
    });
    federation = await startFederationEndpoint();
    xvfb = await startXvfb();
    const tokenFile = path.join(home.home, 'token');
    await writeFile(tokenFile, await issuer.sign({ sub: 'console-test', aud: 'sts.amazonaws.com' }), { mode: 0o600 });
    await writeAwsConfig(
      home,
      ...Object.entries(ACCOUNTS).map(([name, account]) =>
        profileSection(name, {
          ...flowSettings.webIdentity({ roleArn: roleOf(account), tokenFile }),
          region: 'us-east-1',
        }),
      ),
    );
    env = {
      ...home.env,
      FEDLOGIN_STORE: 'file',
      AWS_ENDPOINT_URL_STS: sts.url,
      FEDLOGIN_SIGNIN_ENDPOINT: federation.url,
      DISPLAY: xvfb.display,
      // Chromium and Firefox read these on Linux without a desktop: nothing leaves loopback
      all_proxy: NOWHERE,
      http_proxy: NOWHERE,
      https_proxy: NOWHERE,
      no_proxy: '127.0.0.1,localhost',
    };
  });
  afterEach(() => {
    killProcessesWith(home.home);
    killProcessesWith(profiles);
  });
  afterAll(async () => {
    killProcessesWith(home.home);
    killProcessesWith(profiles);
    xvfb?.stop();
    await Promise.allSettled([federation?.close(), sts?.close(), issuer?.close()]);
    await home?.cleanup();
    if (profiles) await rm(profiles, { recursive: true, force: true });
  });

  /** the access key ids issued for an account's role */
  const keyOf = (account: string) => sts.issued.filter((c) => c.roleArn === roleOf(account)).map((c) => c.accessKeyId);

  /** Opens the console of a profile, landing on a console page named `page`; waits for the browser to arrive. */
  async function openConsole(profile: keyof typeof ACCOUNTS, page: string, extra: string[]): Promise<RunCliResult> {
    const result = await runCli(
      ['console', '--profile', profile, '--destination', `${federation.consoleUrl}${page}`, '--debug', ...extra],
      { env, timeoutMs: 90_000 },
    );
    expect(result.stderr).toContain(`Opened the AWS console for profile ${profile}`);
    expect(result.code).toBe(0);
    await waitFor(() => consolePage(page), {
      timeoutMs: 60_000,
      what: `the browser to reach the console page ${page}`,
    });
    return result;
  }
  const consolePage = (page: string): FederationRequest | undefined =>
    federation.requests.find((r) => r.path === `/console/${page}`);
  /** The stand-in's log from the sign-out that led to `page` up to it: [logout, login, console page]. */
  function chainTo(page: string): FederationRequest[] {
    const end = federation.requests.findIndex((r) => r.path === `/console/${page}`);
    const leadsThere = (r: FederationRequest) =>
      r.action === 'logout' &&
      r.redirectUri !== null &&
      new URL(r.redirectUri).searchParams.get('Destination') === `${federation.consoleUrl}${page}`;
    const start = federation.requests.slice(0, end).findLastIndex(leadsThere);
    expect(start, `a sign-out leading to ${page}`).toBeGreaterThanOrEqual(0);
    return federation.requests.slice(start, end + 1).filter((r) => r.path !== '/favicon.ico');
  }

  const consoleProfiles = () => path.join(home.env.XDG_DATA_HOME!, 'fedlogin', 'console');

  function scanArgv(processes: ProcessInfo[]): void {
    const leaks = processes.flatMap((p) => leakScan.checkArgv(p.argv, `browser pid ${p.pid}`));
    expect(leaks, formatLeaks(leaks)).toEqual([]);
  }

  it('two accounts stay open side by side, each in its own isolated Chromium profile', {
    timeout: 240_000,
  }, async () => {
    const dev = await openConsole('dev', 'dev-1', ['--isolated', '--browser', 'chromium']);
    const prod = await openConsole('prod', 'prod-1', ['--isolated', '--browser', 'chromium']);
    const devDir = path.join(consoleProfiles(), 'chromium', 'dev');
    const prodDir = path.join(consoleProfiles(), 'chromium', 'prod');
    expect(dev.stderr).toContain(`--user-data-dir=${devDir}`);
    expect(prod.stderr).toContain(`--user-data-dir=${prodDir}`);
    for (const dir of [devDir, prodDir]) expect((await stat(dir)).mode & 0o777).toBe(0o700);

    // both browsers run at once, one per profile folder, each in a process group of its own
    const devBrowsers = processesWith(`--user-data-dir=${devDir}`);
    const prodBrowsers = processesWith(`--user-data-dir=${prodDir}`);
    expect(devBrowsers.length).toBeGreaterThan(0);
    expect(prodBrowsers.length).toBeGreaterThan(0);
    const groups = (ps: ProcessInfo[]) => new Set(ps.map((p) => p.pgid));
    expect([...groups(devBrowsers)].some((g) => groups(prodBrowsers).has(g))).toBe(false);
    // each console page was reached with its own account's session
    expect(keyOf(ACCOUNTS.dev)).toContain(consolePage('dev-1')?.consoleSession);
    expect(keyOf(ACCOUNTS.prod)).toContain(consolePage('prod-1')?.consoleSession);

    // dev again: its browser is still running, and still holds dev's session (prod did not sign it out)
    await openConsole('dev', 'dev-2', ['--isolated', '--browser', 'chromium']);
    const [logout, login, page] = chainTo('dev-2');
    expect(logout).toMatchObject({ path: '/oauth', action: 'logout', status: 302 });
    expect(keyOf(ACCOUNTS.dev)).toContain(logout?.consoleSession);
    expect(login).toMatchObject({ path: '/federation', action: 'login', status: 302 });
    expect(keyOf(ACCOUNTS.dev)).toContain(page?.consoleSession);

    // the browsers' command lines: the one-shot loopback address and the profile, never a secret
    const all = [...processesWith(devDir), ...processesWith(prodDir)];
    scanArgv(all);
    expect(all.flatMap((p) => p.argv).some((a) => /^http:\/\/127\.0\.0\.1:\d+\/[\w-]{43}$/.test(a))).toBe(true);
    expect(all.flatMap((p) => p.argv).join(' ')).not.toMatch(/SigninToken|getSigninToken|Action=/);
  });

  it('without isolation, the browser is signed out of the previous account before it signs in', {
    timeout: 240_000,
  }, async () => {
    // a person's usual profile; a new non-default one would show Chromium's first-run page instead
    const work = path.join(profiles, 'Default');
    await openConsole('dev', 'shared-dev', ['--browser', 'chromium', '--browser-profile', work]);
    const result = await openConsole('prod', 'shared-prod', ['--browser', 'chromium', '--browser-profile', work]);
    expect(result.stderr).toContain(`--user-data-dir=${profiles}`);
    expect(result.stderr).toContain('--profile-directory=Default');

    const [logout, login, page] = chainTo('shared-prod');
    // the sign-out came first, from a browser still signed in as dev; then prod signed in
    expect(logout).toMatchObject({ path: '/oauth', action: 'logout', status: 302 });
    expect(keyOf(ACCOUNTS.dev)).toContain(logout?.consoleSession);
    expect(login).toMatchObject({ path: '/federation', action: 'login', status: 302 });
    expect(login?.consoleSession).toBeNull();
    expect(keyOf(ACCOUNTS.prod)).toContain(page?.consoleSession);
    expect(federation.signinTokens).toContain(login?.signinToken);
    scanArgv(processesWith(profiles));
  });

  it('refuses a bad choice before asking AWS for anything', async () => {
    const before = federation.requests.length;
    const issued = sts.issued.length;
    const both = await runCli(['console', '--profile', 'dev', '--isolated', '--browser-profile', 'Work'], { env });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Give --isolated or --browser-profile, not both.');
    const flag = await runCli(['console', '--profile', 'dev', '--browser', 'chromium', '--browser-profile', '--x'], {
      env,
    });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--browser-profile "--x" starts with "-"');
    const unknown = await runCli(['console', '--profile', 'dev', '--browser', 'netscape'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      '--browser "netscape" is neither a path nor one of chrome, chromium, edge, brave, firefox',
    );
    expect(federation.requests.length).toBe(before);
    expect(sts.issued.length).toBe(issued);
  });

  describeWith(['cmd:firefox-esr'], 'Firefox', () => {
    it('console --browser firefox --isolated opens Firefox ESR in the profile of its own', {
      timeout: 180_000,
    }, async () => {
      const result = await openConsole('dev', 'firefox-dev', ['--isolated', '--browser', 'firefox']);
      const dir = path.join(consoleProfiles(), 'firefox', 'dev');
      expect(result.stderr).toContain(` -profile ${dir}`);
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      const page = consolePage('firefox-dev')!;
      expect(page.userAgent).toMatch(/Firefox\/\d+/);
      expect(keyOf(ACCOUNTS.dev)).toContain(page.consoleSession);
      const [logout, login] = chainTo('firefox-dev');
      expect(logout).toMatchObject({ path: '/oauth', action: 'logout', userAgent: page.userAgent });
      expect(login).toMatchObject({ action: 'login', userAgent: page.userAgent });
      const firefox = processesWith(dir);
      expect(firefox.length).toBeGreaterThan(0);
      scanArgv(firefox);
    });
  });
});
