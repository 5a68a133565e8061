import { afterAll, beforeAll, expect, it } from 'vitest';
import { getCallerIdentity } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { makeTempHome, type RunCliResult, runCli, type TempHome } from '../support/cli/runCli.js';
import { describeWith } from '../support/harness/component.js';
import { freePort } from '../support/harness/freePort.js';
import { startXvfb, type Xvfb } from '../support/harness/xvfb.js';
import {
  attachToFedloginBrowser,
  fillSamlLoginForm,
  forgetKeptAssertion,
  samlLoginPage,
} from '../support/idp/samlBrowserLogin.js';
import { type SamlIdp, startSamlIdp } from '../support/idp/samlIdp.js';

/**
 * The visible-window path, on a virtual display (Xvfb): a first sign-in opens a window; when the
 * IdP session has ended, the silent (headless) attempt gives up after --silent-timeout and a window
 * opens. The test signs in through the window over CDP, as a person would with the mouse.
 */

const BROWSER = '/usr/bin/chromium';
const PROVIDER = 'arn:aws:iam::123456789012:saml-provider/test-idp';
const DEV = 'arn:aws:iam::123456789012:role/dev';

async function signInThroughWindow(port: number): Promise<void> {
  const browser = await attachToFedloginBrowser(port, { window: true });
  try {
    await fillSamlLoginForm(await samlLoginPage(browser));
  } finally {
    await browser.close().catch(() => undefined);
  }
}

describeWith(['chromium', 'cmd:Xvfb'], 'fedlogin saml with a visible window', () => {
  let idp: SamlIdp;
  let sts: StsEndpoint;
  let home: TempHome;
  let xvfb: Xvfb;

  beforeAll(async () => {
    idp = await startSamlIdp({ roles: [`${DEV},${PROVIDER}`] });
    sts = await startStsEndpoint({ roles: { [DEV]: {} } });
    addSamlToSts(sts, { providers: { [PROVIDER]: { certPem: idp.certPem } } });
    home = await makeTempHome();
    xvfb = await startXvfb();
  });
  afterAll(async () => {
    xvfb?.stop();
    await idp?.close();
    await sts?.close();
    await home?.cleanup();
  });

  async function login(extra: string[]): Promise<RunCliResult> {
    const port = await freePort();
    const running = runCli(['saml', '--idp-url', idp.ssoUrl, '--browser', BROWSER, '--debug', ...extra], {
      env: {
        ...home.env,
        DISPLAY: xvfb.display,
        AWS_ENDPOINT_URL_STS: sts.url,
        FEDLOGIN_BROWSER_DEBUG_PORT: String(port),
        FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1',
      },
      timeoutMs: 60_000,
    });
    await signInThroughWindow(port);
    return running;
  }

  it('a first sign-in opens a window and says so', async () => {
    const result = await login([]);
    expect(result.stderr).toMatch(/Sign in in the browser window that opened/);
    expect(result.stderr).toMatch(/browser launched in \d+ ms \(visible/);
    expect(result.stderr).not.toMatch(/silent/);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    expect(
      (
        await getCallerIdentity(
          { accessKeyId: json.AccessKeyId, secretAccessKey: json.SecretAccessKey, sessionToken: json.SessionToken },
          sts.url,
        )
      ).Account,
    ).toBe('123456789012');
  });

  it('when the IdP session has ended, the silent attempt gives way to a window', async () => {
    idp.endSessions();
    await forgetKeptAssertion(home, idp.ssoUrl); // and the first sign-in's assertion has run out
    const forms = idp.stats.formsShown;
    const result = await login(['--silent-timeout', '2']);
    expect(result.stderr).toMatch(/trying a silent \(headless\) renewal/);
    expect(result.stderr).toMatch(/silent renewal did not finish within 2000 ms/);
    expect(result.stderr).toMatch(/browser launched in \d+ ms \(visible/);
    expect(result.code).toBe(0);
    // the form was shown twice: to the headless attempt, then in the window
    expect(idp.stats.formsShown).toBe(forms + 2);
  });
});
