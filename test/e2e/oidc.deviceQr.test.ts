import { renderUnicodeCompact } from 'uqr';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QR_BORDER } from '../../src/output/terminalQr.js';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { spawnCli } from '../support/cli/spawnCli.js';
import { describeWith } from '../support/harness/component.js';
import { startOidcProvider, type TestOidcProvider } from '../support/idp/oidcProvider.js';

/**
 * The device flow's QR code, against oidc-provider's real device endpoint: drawn for a person at a
 * terminal (the URL with the code filled in, exactly as uqr encodes it), never without one.
 */

const ROLE = 'arn:aws:iam::123456789012:role/dev';
const BLOCKS = /[\u2580\u2584\u2588]/;

describeWith(['oidc-provider'], 'fedlogin oidc --device: QR code', () => {
  let idp: TestOidcProvider;
  let home: TempHome;
  beforeAll(async () => {
    // a short code lifetime: each run ends by itself (exit 3, expired) once the instructions are out
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
    // after the code lines, before the validity
    expect(out.indexOf(drawing)).toBeGreaterThan(out.indexOf('enter the code:'));
    expect(out.indexOf(drawing)).toBeLessThan(out.indexOf('The code is valid for'));
    expect(result.code, out).toBe(3);
  });

  it('draws none without a terminal (a log, a CI job)', async () => {
    const result = await runCli(args(), { env: env(), timeoutMs: 30_000 });
    expect(result.stderr).toMatch(/and enter the code: {2}[A-Z]{4}-[A-Z]{4}\n/);
    expect(result.stderr).not.toMatch(BLOCKS);
    expect(result.stderr).not.toContain('scan');
    expect(result.code, result.stderr).toBe(3);
  });
});
