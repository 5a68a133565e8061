import { afterAll, beforeAll, expect, it } from 'vitest';
import { getCallerIdentity } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { makeTempHome, type RunCliResult, type TempHome } from '../support/cli/runCli.js';
import { type RunningCli, spawnCli } from '../support/cli/spawnCli.js';
import { describeWith } from '../support/harness/component.js';
import { freePort } from '../support/harness/freePort.js';
import { startXvfb, type Xvfb } from '../support/harness/xvfb.js';
import {
  attachToFedloginBrowser,
  BROWSER_START_BOUND_MS,
  fillSamlLoginForm,
  forgetKeptAssertion,
  samlLoginPage,
} from '../support/idp/samlBrowserLogin.js';
import { type SamlIdp, startSamlIdp } from '../support/idp/samlIdp.js';

/**
 * The visible-window path, on a virtual display (Xvfb): a first sign-in opens a window; when the
 * IdP session has ended, the silent (headless) attempt gives up after --silent-timeout and a window
 * opens. The test signs in through the window over CDP, as a person would with the mouse.
 *
 * Synchronised on fedlogin's own word, not on a deadline: the window is attached to once fedlogin
 * prints that the visible browser launched (after node, playwright-core and, in the second case,
 * a whole headless attempt have started on a machine that may be busy), bounded generously by
 * BROWSER_START_BOUND_MS, and at once when the CLI exits first.
 */

const BROWSER = '/usr/bin/chromium';
const PROVIDER = 'arn:aws:iam::123456789012:saml-provider/test-idp';
const DEV = 'arn:aws:iam::123456789012:role/dev';

/** a whole run: up to two browser starts, the silent timeout and the sign-in */
const RUN_BOUND_MS = 2 * BROWSER_START_BOUND_MS;

async function signInThroughWindow(port: number, cli: RunningCli): Promise<void> {
  const browser = await attachToFedloginBrowser(port, { window: true, cli });
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
  }, RUN_BOUND_MS);
  afterAll(async () => {
    xvfb?.stop();
    await idp?.close();
    await sts?.close();
    await home?.cleanup();
  });

  async function login(extra: string[]): Promise<RunCliResult> {
    const port = await freePort();
    const cli = spawnCli(['saml', '--idp-url', idp.ssoUrl, '--browser', BROWSER, '--debug', ...extra], {
      home: home.home,
      env: {
        ...home.env,
        DISPLAY: xvfb.display,
        AWS_ENDPOINT_URL_STS: sts.url,
        FEDLOGIN_BROWSER_DEBUG_PORT: String(port),
        FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1',
      },
      timeoutMs: RUN_BOUND_MS,
    });
    try {
      await signInThroughWindow(port, cli);
    } catch (error) {
      cli.kill();
      throw error;
    }
    return cli.result;
  }

  it(
    'a first sign-in opens a window and says so',
    async () => {
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
    },
    RUN_BOUND_MS,
  );

  it(
    'when the IdP session has ended, the silent attempt gives way to a window',
    async () => {
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
    },
    RUN_BOUND_MS,
  );
});
