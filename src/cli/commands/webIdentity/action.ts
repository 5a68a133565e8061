import { parseRoleArn } from '../../../aws/arn.js';
import { stsEndpointFor } from '../../../aws/stsEndpoint.js';
import { createSts } from '../../../aws/stsClient.js';
import { systemClock } from '../../../core/clock.js';
import { usageError } from '../../../core/errors.js';
import type { ProfileValues } from '../../../config/profileValues.js';
import { resolveRegion } from '../../../config/resolveRegion.js';
import { parseCiName } from '../../../flows/webIdentity/ciName.js';
import { loginWithWebIdentity } from '../../../flows/webIdentity/login.js';
import { nodeTokenSourceDeps } from '../../../flows/webIdentity/nodeTokenSourceDeps.js';
import { tokenSpecOf } from '../../../flows/webIdentity/profileProvider.js';
import type { TokenSourceSpec } from '../../../flows/webIdentity/tokenSource.js';
import type { CliContext } from '../../context.js';
import { deliver } from '../../deliver.js';
import { namedProfileValues } from '../../profileCredentials.js';
import { parseDuration } from '../../parseOptions.js';

export interface WebIdentityOptions {
  roleArn?: string;
  tokenFile?: string;
  tokenEnv?: string;
  tokenStdin?: boolean;
  ci?: string;
  audience?: string;
  roleSessionName?: string;
  duration?: string;
  chainRoleArn?: string[];
  output: string;
  format?: string;
}

function tokenSpec(options: WebIdentityOptions, env: NodeJS.ProcessEnv, profile: ProfileValues | undefined): TokenSourceSpec {
  if (options.tokenFile) return { kind: 'file', path: options.tokenFile };
  if (options.ci) return { kind: 'ci', ci: parseCiName(options.ci), tokenEnv: options.tokenEnv };
  if (options.tokenEnv) return { kind: 'env', name: options.tokenEnv };
  if (options.tokenStdin) return { kind: 'stdin' };
  if (profile) return tokenSpecOf(profile, env);
  // The SDKs' own convention, so fedlogin works unchanged in EKS pods.
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) return { kind: 'file', path: env.AWS_WEB_IDENTITY_TOKEN_FILE };
  throw usageError(
    'TOKEN_SOURCE_MISSING',
    'No token source: give --token-file, --token-env, --token-stdin or --ci.',
    'In a CI job, --ci auto finds the token the way that CI documents it.',
  );
}

export async function runWebIdentity(options: WebIdentityOptions, context: CliContext): Promise<void> {
  const { env, logger } = context;
  const profile = namedProfileValues(context);
  const roleArnValue = options.roleArn ?? env.AWS_ROLE_ARN ?? profile?.string('fedlogin_role_arn');
  if (!roleArnValue) {
    throw usageError(
      'ROLE_ARN_MISSING',
      'No role to assume: pass --role-arn, set AWS_ROLE_ARN, or set fedlogin_role_arn in the profile.',
      'Example: fedlogin web-identity --ci auto --role-arn arn:aws:iam::123456789012:role/ci',
    );
  }
  const role = parseRoleArn(roleArnValue, options.roleArn ? '--role-arn' : env.AWS_ROLE_ARN ? 'AWS_ROLE_ARN' : 'fedlogin_role_arn');
  const spec = tokenSpec(options, env, profile);
  const durationSeconds = options.duration ? parseDuration(options.duration) : profile?.seconds('fedlogin_duration', 900, 43_200);
  const region = resolveRegion({ flag: context.region, env, profile: profile?.string('region'), partition: role.partition });
  const sts = await createSts({ region, endpoint: stsEndpointFor(region, env), logger });
  const credentials = await loginWithWebIdentity(
    {
      roleArn: role.arn,
      token: spec,
      audience: options.audience ?? profile?.string('fedlogin_audience'),
      roleSessionName: options.roleSessionName ?? (env.AWS_ROLE_SESSION_NAME || undefined) ?? profile?.string('fedlogin_role_session_name'),
      durationSeconds,
      chainRoleArns: options.chainRoleArn ?? profile?.list('fedlogin_chain_role_arn'),
    },
    { sts, tokenSources: nodeTokenSourceDeps(env), logger, clock: systemClock },
  );
  await deliver(credentials, { output: options.output, format: options.format, region }, context);
}
