import { parseRoleArn } from '../../../aws/arn.js';
import { partitionByName, partitionOfRegion } from '../../../aws/partition.js';
import { REFRESH_WINDOW_SECONDS } from '../../../config/cachePolicy.js';
import { type FlowName, type ProfileValues, STORE_CHOICES } from '../../../config/profileValues.js';
import { resolveRegion } from '../../../config/resolveRegion.js';
import { isFedloginError } from '../../../core/errors.js';
import { resolveCognitoSettings } from '../../../flows/cognito/resolveSettings.js';
import { profileSignIn, resolveOidcSettings } from '../../../flows/oidc/resolveSettings.js';
import { resolveSamlSettings } from '../../../flows/saml/resolveSettings.js';
import { parseSsoUrl } from '../../../flows/saml/ssoUrl.js';
import { resolveSsoRole } from '../../../flows/sso/resolveSettings.js';
import { resolveWebIdentitySettings } from '../../../flows/webIdentity/resolveSettings.js';
import type { TokenSourceSpec } from '../../../flows/webIdentity/tokenSource.js';
import { type Check, fail, ok } from './check.js';

/** What the later checks need from valid settings: where the IdP and STS are, and the token. */
export interface FlowTargets {
  flow: FlowName;
  region: string;
  roleArn?: string | undefined;
  issuer?: string | undefined;
  idpUrl?: string | undefined;
  browser?: string | undefined;
  token?: TokenSourceSpec | undefined;
  audience?: string | undefined;
}

export interface SettingsResult {
  check: Check;
  targets?: FlowTargets;
}

/**
 * The profile's flow settings, validated by the same parsers its login uses, so doctor refuses
 * exactly what the login would. Pure apart from the environment it is given.
 */
export function checkFlowSettings(
  values: ProfileValues,
  env: NodeJS.ProcessEnv,
  regionFlag: string | undefined,
): SettingsResult {
  const profile = values.name;
  const configure = `fedlogin configure --profile ${profile}`;
  try {
    const flow = values.flow();
    if (!flow) {
      return {
        check: fail(
          'settings',
          `${values.profile.file} [${values.profile.section}] has no fedlogin_flow.`,
          `Run: ${configure}`,
          profile,
        ),
      };
    }
    values.choice('fedlogin_store', STORE_CHOICES);
    values.seconds('fedlogin_refresh_window', REFRESH_WINDOW_SECONDS);
    values.boolean('fedlogin_write_credentials');
    const targets = settingsOf(flow, values, env);
    // cognito's region is its pool's; the others follow the role's partition
    const partition = targets.roleArn
      ? parseRoleArn(targets.roleArn).partition
      : targets.region
        ? partitionOfRegion(targets.region)
        : partitionByName('aws')!;
    if (flow !== 'cognito')
      targets.region = resolveRegion({ flag: regionFlag, env, profile: values.string('region'), partition });
    targets.audience ??= partition.stsAudience;
    const role = targets.roleArn ? `, role ${targets.roleArn}` : '';
    return {
      check: ok('settings', `${flow} settings are complete and valid (region ${targets.region}${role}).`, profile),
      targets,
    };
  } catch (error) {
    if (!isFedloginError(error)) throw error;
    return { check: fail('settings', error.message, error.hint ?? `Fix the profile, or run: ${configure}`, profile) };
  }
}

function settingsOf(flow: FlowName, values: ProfileValues, env: NodeJS.ProcessEnv): FlowTargets {
  switch (flow) {
    case 'web-identity': {
      const settings = resolveWebIdentitySettings({}, values, env);
      return { flow, region: '', roleArn: settings.roleArn, token: settings.token, audience: settings.audience };
    }
    case 'saml': {
      const settings = resolveSamlSettings({}, values);
      // doctor is stricter than a login here: https, or http on loopback only
      values.parsed('fedlogin_idp_url', (v) => parseSsoUrl(v, 'fedlogin_idp_url'));
      return { flow, region: '', roleArn: settings.roleArn, idpUrl: settings.idpUrl, browser: settings.browser };
    }
    case 'oidc': {
      const settings = resolveOidcSettings({}, values, env, profileSignIn(values));
      return { flow, region: '', roleArn: settings.roleArn, issuer: settings.issuer.url.href };
    }
    case 'cognito': {
      const settings = resolveCognitoSettings({}, values);
      return { flow, region: settings.pool.region, roleArn: settings.basic?.roleArn };
    }
    case 'sso': {
      const role = resolveSsoRole(env, values);
      return { flow, region: role.session.region };
    }
  }
}
