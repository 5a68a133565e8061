import { cognitoEndpointFor, createCognito } from '../../aws/cognitoClient.js';
import { createSts } from '../../aws/stsClient.js';
import { stsEndpointFor } from '../../aws/stsEndpoint.js';
import type { Clock } from '../../core/clock.js';
import { usageError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { readTokenInput } from '../../core/readCapped.js';
import type { SecretStore } from '../../store/secretStore.js';
import { nodeOidcSignInDeps } from '../oidc/nodeOidcDeps.js';
import type { CognitoLoginDeps } from './login.js';
import type { CognitoSettings } from './settings.js';

export interface NodeCognitoDepsInput {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  clock: Clock;
  identityIds: SecretStore;
  /** --region: the pool's region is fixed by its ID, so another one is an error */
  regionFlag?: string | undefined;
  /** the profile's ca_bundle key */
  profileCaBundle?: string | undefined;
  /** an OIDC login: a person can be asked to sign in */
  interactive: boolean;
  /** an OIDC login: try its stored refresh token before asking anyone */
  silentFirst: boolean;
}

/**
 * The real dependencies of the Cognito flow: the Cognito client in the pool's region (the region
 * is part of the pool ID), STS in the same region for the basic flow, token files from disk, and
 * for an OIDC login the sign-in's (its refresh token kept in the same store as the IdentityId).
 */
export async function nodeCognitoDeps(
  settings: CognitoSettings,
  input: NodeCognitoDepsInput,
): Promise<CognitoLoginDeps & { region: string }> {
  const { env, logger } = input;
  const region = settings.pool.region;
  if (input.regionFlag && input.regionFlag.trim() !== region) {
    throw usageError(
      'COGNITO_REGION_CONFLICT',
      `--region ${input.regionFlag} conflicts with the identity pool ${settings.pool.id}, which is in ${region}.`,
      { hint: "Drop --region: Cognito is always called in the pool's region." },
    );
  }
  const caBundle = input.profileCaBundle;
  const cognito = await createCognito({ region, endpoint: cognitoEndpointFor(region, env), logger, caBundle });
  return {
    region,
    cognito,
    sts: () => createSts({ region, endpoint: stsEndpointFor(region, env), logger, caBundle }),
    identityIds: input.identityIds,
    readFile: readTokenInput,
    logger,
    clock: input.clock,
    oidc: settings.oidc
      ? nodeOidcSignInDeps({
          env,
          logger,
          secrets: input.identityIds,
          interactive: input.interactive,
          silentFirst: input.silentFirst,
          profileCaBundle: caBundle,
          browser: settings.oidc.signIn.browser,
        })
      : undefined,
  };
}
