import { renderUnicodeCompact } from 'uqr';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QR_BORDER } from '../../src/output/terminalQr.js';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { spawnCli } from '../support/cli/spawnCli.js';
import { describeWith, itWith } from '../support/harness/component.js';
import { launchOidcBrowser } from '../support/idp/oidcBrowser.js';
import { startOidcProvider, type TestOidcProvider } from '../support/idp/oidcProvider.js';

/** The device flow's failure messages and its QR code, against oidc-provider's real device endpoint. */

const ROLE = 'arn:aws:iam::123456789012:role/dev';

describeWith(['oidc-provider'], 'fedlogin oidc --device failures', () => {
  let idp: TestOidcProvider;
  let home: TempHome;
  beforeAll(async () => {
    [idp, home] = await Promise.all([startOidcProvider({ deviceCodeTtlSeconds: 2 }), makeTempHome()]);
  });
  afterAll(async () => {
    await Promise.all([idp?.close(), home?.cleanup()]);
  });

  const args = () => ['oidc', '--device', '--issuer', idp.issuer, '--client-id', idp.clientId, '--role-arn', ROLE];
  const env = () => ({
    HOME: home.home,
    AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9',
    AWS_REGION: 'us-east-1',
    FEDLOGIN_STORE: 'file',
  });

  it('is chosen when no browser can be opened (no DISPLAY), and says when the code expired (exit 3)', async () => {
    const result = await runCli(
      args().filter((a) => a !== '--device'),
      { env: env(), timeoutMs: 20_000 },
    );
    expect(result.stderr).toMatch(
      /To sign in, open http:\/\/127\.0\.0\.1:\d+\/device\nand enter the code: {2}[A-Z]{4}-[A-Z]{4}\n/,
    );
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('fedlogin: The device code expired before the sign-in was approved.');
    // no spinner and no QR code without a terminal
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).not.toMatch(/[\u2580\u2584\u2588]/);
    expect(result.stderr).not.toContain('scan');
  });

  it('draws the URL with the code filled in as a QR code on a terminal, as uqr encodes it', async () => {
    const cli = spawnCli(args(), {
      home: home.home,
      env: { ...env(), TERM: 'xterm' },
      terminal: true,
      timeoutMs: 30_000,
    });
    await cli.waitForStderr(/The code is valid for/);
    const result = await cli.result;
    const out = cli.stderr().replace(/\r/g, '');
    const [, url] = /which has the code filled in:\n {2}(\S+)\n/.exec(out) ?? [];
    expect(url, out).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/device\?user_code=[A-Z]{4}-[A-Z]{4}$/);
    const drawing = renderUnicodeCompact(url!, { border: QR_BORDER })
      .split('\n')
      .map((row) => `  ${row}`)
      .join('\n');
    expect(out).toContain(`Or scan this with your phone (the code is filled in):\n${drawing}\n`);
    // after the code, before the validity
    expect(out.indexOf(drawing)).toBeGreaterThan(out.indexOf('enter the code:'));
    expect(out.indexOf(drawing)).toBeLessThan(out.indexOf('The code is valid for'));
    expect(result.code, out).toBe(3);
  });

  itWith(
    ['chromium', 'playwright-core'],
    'says the sign-in was denied when the person aborts on the device page (exit 3)',
    async () => {
      // its own provider with the default code lifetime: the 2 s one above is for the expiry case,
      // and a busy machine can take longer than that to reach the device page
      const patient = await startOidcProvider();
      const browser = await launchOidcBrowser();
      try {
        const patientArgs = [
          'oidc',
          '--device',
          '--issuer',
          patient.issuer,
          '--client-id',
          patient.clientId,
          '--role-arn',
          ROLE,
        ];
        const cli = spawnCli(patientArgs, { home: home.home, env: env(), timeoutMs: 20_000 });
        const [, verificationUri] = await cli.waitForStderr(/open (http:\/\/127\.0\.0\.1:\d+\/device)\s/);
        const [, userCode] = await cli.waitForStderr(/enter the code:\s+([A-Z]{4}-[A-Z]{4})/);
        await browser.denyDevice(verificationUri!, userCode!);
        const result = await cli.result;
        expect(result.code, result.stderr).toBe(3);
        expect(result.stderr.split('\n').filter((l) => l.startsWith('fedlogin:'))).toEqual([
          expect.stringContaining('The identity provider denied the sign-in (access_denied'),
        ]);
      } finally {
        await Promise.all([browser.close(), patient.close()]);
      }
    },
  );
});
