import { renderUnicodeCompact } from 'uqr';
import { describe, expect, it } from 'vitest';
import { deviceInstructions } from '../../src/flows/oidc/deviceInstructions.js';
import { QR_BORDER, terminalQr } from '../../src/output/terminalQr.js';

const URL_WITH_CODE = 'https://idp.example.com/device?user_code=WDJB-MJHT';
const device = {
  verification_uri: 'https://idp.example.com/device',
  verification_uri_complete: URL_WITH_CODE,
  user_code: 'WDJB-MJHT',
  expires_in: 600,
};

describe('terminalQr', () => {
  it("is uqr's drawing of the text when it fits the terminal", async () => {
    const expected = renderUnicodeCompact(URL_WITH_CODE, { border: QR_BORDER });
    const width = expected.split('\n')[0]!.length;
    expect(await terminalQr(URL_WITH_CODE, width)).toBe(expected);
    expect(await terminalQr(URL_WITH_CODE, undefined)).toBe(expected);
  });

  it('is left out when the terminal is narrower than the code, or the text too long for one', async () => {
    const width = renderUnicodeCompact(URL_WITH_CODE, { border: QR_BORDER }).split('\n')[0]!.length;
    expect(await terminalQr(URL_WITH_CODE, width - 1)).toBeUndefined();
    expect(await terminalQr(`https://idp.example.com/${'x'.repeat(5000)}`, 10_000)).toBeUndefined();
  });
});

describe('deviceInstructions with a QR code', () => {
  it('puts it, indented, after the code and before the validity', () => {
    const text = deviceInstructions(device, 'AB\nCD');
    expect(text).toContain(
      'Or open this URL, which has the code filled in:\n  https://idp.example.com/device?user_code=WDJB-MJHT\nOr scan this with your phone (the code is filled in):\n  AB\n  CD\nThe code is valid for 10 minutes.',
    );
  });

  it('says to enter the code when the IdP gave no URL with it filled in', () => {
    const text = deviceInstructions({ ...device, verification_uri_complete: undefined }, 'AB');
    expect(text).toContain('Or scan this with your phone, then enter the code:\n  AB\n');
  });

  it('is the same text as before without one', () => {
    expect(deviceInstructions(device)).not.toContain('scan');
  });
});
