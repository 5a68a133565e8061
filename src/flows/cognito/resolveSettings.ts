import { parseRoleArn } from '../../aws/arn.js';
import { STS_SESSION_SECONDS } from '../../aws/durationFallback.js';
import { partitionOfRegion } from '../../aws/partition.js';
import { profileKeyError } from '../../config/profileErrors.js';
import { durationSetting, type ProfileValues } from '../../config/profileValues.js';
import { isFedloginError, usageError } from '../../core/errors.js';
import { resolveOidcSignIn } from '../oidc/resolveSettings.js';
import { parseIdentityPoolId } from './identityPoolId.js';
import { type LoginSpec, parseLoginSpec } from './loginSpec.js';
import { issuerLoginKey } from './oidcLogin.js';
import type { CognitoSettings } from './settings.js';

/** fedlogin_login: KEY=@FILE entries, comma- or space-separated; errors name the file, section and key. */
function profileLogins(profile: ProfileValues | undefined): LoginSpec[] {
  if (!profile) return [];
  return profile.list('fedlogin_login').map((entry) => {
    try {
      return parseLoginSpec(entry, 'fedlogin_login');
    } catch (error) {
      if (isFedloginError(error))
        throw profileKeyError(profile.profile, 'fedlogin_login', error.message, { hint: error.hint });
      throw error;
    }
  });
}

/** The command line's say, as given; undefined when the flag was not used. */
export interface CognitoFlags {
  identityPoolId?: string | undefined;
  login?: string[] | undefined;
  guest?: boolean | undefined;
  basic?: boolean | undefined;
  roleArn?: string | undefined;
  customRoleArn?: string | undefined;
  roleSessionName?: string | undefined;
  /** with --basic: the session length, as typed (900, 15m, 1h30m) */
  duration?: string | undefined;
  /** an OIDC login: the issuer, and how to sign in there */
  issuer?: string | undefined;
  clientId?: string | undefined;
  scope?: string | undefined;
  device?: boolean | undefined;
  /** false with --no-browser */
  browser?: boolean | undefined;
  prompt?: string | undefined;
  timeout?: string | undefined;
}

/** Who signs in, for the message when a silent renewal is impossible. */
const COMMAND_LINE_SIGN_IN = { label: 'This sign-in', signInCommand: 'fedlogin cognito in a terminal' };

/** The OIDC login, when the flags (or, when they name no login, the profile) give an issuer. */
function oidcLogin(
  flags: CognitoFlags,
  flagsNameLogin: boolean,
  profile: ProfileValues | undefined,
  env: NodeJS.ProcessEnv,
  who: { label: string; signInCommand: string },
): CognitoSettings['oidc'] {
  const wanted = flagsNameLogin ? flags.issuer !== undefined : profile?.string('fedlogin_issuer') !== undefined;
  if (!wanted) {
    const stray = (['clientId', 'scope', 'prompt', 'timeout', 'device'] as const).find((k) => flags[k] !== undefined);
    if (stray || flags.browser === false) {
      const flag = stray ? `--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : '--no-browser';
      throw usageError(
        'COGNITO_OIDC_FLAG_UNUSED',
        `${flag} belongs to an OIDC login, and there is none: add --issuer.`,
        { hint: 'Example: --issuer https://login.example.com --client-id fedlogin-cli' },
      );
    }
    return undefined;
  }
  // Cognito's Logins take the ID token, whatever fedlogin_token_type says for the oidc flow
  const signIn = {
    ...resolveOidcSignIn({ ...flags, browser: flags.browser === false ? false : undefined }, profile, env, who),
    tokenType: 'id' as const,
  };
  return {
    key: issuerLoginKey(signIn.issuer.url, flags.issuer !== undefined ? '--issuer' : 'fedlogin_issuer'),
    signIn,
  };
}

/**
 * Flags > the profile's fedlogin_* keys. The login (--login / --guest / --issuer) is taken as a
 * whole from the flags when they name one, else from the profile, so a flag never mixes with a
 * profile's logins; an OIDC login's client, scope and sign-in options fill in from the profile as
 * in `fedlogin oidc`. Every error names the flag, or the file, section and key.
 */
export function resolveCognitoSettings(
  flags: CognitoFlags,
  profile: ProfileValues | undefined,
  env: NodeJS.ProcessEnv = {},
  who: { label: string; signInCommand: string } = COMMAND_LINE_SIGN_IN,
): CognitoSettings {
  const where = profile ? `${profile.profile.file} [${profile.profile.section}]` : 'the command line';
  const pool =
    flags.identityPoolId !== undefined
      ? parseIdentityPoolId(flags.identityPoolId)
      : profile?.parsed('fedlogin_identity_pool_id', (v) => parseIdentityPoolId(v, 'fedlogin_identity_pool_id'));
  if (!pool) {
    throw usageError(
      'IDENTITY_POOL_ID_MISSING',
      `No identity pool in ${where}: pass --identity-pool-id or set fedlogin_identity_pool_id.`,
      { hint: 'Example: fedlogin cognito --identity-pool-id us-east-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f --guest' },
    );
  }

  const flagsNameLogin = (flags.login?.length ?? 0) > 0 || flags.guest === true || flags.issuer !== undefined;
  const logins = flagsNameLogin ? (flags.login ?? []).map((v) => parseLoginSpec(v, '--login')) : profileLogins(profile);
  const guest = flagsNameLogin ? flags.guest === true : (profile?.boolean('fedlogin_guest') ?? false);
  const oidc = oidcLogin(flags, flagsNameLogin, profile, env, who);
  if (guest && (logins.length > 0 || oidc)) {
    throw usageError('COGNITO_LOGIN_CONFLICT', `${where} asks for guest access and for logins; choose one.`, {
      hint: 'Guest access sends no logins: drop --guest, or drop --login and --issuer.',
    });
  }
  if (!guest && logins.length === 0 && !oidc) {
    throw usageError(
      'COGNITO_LOGIN_MISSING',
      `No login for identity pool ${pool.id} in ${where}: pass --issuer URL --client-id ID, --login KEY=@FILE, or --guest for unauthenticated access.`,
      { hint: 'Example: --login cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC=@id-token.jwt' },
    );
  }
  if (oidc && logins.some((l) => l.key === oidc.key)) {
    throw usageError(
      'COGNITO_LOGIN_DUPLICATE',
      `The login key ${oidc.key} is given twice: by the OIDC issuer and by a login file.`,
      { hint: 'Drop that --login (or fedlogin_login entry): the OIDC sign-in provides it.' },
    );
  }

  const basicWanted = flags.basic ?? profile?.boolean('fedlogin_basic') ?? false;
  const roleArnValue = flags.roleArn ?? profile?.string('fedlogin_role_arn');
  const roleOrigin = flags.roleArn !== undefined ? '--role-arn' : 'fedlogin_role_arn';
  const customValue = flags.customRoleArn ?? profile?.string('fedlogin_custom_role_arn');
  const customOrigin = flags.customRoleArn !== undefined ? '--custom-role-arn' : 'fedlogin_custom_role_arn';
  const inPartition = (arn: string, origin: string) => {
    const role = parseRoleArn(arn, origin);
    const poolPartition = partitionOfRegion(pool.region);
    if (role.partition.name !== poolPartition.name) {
      throw usageError(
        'COGNITO_PARTITION_MISMATCH',
        `${origin} ${role.arn} is in partition ${role.partition.name}, but the identity pool is in ${poolPartition.name}.`,
      );
    }
    return role.arn;
  };

  if (basicWanted) {
    if (!roleArnValue) {
      throw usageError(
        'ROLE_ARN_MISSING',
        `The basic flow needs a role in ${where}: pass --role-arn or set fedlogin_role_arn.`,
        { hint: 'The role must trust cognito-identity.amazonaws.com with aud = the pool ID.' },
      );
    }
    if (customValue)
      throw usageError(
        'COGNITO_FLOW_CONFLICT',
        `${customOrigin} belongs to the enhanced flow; the basic flow assumes ${roleOrigin}.`,
      );
    return {
      pool,
      logins,
      oidc,
      guest,
      basic: {
        roleArn: inPartition(roleArnValue, roleOrigin),
        roleSessionName: flags.roleSessionName ?? profile?.string('fedlogin_role_session_name'),
        durationSeconds: durationSetting(
          { value: flags.duration, name: '--duration' },
          profile,
          'fedlogin_duration',
          STS_SESSION_SECONDS,
        ),
      },
    };
  }
  if (roleArnValue) {
    throw usageError(
      'COGNITO_FLOW_CONFLICT',
      `${roleOrigin} is used by the basic flow only; the enhanced flow gets the role from the identity pool.`,
      {
        hint: "Add --basic to assume that role yourself, or use --custom-role-arn to pick one of the roles the pool's rules allow.",
      },
    );
  }
  if (flags.duration !== undefined) {
    throw usageError(
      'COGNITO_FLOW_CONFLICT',
      '--duration needs --basic: the enhanced flow always gets one-hour credentials from Cognito.',
    );
  }
  return { pool, logins, oidc, guest, customRoleArn: customValue ? inPartition(customValue, customOrigin) : undefined };
}
