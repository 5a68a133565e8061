import { loadProfile } from '../../config/profileSettings.js';
import { ProfileValues } from '../../config/profileValues.js';
import { systemClock } from '../../core/clock.js';
import { openProfileStore } from '../../flows/cachedLogin.js';
import { loginWithCognito } from '../../flows/cognito/login.js';
import { nodeCognitoDeps } from '../../flows/cognito/nodeCognitoDeps.js';
import { resolveCognitoSettings } from '../../flows/cognito/resolveSettings.js';
import type { CliContext } from '../context.js';
import { deliver } from '../deliver.js';
import { parseDuration } from '../parseOptions.js';
import type { CognitoOptions } from './cognito.js';

/**
 * `fedlogin cognito`: flags, with the named profile's fedlogin_* keys filling what they leave
 * out. Logs in afresh (the credential cache is credential-process's business); the IdentityId is
 * remembered in the profile's secret store.
 */
export async function runCognito(options: CognitoOptions, context: CliContext): Promise<void> {
  const { env, logger } = context;
  const profileSettings = context.profile ? loadProfile(env, context.profile) : undefined;
  const profile = profileSettings ? new ProfileValues(profileSettings) : undefined;
  const settings = resolveCognitoSettings(
    {
      identityPoolId: options.identityPoolId,
      login: options.login,
      guest: options.guest,
      basic: options.basic,
      roleArn: options.roleArn,
      customRoleArn: options.customRoleArn,
      roleSessionName: options.roleSessionName,
      durationSeconds: options.duration ? parseDuration(options.duration) : undefined,
    },
    profile,
  );
  const identityIds = await openProfileStore(profileSettings, env);
  const deps = await nodeCognitoDeps(settings, { env, logger, clock: systemClock, identityIds, regionFlag: context.region });
  const credentials = await loginWithCognito(settings, deps);
  await deliver(credentials, { output: options.output, format: options.format, region: deps.region }, context);
}
