import type { Configuration } from 'openid-client';
import { usageError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { PersonChannel } from '../../core/personChannel.js';
import { startSpinner } from '../../core/spinner.js';
import { terminalQr } from '../../output/terminalQr.js';
import { deviceInstructions } from './deviceInstructions.js';
import { translateOidcError } from './oidcErrors.js';
import { type OidcTokens, tokensFrom } from './tokens.js';

export interface DeviceFlowOptions {
  config: Configuration;
  oidc: typeof import('openid-client');
  issuer: URL;
  scope: string;
  signal: AbortSignal;
}

/**
 * RFC 8628: show the verification URL and user code, then poll the token endpoint. openid-client
 * honours the IdP's `interval` (default 5 s) and adds 5 s on `slow_down`; expired codes and denied
 * access come back as IdP errors and are translated.
 */
export async function signInWithDevice(
  options: DeviceFlowOptions,
  deps: { logger: Logger; person: PersonChannel },
): Promise<OidcTokens> {
  const { oidc, config, issuer, signal } = options;
  if (!config.serverMetadata().device_authorization_endpoint) {
    throw usageError(
      'OIDC_DEVICE_UNSUPPORTED',
      `The identity provider at ${issuer.href.replace(/\/+$/, '')} does not offer the device flow (no device_authorization_endpoint).`,
      { hint: 'Sign in with the browser instead: leave out --device (or set fedlogin_device = false).' },
    );
  }
  let device;
  try {
    device = await oidc.initiateDeviceAuthorization(config, { scope: options.scope });
  } catch (error) {
    throw translateOidcError(error, issuer, 'device');
  }
  deps.logger.addSecret(device.device_code);
  // a QR code only where a person looks at a terminal (uqr loads only then), and fits its width
  const qr = deps.person.isTerminal
    ? await terminalQr(device.verification_uri_complete ?? device.verification_uri, deps.person.columns?.())
    : undefined;
  deps.person.write(deviceInstructions(device, qr));
  deps.logger.debug(`device flow: polling every ${device.interval ?? 5} s, code valid ${device.expires_in} s`);
  const spinner = startSpinner(deps.person, 'Waiting for you to approve the sign-in...');
  try {
    const response = await oidc.pollDeviceAuthorizationGrant(config, device, undefined, { signal });
    deps.logger.debug('oidc timing: device sign-in approved');
    return tokensFrom(response, deps.logger);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw translateOidcError(error, issuer, 'device');
  } finally {
    spinner.stop();
  }
}
