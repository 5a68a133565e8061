import { parseRoleArn } from '../../aws/arn.js';
import { stsEndpointFor } from '../../aws/stsEndpoint.js';
import { createSts } from '../../aws/stsClient.js';
import { usageError } from '../../core/errors.js';
import { profileKeyError } from '../../config/profileErrors.js';
import type { ProfileValues } from '../../config/profileValues.js';
import { resolveRegion } from '../../config/resolveRegion.js';
import type { ProfileProvider } from '../provider.js';
import { parseCiName } from './ciName.js';
import { loginWithWebIdentity } from './login.js';
import { nodeTokenSourceDeps } from './nodeTokenSourceDeps.js';
import type { TokenSourceSpec } from './tokenSource.js';

/** The token source a profile names (fedlogin_token_file, fedlogin_ci, fedlogin_token_env). */
export function tokenSpecOf(profile: ProfileValues, env: NodeJS.ProcessEnv): TokenSourceSpec {
  const file = profile.string('fedlogin_token_file') ?? profile.string('web_identity_token_file');
  const tokenEnv = profile.string('fedlogin_token_env');
  const ci = profile.parsed('fedlogin_ci', parseCiName);
  if (file) return { kind: 'file', path: file };
  if (ci) return { kind: 'ci', ci, tokenEnv };
  if (tokenEnv) return { kind: 'env', name: tokenEnv };
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) return { kind: 'file', path: env.AWS_WEB_IDENTITY_TOKEN_FILE };
  throw profileKeyError(
    profile.profile,
    'fedlogin_token_file',
    'no token source (set fedlogin_token_file, fedlogin_token_env or fedlogin_ci).',
  );
}

/** A web-identity profile renews on its own: the token file is re-read, or the CI asked again. */
export function webIdentityProvider(profile: ProfileValues): ProfileProvider {
  return {
    needsPerson: false,
    async login(context) {
      const { env, logger } = context;
      const roleArn = profile.parsed('fedlogin_role_arn', (v) => parseRoleArn(v, 'fedlogin_role_arn')) ??
        (env.AWS_ROLE_ARN ? parseRoleArn(env.AWS_ROLE_ARN, 'AWS_ROLE_ARN') : undefined);
      if (!roleArn) {
        throw usageError('ROLE_ARN_MISSING', `${profile.profile.file} [${profile.profile.section}] has no fedlogin_role_arn.`, 'Add fedlogin_role_arn = arn:aws:iam::ACCOUNT:role/NAME to the profile.');
      }
      const region = resolveRegion({ flag: context.regionFlag, env, profile: profile.string('region'), partition: roleArn.partition });
      const sts = await createSts({ region, endpoint: stsEndpointFor(region, env), logger });
      return loginWithWebIdentity(
        {
          roleArn: roleArn.arn,
          token: tokenSpecOf(profile, env),
          audience: profile.string('fedlogin_audience'),
          roleSessionName: profile.string('fedlogin_role_session_name'),
          durationSeconds: profile.seconds('fedlogin_duration', 900, 43_200),
          chainRoleArns: profile.list('fedlogin_chain_role_arn'),
        },
        { sts, tokenSources: nodeTokenSourceDeps(env), logger, clock: context.clock },
      );
    },
  };
}
