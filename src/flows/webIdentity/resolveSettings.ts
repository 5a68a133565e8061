import { parseRoleArn } from '../../aws/arn.js';
import { STS_SESSION_SECONDS } from '../../aws/durationFallback.js';
import { durationSetting, type ProfileValues } from '../../config/profileValues.js';
import { usageError } from '../../core/errors.js';
import { resolveChainRoleArns } from '../roleChain.js';
import { parseCiName } from './ciName.js';
import type { WebIdentitySettings } from './login.js';
import type { TokenSourceSpec } from './tokenSource.js';

/** The command line's say, as given (strings); undefined when the flag was not used. */
export interface WebIdentityFlags {
  roleArn?: string | undefined;
  tokenFile?: string | undefined;
  tokenEnv?: string | undefined;
  tokenStdin?: boolean | undefined;
  ci?: string | undefined;
  audience?: string | undefined;
  roleSessionName?: string | undefined;
  duration?: string | undefined;
  chainRoleArn?: string[] | undefined;
}

/**
 * The token source: the flags' one source, else the profile's (fedlogin_token_file or the SDKs'
 * web_identity_token_file, fedlogin_ci, fedlogin_token_env), else AWS_WEB_IDENTITY_TOKEN_FILE,
 * the SDKs' own convention, so fedlogin works unchanged in EKS pods.
 */
function oneTokenSource(flags: WebIdentityFlags): void {
  // --token-env names the variable for CIs that hand the token over in one (GitLab's id_tokens,
  // CircleCI, Bitbucket), so it goes with --ci; anything else is one source.
  const given = [flags.tokenFile, flags.tokenStdin || undefined, flags.ci ?? flags.tokenEnv].filter(
    (v) => v !== undefined,
  );
  if (given.length > 1)
    throw usageError(
      'TOKEN_SOURCE_CONFLICT',
      'Give one token source: --token-file, --token-env, --token-stdin or --ci.',
    );
}

function tokenSpec(
  flags: WebIdentityFlags,
  profile: ProfileValues | undefined,
  env: NodeJS.ProcessEnv,
  where: string,
): TokenSourceSpec {
  if (flags.tokenFile !== undefined) return { kind: 'file', path: flags.tokenFile, origin: '--token-file' };
  if (flags.ci !== undefined) return { kind: 'ci', ci: parseCiName(flags.ci), tokenEnv: flags.tokenEnv };
  if (flags.tokenEnv !== undefined) return { kind: 'env', name: flags.tokenEnv };
  if (flags.tokenStdin) return { kind: 'stdin' };
  const fileKey = (['fedlogin_token_file', 'web_identity_token_file'] as const).find((key) => profile?.string(key));
  const ci = profile?.parsed('fedlogin_ci', parseCiName);
  const tokenEnv = profile?.string('fedlogin_token_env');
  if (profile && fileKey)
    return { kind: 'file', path: profile.string(fileKey)!, origin: `${fileKey} in profile ${profile.profile.name}` };
  if (ci) return { kind: 'ci', ci, tokenEnv };
  if (tokenEnv) return { kind: 'env', name: tokenEnv };
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE)
    return { kind: 'file', path: env.AWS_WEB_IDENTITY_TOKEN_FILE, origin: 'AWS_WEB_IDENTITY_TOKEN_FILE' };
  throw usageError(
    'TOKEN_SOURCE_MISSING',
    `No token source in ${where}: give --token-file, --token-env, --token-stdin or --ci, or set fedlogin_token_file, fedlogin_token_env or fedlogin_ci.`,
    { hint: 'In a CI job, --ci auto finds the token the way that CI documents it.' },
  );
}

/**
 * Flags > the profile's fedlogin_* keys > the SDKs' variables (AWS_ROLE_ARN,
 * AWS_ROLE_SESSION_NAME, AWS_WEB_IDENTITY_TOKEN_FILE, as the AWS SDKs read them when nothing more
 * specific is configured) > defaults. Used by `fedlogin web-identity`, by a web-identity
 * profile's provider and by doctor. Every error names the flag, the variable, or the file, section
 * and key. Pure.
 */
export function resolveWebIdentitySettings(
  flags: WebIdentityFlags,
  profile: ProfileValues | undefined,
  env: NodeJS.ProcessEnv,
): WebIdentitySettings {
  oneTokenSource(flags);
  const where = profile ? `${profile.profile.file} [${profile.profile.section}]` : 'the command line';
  const role =
    flags.roleArn !== undefined
      ? parseRoleArn(flags.roleArn, '--role-arn')
      : (profile?.parsed('fedlogin_role_arn', (v) => parseRoleArn(v, 'fedlogin_role_arn')) ??
        (env.AWS_ROLE_ARN ? parseRoleArn(env.AWS_ROLE_ARN, 'AWS_ROLE_ARN') : undefined));
  if (!role) {
    throw usageError(
      'ROLE_ARN_MISSING',
      `No role to assume in ${where}: pass --role-arn, set fedlogin_role_arn, or set AWS_ROLE_ARN.`,
      { hint: 'Example: fedlogin web-identity --ci auto --role-arn arn:aws:iam::123456789012:role/ci' },
    );
  }
  const chainRoleArns = resolveChainRoleArns(flags.chainRoleArn, profile);
  return {
    roleArn: role.arn,
    token: tokenSpec(flags, profile, env, where),
    audience: flags.audience ?? profile?.string('fedlogin_audience'),
    roleSessionName:
      flags.roleSessionName ??
      profile?.string('fedlogin_role_session_name') ??
      (env.AWS_ROLE_SESSION_NAME || undefined),
    durationSeconds: durationSetting(
      { value: flags.duration, name: '--duration' },
      profile,
      'fedlogin_duration',
      STS_SESSION_SECONDS,
    ),
    chainRoleArns,
  };
}
