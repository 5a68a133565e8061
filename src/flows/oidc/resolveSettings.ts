import { parseRoleArn } from '../../aws/arn.js';
import { STS_SESSION_SECONDS } from '../../aws/durationFallback.js';
import { durationSetting, type ProfileValues } from '../../config/profileValues.js';
import { checkBrowserProfile } from '../../core/browserLaunch.js';
import type { DurationRange } from '../../core/duration.js';
import { usageError } from '../../core/errors.js';
import { parseIssuerUrl } from './issuerUrl.js';
import {
  DEFAULT_SIGN_IN_TIMEOUT_MS,
  OIDC_TOKEN_TYPES,
  type OidcSettings,
  type OidcSignInSettings,
  type OidcTokenType,
} from './settings.js';

/** The command line's say, as given (strings); undefined when the flag was not used. */
export interface OidcFlags {
  issuer?: string | undefined;
  clientId?: string | undefined;
  roleArn?: string | undefined;
  scope?: string | undefined;
  tokenType?: string | undefined;
  device?: boolean | undefined;
  /** false with --no-browser; a name or path with --browser */
  browser?: string | false | undefined;
  /** --browser-profile */
  browserProfile?: string | undefined;
  prompt?: string | undefined;
  timeout?: string | undefined;
  /** the session length, as typed (900, 15m, 1h30m) */
  duration?: string | undefined;
  roleSessionName?: string | undefined;
}

/** How long a sign-in may wait for the person: 1 second to 1 hour. */
export const SIGN_IN_TIMEOUT_SECONDS: DurationRange = { min: 1, max: 3600 };

function tokenType(value: string, origin: string): OidcTokenType {
  if ((OIDC_TOKEN_TYPES as readonly string[]).includes(value)) return value as OidcTokenType;
  throw usageError('OPTION_INVALID', `${origin} must be one of ${OIDC_TOKEN_TYPES.join(', ')}; got "${value}".`);
}

/** The flags that shape a sign-in at the IdP (not what its tokens are exchanged for). */
export type OidcSignInFlags = Omit<OidcFlags, 'roleArn' | 'duration' | 'roleSessionName'>;

/**
 * The sign-in half of the settings: flags > FEDLOGIN_OIDC_CLIENT_SECRET (the secret only) > the
 * profile's fedlogin_* keys > defaults. Every error names the flag, or the file, section and key.
 */
export function resolveOidcSignIn(
  flags: OidcSignInFlags,
  profile: ProfileValues | undefined,
  env: NodeJS.ProcessEnv,
  who: { label: string; signInCommand: string },
): OidcSignInSettings {
  const fromProfile = <T>(key: string, parse: (v: string) => T) => profile?.parsed(key, parse);
  const issuer =
    flags.issuer !== undefined
      ? parseIssuerUrl(flags.issuer)
      : fromProfile('fedlogin_issuer', (v) => parseIssuerUrl(v, 'fedlogin_issuer'));
  const clientId = flags.clientId ?? profile?.string('fedlogin_client_id');
  if (!issuer)
    throw usageError(
      'OIDC_ISSUER_MISSING',
      `No OIDC issuer in ${whereOf(profile)}: pass --issuer or set fedlogin_issuer.`,
      { hint: 'Example: --issuer https://login.example.com' },
    );
  if (!clientId)
    throw usageError(
      'OIDC_CLIENT_ID_MISSING',
      `No OIDC client id in ${whereOf(profile)}: pass --client-id or set fedlogin_client_id.`,
      { hint: 'Use the id of a public (native) client registered at your IdP.' },
    );
  return {
    issuer,
    clientId,
    scope: flags.scope ?? profile?.string('fedlogin_scope'),
    tokenType:
      flags.tokenType !== undefined
        ? tokenType(flags.tokenType, '--token-type')
        : (fromProfile('fedlogin_token_type', (v) => tokenType(v, 'fedlogin_token_type')) ?? 'id'),
    device: flags.device ?? profile?.boolean('fedlogin_device'),
    openBrowser: flags.browser === false ? false : (profile?.boolean('fedlogin_open_browser') ?? true),
    browser: {
      browser: typeof flags.browser === 'string' ? flags.browser : profile?.string('fedlogin_browser'),
      profile:
        flags.browserProfile !== undefined
          ? checkBrowserProfile(flags.browserProfile)
          : fromProfile('fedlogin_browser_profile', (v) => checkBrowserProfile(v, 'fedlogin_browser_profile')),
    },
    prompt: flags.prompt ?? profile?.string('fedlogin_prompt'),
    timeoutMs:
      (durationSetting(
        { value: flags.timeout, name: '--timeout', code: 'TIMEOUT_INVALID' },
        profile,
        'fedlogin_timeout',
        SIGN_IN_TIMEOUT_SECONDS,
      ) ?? DEFAULT_SIGN_IN_TIMEOUT_MS / 1000) * 1000,
    clientSecret: env.FEDLOGIN_OIDC_CLIENT_SECRET || undefined,
    ...who,
  };
}

/** Who signs in when a profile renews (credential-process, login, doctor), for the message when a person must. */
export function profileSignIn(profile: ProfileValues): { label: string; signInCommand: string } {
  return { label: `Profile ${profile.name}`, signInCommand: `fedlogin login --profile ${profile.name}` };
}

const whereOf = (profile: ProfileValues | undefined) =>
  profile ? `${profile.profile.file} [${profile.profile.section}]` : 'the command line';

/** The sign-in settings plus the role to assume with the token (the `oidc` flow). */
export function resolveOidcSettings(
  flags: OidcFlags,
  profile: ProfileValues | undefined,
  env: NodeJS.ProcessEnv,
  who: { label: string; signInCommand: string },
): OidcSettings {
  const signIn = resolveOidcSignIn(flags, profile, env, who);
  const roleArn =
    flags.roleArn !== undefined
      ? parseRoleArn(flags.roleArn, '--role-arn').arn
      : profile?.parsed('fedlogin_role_arn', (v) => parseRoleArn(v, 'fedlogin_role_arn').arn);
  if (!roleArn)
    throw usageError(
      'ROLE_ARN_MISSING',
      `No role to assume in ${whereOf(profile)}: pass --role-arn or set fedlogin_role_arn.`,
      { hint: 'Example: --role-arn arn:aws:iam::123456789012:role/dev' },
    );
  return {
    ...signIn,
    roleArn,
    durationSeconds: durationSetting(
      { value: flags.duration, name: '--duration' },
      profile,
      'fedlogin_duration',
      STS_SESSION_SECONDS,
    ),
    roleSessionName: flags.roleSessionName ?? profile?.string('fedlogin_role_session_name'),
  };
}
