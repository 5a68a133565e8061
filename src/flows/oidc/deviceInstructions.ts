import { escapeControl } from '../../core/escapeControl.js';

/** The fields of an RFC 8628 device authorization response a person needs. */
export interface DeviceCodeDisplay {
  verification_uri: string;
  verification_uri_complete?: string | undefined;
  user_code: string;
  expires_in: number;
}

/**
 * What to tell the person: where to go and which code to enter. Pure. (No QR code: drawing one
 * needs a QR encoder, and fedlogin takes no new dependency for it.)
 */
export function deviceInstructions(device: DeviceCodeDisplay): string {
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
  lines.push(`The code is valid for ${minutes} minute${minutes === 1 ? '' : 's'}.`, '');
  return lines.join('\n') + '\n';
}
