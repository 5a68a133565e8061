import type { DurationRange } from '../../core/duration.js';
import type { BrowserMode } from './browserLogin.js';

export const BROWSER_MODES: readonly BrowserMode[] = ['auto', 'headed', 'headless'];

/** --timeout / fedlogin_login_timeout: how long a person gets to sign in (default 5 minutes). */
export const LOGIN_TIMEOUT_SECONDS: DurationRange = { min: 5, max: 3600 };
export const DEFAULT_LOGIN_TIMEOUT_SECONDS = 300;
/** --silent-timeout / fedlogin_silent_timeout: how long a headless renewal may take (default 10 s). */
export const SILENT_TIMEOUT_SECONDS: DurationRange = { min: 1, max: 120 };
export const DEFAULT_SILENT_TIMEOUT_SECONDS = 10;

/** Everything the SAML flow needs, resolved from flags or profile keys. */
export interface SamlSettings {
  /** the AWS app's IdP-initiated sign-on URL; undefined only with an assertion file */
  idpUrl?: string | undefined;
  /** a base64 SAMLResponse to read instead of signing in ('-': stdin); command line only */
  assertionFile?: string | undefined;
  /** the role to assume; undefined: the only one, or a choice */
  roleArn?: string | undefined;
  /** a browser path, or chrome|chromium|edge|brave */
  browser?: string | undefined;
  /** an existing profile of the person's own browser, by name or folder path (ownBrowser.ts) */
  browserProfile?: string | undefined;
  /** a running browser's remote-debugging address on loopback to attach to (ownBrowser.ts) */
  browserUrl?: string | undefined;
  acsUrlPattern?: string | undefined;
  aliases: ReadonlyMap<string, string>;
  mode: BrowserMode;
  durationSeconds?: number | undefined;
  timeoutMs: number;
  silentTimeoutMs: number;
}
