import { parseRoleArn } from '../../aws/arn.js';
import { STS_SESSION_SECONDS } from '../../aws/durationFallback.js';
import { durationSetting, type ProfileValues } from '../../config/profileValues.js';
import { checkBrowserProfile, parseBrowserUrl } from '../../core/browserLaunch.js';
import { usageError } from '../../core/errors.js';
import { parseAccountAliases } from './accountAliases.js';
import { compileAcsPattern } from './acsUrl.js';
import type { BrowserMode } from './browserLogin.js';
import {
  BROWSER_MODES,
  DEFAULT_LOGIN_TIMEOUT_SECONDS,
  DEFAULT_SILENT_TIMEOUT_SECONDS,
  LOGIN_TIMEOUT_SECONDS,
  type SamlSettings,
  SILENT_TIMEOUT_SECONDS,
} from './settings.js';
import { parseSsoUrl } from './ssoUrl.js';

/** The command line's say, as given (strings); undefined when the flag was not used. */
export interface SamlFlags {
  idpUrl?: string | undefined;
  roleArn?: string | undefined;
  assertionFile?: string | undefined;
  browser?: string | undefined;
  browserProfile?: string | undefined;
  browserUrl?: string | undefined;
  headed?: boolean | undefined;
  headless?: boolean | undefined;
  acsUrlPattern?: string | undefined;
  accountAliases?: string | undefined;
  duration?: string | undefined;
  timeout?: string | undefined;
  silentTimeout?: string | undefined;
}

function browserMode(flags: SamlFlags, profile: ProfileValues | undefined): BrowserMode {
  if (flags.headed && flags.headless) throw usageError('OPTION_CONFLICT', 'Give --headed or --headless, not both.');
  if (flags.headed) return 'headed';
  if (flags.headless) return 'headless';
  return profile?.choice('fedlogin_browser_mode', BROWSER_MODES) ?? 'auto';
}

/**
 * The person's own browser (ownBrowser.ts): --browser-profile / fedlogin_browser_profile, or
 * --browser-url / fedlogin_browser_url; a flag given replaces the other's key, and the two flags,
 * or --browser-url with --browser or --headless, exclude each other.
 */
function ownBrowser(
  flags: SamlFlags,
  profile: ProfileValues | undefined,
): Pick<SamlSettings, 'browserProfile' | 'browserUrl'> {
  if (flags.browserUrl !== undefined && (flags.browserProfile !== undefined || flags.browser !== undefined))
    throw usageError(
      'OPTION_CONFLICT',
      '--browser-url attaches to a running browser; leave out --browser and --browser-profile.',
    );
  if (flags.browserUrl !== undefined && flags.headless)
    throw usageError('OPTION_CONFLICT', '--browser-url uses your visible browser; leave out --headless.');
  if (flags.browserUrl !== undefined) return { browserUrl: parseBrowserUrl(flags.browserUrl) };
  if (flags.browserProfile !== undefined) return { browserProfile: checkBrowserProfile(flags.browserProfile) };
  const browserUrl = profile?.parsed('fedlogin_browser_url', (v) => parseBrowserUrl(v, 'fedlogin_browser_url'));
  const browserProfile = profile?.parsed('fedlogin_browser_profile', (v) =>
    checkBrowserProfile(v, 'fedlogin_browser_profile'),
  );
  if (browserUrl !== undefined && browserProfile !== undefined && flags.browser === undefined)
    throw usageError(
      'OPTION_CONFLICT',
      `${profile!.profile.file} [${profile!.profile.section}] sets both fedlogin_browser_url and fedlogin_browser_profile; keep one.`,
    );
  // --browser on the command line means a browser fedlogin starts: the profile's attach address yields
  return flags.browser !== undefined ? { browserProfile } : { browserUrl, browserProfile };
}

/**
 * Flags > the profile's fedlogin_* keys (fedlogin_idp_url, fedlogin_role_arn, fedlogin_browser,
 * fedlogin_browser_profile, fedlogin_browser_url,
 * fedlogin_browser_mode, fedlogin_acs_url_pattern, fedlogin_account_aliases, fedlogin_duration,
 * fedlogin_login_timeout, fedlogin_silent_timeout) > defaults. Used by `fedlogin saml`, by a saml
 * profile's provider and by doctor, so all three accept and refuse the same. Every error names the
 * flag, or the file, section and key. Pure.
 */
export function resolveSamlSettings(flags: SamlFlags, profile: ProfileValues | undefined): SamlSettings {
  const where = profile ? `${profile.profile.file} [${profile.profile.section}]` : 'the command line';
  const idpUrl = flags.idpUrl?.trim() || profile?.string('fedlogin_idp_url');
  if (!idpUrl && flags.assertionFile === undefined) {
    throw usageError(
      'IDP_URL_MISSING',
      `No IdP to sign in at in ${where}: pass --idp-url or set fedlogin_idp_url (the AWS app's IdP-initiated sign-on URL), or pass --assertion-file.`,
      { hint: 'Example: fedlogin saml --idp-url https://idp.example.com/app/aws/sso' },
    );
  }
  // https, or http on loopback only (src/core/idpUrl.ts), before any browser starts: a URL typed
  // on the command line always, the profile's when it is the one to be used
  if (flags.idpUrl?.trim()) parseSsoUrl(flags.idpUrl, '--idp-url');
  else if (flags.assertionFile === undefined)
    profile?.parsed('fedlogin_idp_url', (v) => parseSsoUrl(v, 'fedlogin_idp_url'));
  const acsUrlPattern = flags.acsUrlPattern ?? profile?.string('fedlogin_acs_url_pattern');
  if (flags.acsUrlPattern !== undefined) compileAcsPattern(flags.acsUrlPattern);
  else profile?.parsed('fedlogin_acs_url_pattern', compileAcsPattern);
  const aliases =
    flags.accountAliases !== undefined
      ? parseAccountAliases(flags.accountAliases, '--account-aliases')
      : (profile?.parsed('fedlogin_account_aliases', (v) => parseAccountAliases(v)) ?? new Map<string, string>());
  const roleArn =
    flags.roleArn !== undefined
      ? parseRoleArn(flags.roleArn, '--role-arn').arn
      : profile?.parsed('fedlogin_role_arn', (v) => parseRoleArn(v, 'fedlogin_role_arn').arn);
  const timeoutSeconds = durationSetting(
    { value: flags.timeout, name: '--timeout', code: 'TIMEOUT_INVALID' },
    profile,
    'fedlogin_login_timeout',
    LOGIN_TIMEOUT_SECONDS,
  );
  const silentSeconds = durationSetting(
    { value: flags.silentTimeout, name: '--silent-timeout', code: 'TIMEOUT_INVALID' },
    profile,
    'fedlogin_silent_timeout',
    SILENT_TIMEOUT_SECONDS,
  );
  return {
    idpUrl,
    assertionFile: flags.assertionFile,
    roleArn,
    browser: flags.browser ?? profile?.string('fedlogin_browser'),
    ...ownBrowser(flags, profile),
    acsUrlPattern,
    aliases,
    mode: browserMode(flags, profile),
    durationSeconds: durationSetting(
      { value: flags.duration, name: '--duration' },
      profile,
      'fedlogin_duration',
      STS_SESSION_SECONDS,
    ),
    timeoutMs: (timeoutSeconds ?? DEFAULT_LOGIN_TIMEOUT_SECONDS) * 1000,
    silentTimeoutMs: (silentSeconds ?? DEFAULT_SILENT_TIMEOUT_SECONDS) * 1000,
  };
}
