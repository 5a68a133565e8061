import { parseRoleArn } from '../../aws/arn.js';
import { stsEndpointFor } from '../../aws/stsEndpoint.js';
import { createSts } from '../../aws/stsClient.js';
import { systemClock } from '../../core/clock.js';
import { usageError } from '../../core/errors.js';
import { resolveRegion } from '../../config/resolveRegion.js';
import { parseCiName } from '../../flows/webIdentity/ciName.js';
import { loginWithWebIdentity } from '../../flows/webIdentity/login.js';
import { nodeTokenSourceDeps } from '../../flows/webIdentity/nodeTokenSourceDeps.js';
import type { TokenSourceSpec } from '../../flows/webIdentity/tokenSource.js';
import type { CliContext } from '../context.js';
import { deliver } from '../deliver.js';
import { parseDuration } from '../parseOptions.js';
import type { WebIdentityOptions } from './webIdentity.js';

function tokenSpec(options: WebIdentityOptions, env: NodeJS.ProcessEnv): TokenSourceSpec {
  if (options.tokenFile) return { kind: 'file', path: options.tokenFile };
  if (options.ci) return { kind: 'ci', ci: parseCiName(options.ci), tokenEnv: options.tokenEnv };
  if (options.tokenEnv) return { kind: 'env', name: options.tokenEnv };
  if (options.tokenStdin) return { kind: 'stdin' };
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
  const roleArnValue = options.roleArn ?? env.AWS_ROLE_ARN;
  if (!roleArnValue) {
    throw usageError(
      'ROLE_ARN_MISSING',
      'No role to assume: pass --role-arn, set AWS_ROLE_ARN, or set fedlogin_role_arn in the profile.',
      'Example: fedlogin web-identity --ci auto --role-arn arn:aws:iam::123456789012:role/ci',
    );
  }
  const role = parseRoleArn(roleArnValue, options.roleArn ? '--role-arn' : 'AWS_ROLE_ARN');
  const spec = tokenSpec(options, env);
  const durationSeconds = options.duration ? parseDuration(options.duration) : undefined;
  const region = resolveRegion({ flag: context.region, env, partition: role.partition });
  const sts = await createSts({ region, endpoint: stsEndpointFor(region, env), logger });
  const credentials = await loginWithWebIdentity(
    {
      roleArn: role.arn,
      token: spec,
      audience: options.audience,
      roleSessionName: options.roleSessionName ?? (env.AWS_ROLE_SESSION_NAME || undefined),
      durationSeconds,
      chainRoleArns: options.chainRoleArn,
    },
    { sts, tokenSources: nodeTokenSourceDeps(env), logger, clock: systemClock },
  );
  await deliver(credentials, { output: options.output, format: options.format, region }, context);
}
