import { systemClock } from '../../../core/clock.js';
import { openProfileStore } from '../../../flows/cachedLogin.js';
import { loginWithCognito } from '../../../flows/cognito/login.js';
import { nodeCognitoDeps } from '../../../flows/cognito/nodeCognitoDeps.js';
import { resolveCognitoSettings } from '../../../flows/cognito/resolveSettings.js';
import type { CliContext } from '../../context.js';
import { deliver } from '../../deliver.js';
import { directProfile, givenFlags, throughChain } from '../../directChain.js';

export interface CognitoOptions {
  identityPoolId?: string;
  login?: string[];
  guest?: boolean;
  basic?: boolean;
  roleArn?: string;
  customRoleArn?: string;
  roleSessionName?: string;
  duration?: string;
  issuer?: string;
  clientId?: string;
  scope?: string;
  /** only when typed: --device or --no-device (else the profile's setting applies) */
  device?: boolean | undefined;
  browser?: boolean;
  prompt?: string;
  timeout?: string;
  output?: string;
  format?: string;
}

/** Flags that change what the sign-in gets: with a chained --profile, its hops then are not cached. */
const SIGN_IN_FLAGS = {
  identityPoolId: '--identity-pool-id',
  login: '--login',
  guest: '--guest',
  basic: '--basic',
  roleArn: '--role-arn',
  customRoleArn: '--custom-role-arn',
  roleSessionName: '--role-session-name',
  duration: '--duration',
  issuer: '--issuer',
  clientId: '--client-id',
  scope: '--scope',
};

/**
 * `fedlogin cognito`: flags, with the named profile's fedlogin_* keys filling what they leave
 * out. Logs in afresh (the credential cache is credential-process's business), an OIDC login with
 * a new sign-in whose refresh token is saved for profiles to renew with; the IdentityId is
 * remembered in the profile's secret store. A chained profile's hops follow the sign-in
 * (directChain.ts).
 */
export async function runCognito(options: CognitoOptions, context: CliContext): Promise<void> {
  const { env, logger } = context;
  const direct = directProfile(context, 'cognito');
  const profile = direct.values;
  const profileSettings = profile?.profile;
  const settings = resolveCognitoSettings(
    {
      identityPoolId: options.identityPoolId,
      login: options.login,
      guest: options.guest,
      basic: options.basic,
      roleArn: options.roleArn,
      customRoleArn: options.customRoleArn,
      roleSessionName: options.roleSessionName,
      duration: options.duration,
      issuer: options.issuer,
      clientId: options.clientId,
      scope: options.scope,
      device: options.device,
      browser: options.browser,
      prompt: options.prompt,
      timeout: options.timeout,
    },
    profile,
    env,
  );
  const identityIds = await openProfileStore(profileSettings, env);
  // like fedlogin oidc, an OIDC login here is a fresh sign-in by a person (its refresh token is saved for profiles)
  const deps = await nodeCognitoDeps(settings, {
    env,
    logger,
    clock: systemClock,
    identityIds,
    regionFlag: context.region,
    interactive: true,
    silentFirst: false,
  });
  const credentials = await throughChain(
    direct,
    await loginWithCognito(settings, deps),
    { overrides: givenFlags(options, SIGN_IN_FLAGS) },
    context,
  );
  await deliver(credentials, { output: options.output, format: options.format, region: deps.region }, context);
}
