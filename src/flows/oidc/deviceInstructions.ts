import { escapeControl } from '../../core/escapeControl.js';

/** The fields of an RFC 8628 device authorization response a person needs. */
export interface DeviceCodeDisplay {
  verification_uri: string;
  verification_uri_complete?: string | undefined;
  user_code: string;
  expires_in: number;
}

/**
 * What to tell the person: where to go and which code to enter, and `qr` (the drawn QR code of the
 * URL, output/terminalQr.ts) for a phone when there is one. Pure.
 */
export function deviceInstructions(device: DeviceCodeDisplay, qr?: string): string {
  const minutes = Math.max(1, Math.round(device.expires_in / 60));
  const lines = [
    '',
    // the IdP's words: escaped, so a device answer cannot drive the terminal
    `To sign in, open ${escapeControl(device.verification_uri)}`,
    `and enter the code:  ${escapeControl(device.user_code)}`,
  ];
  if (device.verification_uri_complete)
    lines.push(
      `Or open this URL, which has the code filled in:`,
      `  ${escapeControl(device.verification_uri_complete)}`,
    );
  if (qr) {
    lines.push(
      device.verification_uri_complete
        ? 'Or scan this with your phone (the code is filled in):'
        : 'Or scan this with your phone, then enter the code:',
      ...qr.split('\n').map((row) => `  ${row}`),
    );
  }
  lines.push(`The code is valid for ${minutes} minute${minutes === 1 ? '' : 's'}.`, '');
  return lines.join('\n') + '\n';
}
