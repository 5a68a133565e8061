import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { getCallerIdentity } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { describeWith } from '../support/harness/component.js';
import { freePort } from '../support/harness/freePort.js';
import { formatLeaks, leakScan } from '../support/harness/leakScan.js';
import { killProcessesWith, processesWith } from '../support/harness/processTree.js';
import { startXvfb, type Xvfb } from '../support/harness/xvfb.js';
import { startScriptedIdp } from '../support/idp/oidcScriptedIdp.js';
import { type PersonBrowser, startPersonBrowser } from '../support/idp/personBrowser.js';
import {
  attachToFedloginBrowser,
  fillSamlLoginForm,
  SAML_TEST_BROWSER,
  samlLoginPage,
} from '../support/idp/samlBrowserLogin.js';
import { type SamlIdp, startSamlIdp } from '../support/idp/samlIdp.js';

/**
 * Sign-ins in the person's own browser, for real, on a virtual display: SAML through a Chromium the
 * person started with remote debugging (--browser-url; the port read from DevToolsActivePort), SAML
 * in the person's own Chromium profile (refused while that Chromium runs, with the words to close it
 * first), and OIDC in a chosen browser and profile. Every browser's command line is scanned for
 * secrets; every browser's process group is killed after each test.
 */

const PROVIDER = 'arn:aws:iam::123456789012:saml-provider/test-idp';
const DEV = 'arn:aws:iam::123456789012:role/dev';
const NOWHERE = 'http://127.0.0.1:9';

interface CredentialJson {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
}

describeWith(['chromium', 'cmd:Xvfb', 'playwright-core', 'samlify'], 'sign-ins in your own browser', () => {
  let idp: SamlIdp;
  let sts: StsEndpoint;
  let home: TempHome;
  let xvfb: Xvfb;
  let dirs: string;
  let env: Record<string, string>;
  const started: PersonBrowser[] = [];

  beforeAll(async () => {
    idp = await startSamlIdp({ roles: [`${DEV},${PROVIDER}`] });
    sts = await startStsEndpoint({ roles: { [DEV]: {} } });
    addSamlToSts(sts, { providers: { [PROVIDER]: { certPem: idp.certPem } } });
    home = await makeTempHome();
    dirs = await mkdtemp(path.join(os.tmpdir(), 'fedlogin-own-browser-'));
    xvfb = await startXvfb();
    env = {
      ...home.env,
      DISPLAY: xvfb.display,
      AWS_ENDPOINT_URL_STS: sts.url,
      all_proxy: NOWHERE,
      http_proxy: NOWHERE,
      https_proxy: NOWHERE,
      no_proxy: '127.0.0.1,localhost',
    };
  });
  afterEach(() => {
    for (const b of started.splice(0)) b.stop();
    killProcessesWith(home.home);
    killProcessesWith(dirs);
  });
  afterAll(async () => {
    xvfb?.stop();
    await Promise.allSettled([idp?.close(), sts?.close(), home?.cleanup()]);
    if (dirs) await rm(dirs, { recursive: true, force: true });
  });

  const personBrowser = async (userDataDir: string, debugging = true) => {
    const browser = await startPersonBrowser({ executable: SAML_TEST_BROWSER, userDataDir, env, debugging });
    started.push(browser);
    return browser;
  };
  async function expectAccepted(stdout: string): Promise<void> {
    const json = JSON.parse(stdout) as CredentialJson;
    const identity = await getCallerIdentity(
      { accessKeyId: json.AccessKeyId, secretAccessKey: json.SecretAccessKey, sessionToken: json.SessionToken },
      sts.url,
    );
    expect(identity.Account).toBe('123456789012');
  }
  function scanArgvOf(marker: string): void {
    const leaks = processesWith(marker).flatMap((p) => leakScan.checkArgv(p.argv, `browser pid ${p.pid}`));
    expect(leaks, formatLeaks(leaks)).toEqual([]);
  }

  it('saml --browser-url: signs in in a new tab of your running browser, then closes only that tab', {
    timeout: 180_000,
  }, async () => {
    const userDataDir = path.join(dirs, 'attach');
    const person = await personBrowser(userDataDir);
    const running = runCli(['saml', '--idp-url', idp.ssoUrl, '--browser-url', person.url, '--debug'], {
      env: { ...env, FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1' },
      timeoutMs: 120_000,
    });
    // the person, at their browser: the new tab shows the IdP's form
    const browser = await chromium.connectOverCDP(person.url, { timeout: 15_000 });
    try {
      await fillSamlLoginForm(await samlLoginPage(browser));
      const result = await running;
      expect(result.stderr).toContain('Sign in in the new tab of your browser');
      expect(result.stderr).toMatch(/browser attached in \d+ ms \(attached to http:\/\/127\.0\.0\.1:\d+\)/);
      expect(result.code).toBe(0);
      await expectAccepted(result.stdout);

      // the browser is still there, with the tab it had; fedlogin's tab is gone
      expect(person.child.exitCode).toBeNull();
      const urls = browser.contexts().flatMap((c) => c.pages().map((p) => p.url()));
      expect(urls).toContain('about:blank');
      expect(urls.filter((u) => u.startsWith(idp.ssoUrl.replace(/\/sso$/, '')))).toEqual([]);
    } finally {
      await browser.close().catch(() => undefined);
    }
    scanArgvOf(userDataDir);
  });

  it('saml --browser-url refuses an address off this machine, and says when nothing answers', async () => {
    const remote = await runCli(['saml', '--idp-url', idp.ssoUrl, '--browser-url', 'http://192.0.2.1:9222'], { env });
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain('--browser-url must be a remote-debugging address on this machine');
    const closed = await runCli(
      ['saml', '--idp-url', idp.ssoUrl, '--browser-url', `http://127.0.0.1:${await freePort()}`],
      { env, timeoutMs: 60_000 },
    );
    expect(closed.code).toBe(4);
    expect(closed.stderr).toMatch(/No browser with remote debugging answered at http:\/\/127\.0\.0\.1:\d+/);
    expect(closed.stderr).toContain('--remote-debugging-port=9222');
  });

  it('saml --browser-profile: "close Chromium first" while it runs, then signs in in that profile', {
    timeout: 240_000,
  }, async () => {
    // the person's Chromium profiles, where Chromium keeps them for this HOME (XDG_CONFIG_HOME)
    const userDataDir = path.join(home.env.XDG_CONFIG_HOME!, 'chromium');
    const holder = await personBrowser(userDataDir, false);
    const forms = idp.stats.formsShown;
    const busy = await runCli(
      ['saml', '--idp-url', idp.ssoUrl, '--browser', 'chromium', '--browser-profile', 'Default'],
      {
        env,
      },
    );
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain(`Chromium is running with the profiles in ${userDataDir} (pid ${holder.child.pid})`);
    expect(busy.stderr).toContain('close Chromium first');
    expect(busy.stderr).toContain('--browser-url http://127.0.0.1:9222');
    expect(idp.stats.formsShown).toBe(forms);

    holder.stop();
    await new Promise((resolve) => holder.child.once('exit', resolve));
    const port = await freePort();
    const running = runCli(
      ['saml', '--idp-url', idp.ssoUrl, '--browser', 'chromium', '--browser-profile', 'Default', '--debug'],
      {
        env: { ...env, FEDLOGIN_BROWSER_DEBUG_PORT: String(port), FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1' },
        timeoutMs: 120_000,
      },
    );
    const browser = await attachToFedloginBrowser(port, { window: true, timeoutMs: 90_000 });
    try {
      // the window runs in the person's profile folder, not in fedlogin's own
      const argv = processesWith(`--user-data-dir=${userDataDir}`).flatMap((p) => p.argv);
      expect(argv).toContain('--profile-directory=Default');
      await fillSamlLoginForm(await samlLoginPage(browser));
    } finally {
      await browser.close().catch(() => undefined);
    }
    const result = await running;
    expect(result.stderr).toContain('Sign in in the Chromium window that opened with your profile "Default"');
    expect(result.code).toBe(0);
    await expectAccepted(result.stdout);
    scanArgvOf(userDataDir);
  });

  it('oidc --browser chromium --browser-profile PATH opens the sign-in in that browser and profile', {
    timeout: 180_000,
  }, async () => {
    const oidc = await startScriptedIdp();
    const oidcSts = await startStsEndpoint({
      roles: { [DEV]: { trust: { issuer: oidc.issuer, audiences: [oidc.clientId] } } },
    });
    try {
      const profile = path.join(dirs, 'oidc', 'Default');
      const result = await runCli(
        [
          'oidc',
          '--issuer',
          oidc.issuer,
          '--client-id',
          oidc.clientId,
          '--role-arn',
          DEV,
          '--browser',
          'chromium',
          '--browser-profile',
          profile,
          '--debug',
        ],
        { env: { ...env, AWS_ENDPOINT_URL_STS: oidcSts.url, FEDLOGIN_STORE: 'file' }, timeoutMs: 120_000 },
      );
      expect(result.stderr).toContain('Opened your browser to sign in');
      expect(result.code).toBe(0);
      // Chromium, in that profile, followed the one-shot address to the IdP's authorization endpoint
      expect(oidc.requests).toContain('/authorize');
      const argv = processesWith(path.dirname(profile)).flatMap((p) => p.argv);
      expect(argv).toContain(`--user-data-dir=${path.dirname(profile)}`);
      expect(argv).toContain('--profile-directory=Default');
      expect(argv.some((a) => /^http:\/\/127\.0\.0\.1:\d+\/[\w-]{43}$/.test(a))).toBe(true);
      expect(argv.join(' ')).not.toMatch(/code_challenge|state=|\/authorize/);
      scanArgvOf(path.dirname(profile));
    } finally {
      await Promise.allSettled([oidc.close(), oidcSts.close()]);
    }
  });
});
