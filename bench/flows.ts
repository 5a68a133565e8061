/**
 * The interactive flows' own costs, read from fedlogin's `--debug` timing lines (the person's part,
 * the browser sign-in, is not fedlogin's and is left out):
 *
 *   OIDC  callback received -> credentials ready      (oidc timing: credentials ready N ms after the callback)
 *   OIDC  refresh-token renewal                       (oidc timing: refresh-token renewal took N ms)
 *   SAML  browser launch                              (timing: browser launched in N ms)
 *   SAML  captured POST -> credentials printed        (timing: captured POST -> credentials delivered in N ms)
 *
 * Real parts on loopback: oidc-provider with headless Chromium playing the user, the samlify IdP
 * with fedlogin's own browser, and the project's STS double. Printed next to the plain SDK
 * AssumeRoleWithWebIdentity median of the same run.
 */
import { writeFile } from 'node:fs/promises';
import { startStsEndpoint } from '../test/support/aws/stsEndpoint.js';
import { addSamlToSts } from '../test/support/aws/stsSaml.js';
import { makeTempHome, runCli } from '../test/support/cli/runCli.js';
import { launchOidcBrowser } from '../test/support/idp/oidcBrowser.js';
import { startOidcProvider } from '../test/support/idp/oidcProvider.js';
import { signInWithOidc } from '../test/support/idp/oidcSignIn.js';
import { forgetKeptAssertion, SAML_TEST_BROWSER, samlLoginThroughForm } from '../test/support/idp/samlBrowserLogin.js';
import { startSamlIdp } from '../test/support/idp/samlIdp.js';
import { median } from './stats.js';

const ROLE = 'arn:aws:iam::123456789012:role/bench';
const PROVIDER = 'arn:aws:iam::123456789012:saml-provider/bench-idp';

export interface FlowTimings {
  oidcCallbackToCredentials: number[];
  oidcRefreshRenewal: number[];
  samlBrowserLaunch: number[];
  samlCapturedToCredentials: number[];
}

function timing(stderr: string, pattern: RegExp, what: string): number {
  const match = pattern.exec(stderr);
  if (!match) throw new Error(`no "${what}" timing line in fedlogin's --debug output:\n${stderr.slice(-2000)}`);
  return Number(match[1]);
}

async function oidcTimings(
  rounds: number,
): Promise<Pick<FlowTimings, 'oidcCallbackToCredentials' | 'oidcRefreshRenewal'>> {
  const [idp, browser] = await Promise.all([startOidcProvider(), launchOidcBrowser()]);
  const sts = await startStsEndpoint({
    roles: { [ROLE]: { trust: { issuer: idp.issuer, audiences: [idp.clientId] } } },
  });
  const home = await makeTempHome();
  const env = { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: 'us-east-1', FEDLOGIN_STORE: 'file' };
  try {
    const oidcCallbackToCredentials: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const result = await signInWithOidc(idp, home, {
        browser,
        roleArn: ROLE,
        env,
        args: ['--prompt', 'consent', '--debug'],
      });
      oidcCallbackToCredentials.push(
        timing(result.stderr, /credentials ready (\d+) ms after the callback/, 'credentials ready'),
      );
    }
    // The sign-ins above saved a refresh token; `login` on a profile of the same issuer and client renews through it.
    await writeFile(
      home.awsConfigFile,
      `[profile bench]\nfedlogin_flow = oidc\nfedlogin_issuer = ${idp.issuer}\nfedlogin_client_id = ${idp.clientId}\nfedlogin_role_arn = ${ROLE}\n`,
    );
    const oidcRefreshRenewal: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // logout drops the tokens the last renewal kept for other profiles: each round runs a refresh grant
      const logout = await runCli(['logout', '--profile', 'bench'], { env });
      if (logout.code !== 0) throw new Error(`fedlogin logout failed: ${logout.stderr}`);
      const result = await runCli(['login', '--profile', 'bench', '--debug'], { env });
      if (result.code !== 0) throw new Error(`fedlogin login (refresh) failed: ${result.stderr}`);
      oidcRefreshRenewal.push(timing(result.stderr, /refresh-token renewal took (\d+) ms/, 'refresh-token renewal'));
    }
    return { oidcCallbackToCredentials, oidcRefreshRenewal };
  } finally {
    await Promise.all([browser.close(), idp.close(), sts.close(), home.cleanup()]);
  }
}

async function samlTimings(
  rounds: number,
): Promise<Pick<FlowTimings, 'samlBrowserLaunch' | 'samlCapturedToCredentials'>> {
  const idp = await startSamlIdp({ roles: [`${ROLE},${PROVIDER}`], sessionDuration: 3600 });
  const sts = await startStsEndpoint({ roles: { [ROLE]: { maxSessionDuration: 3600 } } });
  addSamlToSts(sts, { providers: { [PROVIDER]: { certPem: idp.certPem } } });
  const home = await makeTempHome();
  try {
    const first = await samlLoginThroughForm(home, idp, sts.url);
    if (first.code !== 0) throw new Error(`fedlogin saml (form) failed: ${first.stderr}`);
    const samlBrowserLaunch: number[] = [];
    const samlCapturedToCredentials: number[] = [];
    // Within the IdP session each login is headless and needs nobody: fedlogin's own cost.
    for (let i = 0; i < rounds; i++) {
      // the browser path, not the assertion the last round kept for a few minutes
      await forgetKeptAssertion(home, idp.ssoUrl);
      const result = await runCli(['saml', '--idp-url', idp.ssoUrl, '--browser', SAML_TEST_BROWSER, '--debug'], {
        env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1' },
        timeoutMs: 60_000,
      });
      if (result.code !== 0) throw new Error(`fedlogin saml failed: ${result.stderr}`);
      samlBrowserLaunch.push(timing(result.stderr, /timing: browser launched in (\d+) ms/, 'browser launched'));
      samlCapturedToCredentials.push(
        timing(result.stderr, /timing: captured POST -> credentials delivered in (\d+) ms/, 'captured POST'),
      );
    }
    return { samlBrowserLaunch, samlCapturedToCredentials };
  } finally {
    await Promise.all([idp.close(), sts.close(), home.cleanup()]);
  }
}

export async function measureFlows(rounds: number): Promise<FlowTimings> {
  return { ...(await oidcTimings(rounds)), ...(await samlTimings(rounds)) };
}

export function flowRows(t: FlowTimings, plainSdkMs: number): string[][] {
  const row = (label: string, values: number[]) => {
    const m = median(values);
    return [label, m.toFixed(0), Math.min(...values).toFixed(0), `${(m / plainSdkMs).toFixed(2)}x plain SDK`];
  };
  return [
    ['flow step (from --debug timing lines)', 'median ms', 'min ms', 'vs'],
    row('OIDC callback received -> credentials ready', t.oidcCallbackToCredentials),
    row('OIDC refresh-token renewal (discovery + grant + STS)', t.oidcRefreshRenewal),
    row('SAML browser launch', t.samlBrowserLaunch),
    row('SAML captured POST -> credentials printed', t.samlCapturedToCredentials),
  ];
}
