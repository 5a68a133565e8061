import { rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { browserProfileDir } from '../../src/flows/saml/browserProfileDir.js';
import { SESSION_COOKIES_FILE } from '../../src/flows/saml/sessionCookies.js';
import { type Moto, startMoto } from '../support/aws/moto.js';
import { getCallerIdentity } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { makeTempHome, type RunCliResult, runCli, type TempHome } from '../support/cli/runCli.js';
import { flowSettings, profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { describeWith } from '../support/harness/component.js';
import { freePort } from '../support/harness/freePort.js';
import {
  attachToFedloginBrowser as attach,
  forgetKeptAssertion,
  samlLoginPage as loginPage,
  SAML_TEST_BROWSER,
  samlLoginThroughForm,
} from '../support/idp/samlBrowserLogin.js';
import { type SamlIdp, type SamlIdpOptions, startSamlIdp } from '../support/idp/samlIdp.js';

/**
 * The whole SAML path with the user's own browser: fedlogin (the built CLI) launches
 * /usr/bin/chromium, the test attaches over CDP (FEDLOGIN_BROWSER_DEBUG_PORT) and fills the IdP's
 * real login form, fedlogin captures the POST to https://signin.aws.amazon.com/saml inside the
 * browser, and the STS double checks signature, Recipient, NotOnOrAfter and the role/provider pair.
 * FEDLOGIN_BROWSER_LOOPBACK_ONLY keeps every request on loopback.
 */

const BROWSER = SAML_TEST_BROWSER;
const loginThroughForm = samlLoginThroughForm;
const PROVIDER = 'arn:aws:iam::123456789012:saml-provider/test-idp';
const DEV = 'arn:aws:iam::123456789012:role/dev';

function credentialsOf(result: RunCliResult) {
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.code).toBe(0);
  const json = JSON.parse(result.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  return { accessKeyId: json.AccessKeyId, secretAccessKey: json.SecretAccessKey, sessionToken: json.SessionToken };
}

/** The SAML IdP (configured as asked), the STS double trusting it for the dev role, and a HOME. */
async function samlLab(options: Omit<SamlIdpOptions, 'roles'>) {
  const idp = await startSamlIdp({ roles: [`${DEV},${PROVIDER}`], ...options });
  const sts = await startStsEndpoint({ roles: { [DEV]: { maxSessionDuration: 3600 } } });
  addSamlToSts(sts, { providers: { [PROVIDER]: { certPem: idp.certPem } } });
  return { idp, sts, home: await makeTempHome() };
}

describeWith(['chromium'], "fedlogin saml in the user's browser, against the STS double", () => {
  let idp: SamlIdp;
  let sts: StsEndpoint;
  let home: TempHome;

  beforeAll(async () => {
    ({ idp, sts, home } = await samlLab({ sessionDuration: 3600 }));
  });
  afterAll(async () => {
    await idp?.close();
    await sts?.close();
    await home?.cleanup();
  });

  it('signs in through the real form, captures the POST, and the credentials work', async () => {
    const result = await loginThroughForm(home, idp, sts.url);
    const creds = credentialsOf(result);
    const identity = await getCallerIdentity(creds, sts.url);
    expect(identity.Arn).toBe('arn:aws:sts::123456789012:assumed-role/dev/alice');
    expect(idp.stats).toMatchObject({ formsShown: 1, logins: 1 });
    expect(sts.count('AssumeRoleWithSAML')).toBe(1);
    expect(result.stderr).toMatch(/timing: browser launched in \d+ ms/);
    expect(result.stderr).toMatch(/timing: SAMLResponse captured/);
    expect(result.stderr).toMatch(/timing: captured POST -> credentials delivered in \d+ ms/);
    // nothing secret in the --debug output: not the keys, not the token, not the assertion
    for (const secret of [
      creds.secretAccessKey,
      creds.sessionToken,
      idp.lastResponse!.slice(0, 64),
      idp.lastResponse!.slice(-64),
    ]) {
      expect(result.stderr).not.toContain(secret);
    }
  });

  it('a second login within the IdP session completes headless, without the form', async () => {
    // the assertion of the first login is kept for a few minutes (samlRenewal.test.ts): as if they had passed
    expect(await forgetKeptAssertion(home, idp.ssoUrl)).toBe(true);
    const before = { ...idp.stats };
    const result = await runCli(['saml', '--idp-url', idp.ssoUrl, '--browser', BROWSER, '--debug'], {
      env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1' },
      timeoutMs: 60_000,
    });
    const creds = credentialsOf(result);
    expect(result.stderr).toMatch(/trying a silent \(headless\) renewal/);
    expect(result.stderr).toMatch(/browser launched in \d+ ms \(headless/);
    expect(idp.stats.formsShown).toBe(before.formsShown);
    expect(idp.stats.logins).toBe(before.logins);
    expect(idp.stats.responses).toBe(before.responses + 1);
    expect((await getCallerIdentity(creds, sts.url)).Account).toBe('123456789012');
  });

  it('when STS says the assertion expired, signs in once more (silently) and succeeds', async () => {
    await forgetKeptAssertion(home, idp.ssoUrl);
    const before = { ...idp.stats };
    sts.failNext(1, {
      code: 'ExpiredTokenException',
      message: 'Token must not be expired',
      status: 400,
      action: 'AssumeRoleWithSAML',
    });
    const calls = sts.count('AssumeRoleWithSAML');
    const result = await runCli(['saml', '--idp-url', idp.ssoUrl, '--browser', BROWSER], {
      env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1' },
      timeoutMs: 60_000,
    });
    credentialsOf(result);
    expect(result.stderr).toMatch(/assertion has expired; signing in once more/);
    expect(idp.stats.responses).toBe(before.responses + 2);
    expect(idp.stats.formsShown).toBe(before.formsShown);
    expect(sts.count('AssumeRoleWithSAML')).toBe(calls + 2);
  });

  it('credential-process for a saml profile renews silently through the browser session', async () => {
    await writeAwsConfig(
      home,
      profileSection('sso', flowSettings.saml({ idpUrl: idp.ssoUrl, roleArn: DEV, browser: BROWSER }), {
        credentialProcess: 'installed',
      }),
    );
    const forms = idp.stats.formsShown;
    const result = await runCli(['credential-process', '--profile', 'sso'], {
      env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1' },
      timeoutMs: 60_000,
    });
    const creds = credentialsOf(result);
    expect((await getCallerIdentity(creds, sts.url)).Arn).toMatch(/assumed-role\/dev\/alice$/);
    expect(idp.stats.formsShown).toBe(forms);
  });

  it('fedlogin login --profile fills the cache through the session, without a terminal', async () => {
    const forms = idp.stats.formsShown;
    const calls = sts.count('AssumeRoleWithSAML');
    const result = await runCli(['login', '--profile', 'sso'], {
      env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1' },
      timeoutMs: 60_000,
    });
    expect(result.stderr).toMatch(/Logged in for profile sso \(saml flow\)/);
    expect(result.code).toBe(0);
    expect(sts.count('AssumeRoleWithSAML')).toBe(calls + 1);
    expect(idp.stats.formsShown).toBe(forms);
    // and credential-process now answers from the cache, without a browser or STS
    const cached = await runCli(['credential-process', '--profile', 'sso'], {
      env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url },
    });
    expect(cached.code).toBe(0);
    expect(sts.count('AssumeRoleWithSAML')).toBe(calls + 1);
  });

  it('a window the person closes is an abort (exit 130)', async () => {
    const fresh = await makeTempHome();
    try {
      const port = await freePort();
      const running = runCli(['saml', '--idp-url', idp.ssoUrl, '--browser', BROWSER, '--headless'], {
        env: {
          ...fresh.env,
          AWS_ENDPOINT_URL_STS: sts.url,
          FEDLOGIN_BROWSER_DEBUG_PORT: String(port),
          FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1',
        },
        timeoutMs: 60_000,
      });
      const browser = await attach(port);
      await (await loginPage(browser)).close();
      const result = await running;
      await browser.close().catch(() => undefined);
      expect(result.code).toBe(130);
      expect(result.stderr).toMatch(/^fedlogin: Sign-in stopped: the browser window was closed\.$/m);
      expect(result.stdout).toBe('');
    } finally {
      await fresh.cleanup();
    }
  });

  it('an IdP that cannot be reached is exit 4, naming the URL', async () => {
    const fresh = await makeTempHome();
    try {
      const closedPort = await freePort();
      const result = await runCli(
        ['saml', '--idp-url', `http://127.0.0.1:${closedPort}/sso`, '--browser', BROWSER, '--headless'],
        {
          env: { ...fresh.env, FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1' },
          timeoutMs: 60_000,
        },
      );
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(
        new RegExp(
          `Could not open the IdP sign-on URL http://127\\.0\\.0\\.1:${closedPort}/sso \\(ERR_CONNECTION_REFUSED\\)`,
        ),
      );
    } finally {
      await fresh.cleanup();
    }
  });

  it('gives up with a clear error when no sign-in arrives in time', async () => {
    const fresh = await makeTempHome();
    try {
      const result = await runCli(
        ['saml', '--idp-url', idp.ssoUrl, '--browser', BROWSER, '--headless', '--timeout', '5'],
        {
          env: { ...fresh.env, AWS_ENDPOINT_URL_STS: sts.url, FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1' },
          timeoutMs: 60_000,
        },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/No SAML response reached the AWS sign-in endpoint within 5 s/);
    } finally {
      await fresh.cleanup();
    }
  });

  it('credential-process without a session or a terminal fails at once with the command to run', async () => {
    const fresh = await makeTempHome();
    try {
      await writeFile(
        fresh.awsConfigFile,
        `[profile sso]\nfedlogin_flow = saml\nfedlogin_idp_url = ${idp.ssoUrl}\nfedlogin_browser = ${BROWSER}\n`,
      );
      const forms = idp.stats.formsShown;
      const result = await runCli(['credential-process', '--profile', 'sso'], { env: fresh.env, timeoutMs: 20_000 });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/needs you to sign in/);
      expect(result.stderr).toContain('fedlogin login --profile sso');
      expect(idp.stats.formsShown).toBe(forms);
    } finally {
      await fresh.cleanup();
    }
  });
});

describeWith(['chromium'], 'an IdP whose session cookie has no expiry (no "remember me")', () => {
  let idp: SamlIdp;
  let sts: StsEndpoint;
  let home: TempHome;

  beforeAll(async () => {
    ({ idp, sts, home } = await samlLab({ sessionCookie: 'session' }));
  });
  afterAll(async () => {
    await idp?.close();
    await sts?.close();
    await home?.cleanup();
  });

  const cookiesFile = () => join(browserProfileDir(home.env, idp.ssoUrl), SESSION_COOKIES_FILE);
  const run = (args: string[]) =>
    runCli([...args, '--debug'], {
      env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1' },
      timeoutMs: 60_000,
    });

  it('signed in once, credential-process in a later run renews headless with nobody there', async () => {
    credentialsOf(await loginThroughForm(home, idp, sts.url));
    expect(idp.stats).toMatchObject({ formsShown: 1, logins: 1 });
    // the kept session cookies are the user's alone
    expect((await stat(cookiesFile())).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(cookiesFile()))).mode & 0o777).toBe(0o700);

    await writeAwsConfig(
      home,
      profileSection('sso', flowSettings.saml({ idpUrl: idp.ssoUrl, roleArn: DEV, browser: BROWSER }), {
        credentialProcess: 'installed',
      }),
      profileSection('sso-short', {
        ...flowSettings.saml({ idpUrl: idp.ssoUrl, roleArn: DEV, browser: BROWSER }),
        fedlogin_silent_timeout: '10s',
      }),
    );
    // credential-process (empty cache), then login (which always signs in again): two later runs,
    // each a fresh browser, each renewing headless through the kept session
    for (const [renewal, args] of [
      [1, ['credential-process', '--profile', 'sso']],
      [2, ['login', '--profile', 'sso']],
    ] as const) {
      const calls = sts.count('AssumeRoleWithSAML');
      await forgetKeptAssertion(home, idp.ssoUrl); // the browser path, not the kept assertion
      const result = await run([...args]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/restored 1 session cookie\(s\) kept from the last sign-in/);
      expect(result.stderr).toMatch(/browser launched in \d+ ms \(headless/);
      expect(result.stderr).not.toMatch(/browser launched in \d+ ms \(visible/);
      expect(sts.count('AssumeRoleWithSAML')).toBe(calls + 1);
      expect(idp.stats).toMatchObject({ formsShown: 1, logins: 1, responses: 1 + renewal });
    }
    expect(sts.issued.at(-1)).toMatchObject({ action: 'AssumeRoleWithSAML' });

    // Control: without the kept cookies the browser has forgotten the session (the cookie has no
    // expiry), the IdP shows its form again, and with nobody there the run asks for a person.
    await rm(cookiesFile());
    await forgetKeptAssertion(home, idp.ssoUrl);
    const forgotten = await run(['credential-process', '--profile', 'sso-short']);
    expect(forgotten.code, forgotten.stderr).toBe(2);
    expect(forgotten.stderr).toContain('fedlogin login --profile sso-short');
    expect(idp.stats.formsShown).toBe(2);
    expect(idp.stats.logins).toBe(1);
  }, 180_000);
});

describeWith(['moto_server', 'chromium'], 'fedlogin saml in the browser, against moto', () => {
  let idp: SamlIdp;
  let moto: Moto;
  let home: TempHome;

  beforeAll(async () => {
    // moto answers 500 to multi-role attributes: one role here
    idp = await startSamlIdp({ roles: [`${DEV},${PROVIDER}`] });
    moto = await startMoto();
    home = await makeTempHome();
  });
  afterAll(async () => {
    await idp?.close();
    await moto?.close();
    await home?.cleanup();
  });

  it('the captured assertion becomes credentials that moto accepts', async () => {
    const creds = credentialsOf(await loginThroughForm(home, idp, moto.url));
    const identity = await getCallerIdentity(creds, moto.url);
    expect(identity.Account).toMatch(/^\d{12}$/);
    expect(creds.accessKeyId).toMatch(/^ASIA/);
  });
});
