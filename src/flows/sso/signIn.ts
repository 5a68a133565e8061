import { createHash, randomBytes } from 'node:crypto';
import type { SsoCallContext } from '../../aws/ssoErrors.js';
import type { SsoOidcApi, SsoTokens } from '../../aws/ssoOidcClient.js';
import { openSecretUrl } from '../../core/browser.js';
import { type Clock, sleep } from '../../core/clock.js';
import { formatDuration } from '../../core/duration.js';
import { refusedError } from '../../core/errors.js';
import { escapeControl } from '../../core/escapeControl.js';
import type { Logger } from '../../core/logger.js';
import type { OneShotRedirect } from '../../core/oneShotRedirect.js';
import type { PersonChannel } from '../../core/personChannel.js';
import { startSpinner } from '../../core/spinner.js';
import { startCallbackListener } from '../oidc/callbackListener.js';
import { deviceInstructions } from '../oidc/deviceInstructions.js';
import { waitSignal } from '../oidc/interrupt.js';
import type { SsoSession } from './settings.js';
import {
  type RegistrationKind,
  readRegistration,
  type SsoRegistration,
  type SsoTokenEntry,
  writeRegistration,
} from './tokenCache.js';

export interface SsoSignInOptions {
  /** true: device flow; false: authorization code; undefined: device only when no browser can open */
  device?: boolean | undefined;
  /** false (--no-browser): print the URL on stderr, do not open it */
  openBrowser: boolean;
  timeoutMs: number;
}

export interface SsoSignInDeps {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  clock: Clock;
  oidc(): Promise<SsoOidcApi>;
  canOpenBrowser: boolean;
  openUrl(url: string): Promise<boolean>;
  openPerson(): PersonChannel;
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** The AWS CLI's loopback redirect: registered without a port, used with the listener's. */
const REDIRECT_PATH = '/oauth/callback';
/** a registration this close to its end is replaced before a sign-in starts */
const REGISTRATION_MARGIN_MS = 15 * 60_000;

export const contextFor = (session: SsoSession, action: SsoCallContext['action']): SsoCallContext => ({
  action,
  session: session.label,
  signInCommand: session.signInCommand,
});

/** RegisterClient, reused from fedlogin's cache until it is about to expire. */
async function registration(
  session: SsoSession,
  kind: RegistrationKind,
  oidc: SsoOidcApi,
  deps: SsoSignInDeps,
): Promise<SsoRegistration> {
  const cached = readRegistration(deps.env, session, kind);
  if (cached && cached.expiresAt.getTime() - deps.clock.now() > REGISTRATION_MARGIN_MS) {
    deps.logger.addSecret(cached.clientSecret);
    deps.logger.debug(`sso: reusing the ${kind} client registration until ${cached.expiresAt.toISOString()}`);
    return cached;
  }
  const registered = await oidc.registerClient(
    {
      clientName: `fedlogin-${session.name ?? 'legacy'}`,
      scopes: session.scopes,
      ...(kind === 'authorization-code'
        ? {
            grantTypes: ['authorization_code', 'refresh_token'],
            redirectUris: [`http://127.0.0.1${REDIRECT_PATH}`],
            issuerUrl: session.startUrl,
          }
        : session.name
          ? { grantTypes: [DEVICE_GRANT, 'refresh_token'] }
          : {}),
    },
    contextFor(session, 'RegisterClient'),
  );
  writeRegistration(deps.env, session, kind, registered);
  return registered;
}

/**
 * A full IAM Identity Center sign-in as the AWS CLI does it: authorization code + PKCE on a
 * loopback redirect (the browser is opened through a one-shot loopback URL, so the state never
 * reaches a command line), or the device flow (--device, and without a display). Returns the token
 * cache entry to write.
 */
export async function signInToSso(
  session: SsoSession,
  options: SsoSignInOptions,
  deps: SsoSignInDeps,
): Promise<SsoTokenEntry> {
  const oidc = await deps.oidc();
  const useDevice = options.device ?? !(options.openBrowser && deps.canOpenBrowser);
  const kind: RegistrationKind = useDevice ? 'device' : 'authorization-code';
  const client = await registration(session, kind, oidc, deps);
  const person = deps.openPerson();
  const wait = waitSignal(options.timeoutMs, () =>
    refusedError(
      'SSO_TIMEOUT',
      `No sign-in was completed within ${formatDuration(Math.round(options.timeoutMs / 1000))}.`,
      {
        hint: 'Run the command again (--timeout allows more time).',
      },
    ),
  );
  try {
    const tokens =
      kind === 'device'
        ? await deviceFlow(session, client, oidc, {
            ...deps,
            person,
            signal: wait.signal,
            openBrowser: options.openBrowser,
          })
        : await authorizationCode(session, client, oidc, {
            ...deps,
            person,
            signal: wait.signal,
            openBrowser: options.openBrowser,
          });
    return {
      startUrl: session.startUrl,
      region: session.region,
      accessToken: tokens.accessToken,
      expiresAt: tokens.expiresAt,
      refreshToken: tokens.refreshToken,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      registrationExpiresAt: client.expiresAt,
    };
  } finally {
    wait.dispose();
    person.close();
  }
}

interface WaitDeps extends SsoSignInDeps {
  person: PersonChannel;
  signal: AbortSignal;
  openBrowser: boolean;
}

async function authorizationCode(
  session: SsoSession,
  client: SsoRegistration,
  oidc: SsoOidcApi,
  deps: WaitDeps,
): Promise<SsoTokens> {
  const listener = await startCallbackListener({ path: REDIRECT_PATH });
  let redirect: OneShotRedirect | undefined;
  try {
    const verifier = randomBytes(48).toString('base64url');
    const state = randomBytes(24).toString('base64url');
    const url = new URL(`${oidc.endpoint.replace(/\/+$/, '')}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: listener.redirectUri,
      state,
      code_challenge_method: 'S256',
      scopes: session.scopes.join(' '),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    }).toString();
    redirect =
      deps.openBrowser && deps.canOpenBrowser ? await openSecretUrl(url.href, { open: deps.openUrl }) : undefined;
    deps.person.write(
      redirect
        ? `Opened your browser to sign in to ${session.label}. If it did not open, visit:\n  ${url.href}\n`
        : `To sign in to ${session.label}, open this URL in a browser:\n  ${url.href}\n`,
    );
    const spinner = startSpinner(deps.person, 'Waiting for you to sign in in the browser...');
    const arrival = await listener.arrival(deps.signal).finally(() => spinner.stop());
    try {
      const params = arrival.url.searchParams;
      if (params.get('state') !== state) {
        throw refusedError(
          'SSO_STATE_MISMATCH',
          'The sign-in response does not belong to this login (state mismatch); refusing it.',
          {
            hint: 'Start the login again from this terminal; do not reuse an old browser tab.',
          },
        );
      }
      const error = params.get('error');
      if (error) {
        throw refusedError(
          'SSO_ACCESS_DENIED',
          `IAM Identity Center did not grant the sign-in of ${session.label}: ${escapeControl(error)}${params.get('error_description') ? ` (${escapeControl(params.get('error_description')!)})` : ''}.`,
        );
      }
      const tokens = await oidc.createToken(
        client,
        {
          grantType: 'authorization_code',
          code: params.get('code') ?? '',
          redirectUri: listener.redirectUri,
          codeVerifier: verifier,
        },
        contextFor(session, 'CreateToken'),
      );
      arrival.respond({ ok: true });
      return tokens;
    } catch (error) {
      const message = error instanceof Error && 'kind' in error ? error.message : 'The sign-in could not be completed.';
      arrival.respond({ ok: false, message: deps.logger.redact(message) });
      throw error;
    }
  } finally {
    await redirect?.close();
    await listener.close();
  }
}

async function deviceFlow(
  session: SsoSession,
  client: SsoRegistration,
  oidc: SsoOidcApi,
  deps: WaitDeps,
): Promise<SsoTokens> {
  const device = await oidc.startDeviceAuthorization(
    { clientId: client.clientId, clientSecret: client.clientSecret, startUrl: session.startUrl },
    contextFor(session, 'StartDeviceAuthorization'),
  );
  deps.person.write(
    deviceInstructions({
      verification_uri: device.verificationUri,
      verification_uri_complete: device.verificationUriComplete,
      user_code: device.userCode,
      expires_in: device.expiresIn,
    }),
  );
  if (deps.openBrowser && deps.canOpenBrowser && device.verificationUriComplete)
    await deps.openUrl(device.verificationUriComplete);
  const deadline = deps.clock.now() + device.expiresIn * 1000;
  let intervalMs = Math.max(device.interval, 1) * 1000;
  const spinner = startSpinner(deps.person, 'Waiting for you to approve the sign-in...');
  try {
    for (;;) {
      try {
        await sleep(intervalMs, deps.signal);
      } catch (error) {
        throw deps.signal.reason ?? error;
      }
      if (deps.clock.now() >= deadline) {
        throw refusedError(
          'SSO_DEVICE_CODE_EXPIRED',
          `The code for ${session.label} expired before the sign-in was approved.`,
          {
            hint: `Run ${session.signInCommand} again and approve within ${Math.round(device.expiresIn / 60)} minutes.`,
          },
        );
      }
      const answer = await oidc.pollDeviceToken(client, device.deviceCode, contextFor(session, 'CreateToken'));
      if (answer === 'slow_down')
        intervalMs += 5_000; // RFC 8628 3.5
      else if (answer !== 'authorization_pending') return answer;
    }
  } finally {
    spinner.stop();
  }
}
