import type { SessionPolicy } from '../../aws/sessionPolicy.js';
import type { BrowserChoice } from '../../core/browserLaunch.js';
import type { IssuerUrl } from './issuerUrl.js';

export const OIDC_TOKEN_TYPES = ['id', 'access'] as const;
export type OidcTokenType = (typeof OIDC_TOKEN_TYPES)[number];

/** Five minutes: long enough to sign in with MFA, short enough that a forgotten run ends. */
export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;

/**
 * What a sign-in at the IdP needs, whatever the tokens are exchanged for afterwards (STS, a
 * Cognito identity pool), resolved from flags or profile keys.
 */
export interface OidcSignInSettings {
  issuer: IssuerUrl;
  clientId: string;
  /** space-separated; undefined: openid, plus offline_access when the IdP lists it */
  scope?: string | undefined;
  /** which token the exchange uses (a renewal without it is not enough) */
  tokenType: OidcTokenType;
  /** true: device flow; false: authorization code; undefined: device only when no browser can open */
  device?: boolean | undefined;
  /** false (--no-browser): show the URL, do not open it */
  openBrowser: boolean;
  /** which browser and profile open it (--browser, --browser-profile; fedlogin_browser, fedlogin_browser_profile) */
  browser: BrowserChoice;
  /** e.g. consent: some IdPs only issue refresh tokens with prompt=consent */
  prompt?: string | undefined;
  /** bound on waiting for the person */
  timeoutMs: number;
  /** a confidential client's secret (never from argv) */
  clientSecret?: string | undefined;
  /** what to tell a person to run when a silent renewal is impossible */
  signInCommand: string;
  /** who needs the sign-in, for that message: "Profile dev" */
  label: string;
}

/** Everything the OIDC flow (sign-in, then AssumeRoleWithWebIdentity) needs. */
export interface OidcSettings extends OidcSignInSettings {
  roleArn: string;
  durationSeconds?: number | undefined;
  roleSessionName?: string | undefined;
  /** session policies, already read and checked */
  sessionPolicy?: SessionPolicy | undefined;
}
