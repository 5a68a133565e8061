import { parseRoleArn } from '../../../aws/arn.js';
import { partitionByName, partitionOfRegion } from '../../../aws/partition.js';
import { profileKeyError } from '../../../config/profileErrors.js';
import { ProfileValues, STORE_CHOICES, type FlowName } from '../../../config/profileValues.js';
import { resolveRegion } from '../../../config/resolveRegion.js';
import { FedloginError } from '../../../core/errors.js';
import { resolveCognitoSettings } from '../../../flows/cognito/resolveSettings.js';
import { resolveOidcSettings } from '../../../flows/oidc/resolveSettings.js';
import { parseAccountAliases } from '../../../flows/saml/accountAliases.js';
import { compileAcsPattern } from '../../../flows/saml/acsUrl.js';
import { parseSsoUrl } from '../../../flows/saml/ssoUrl.js';
import { tokenSpecOf } from '../../../flows/webIdentity/profileProvider.js';
import type { TokenSourceSpec } from '../../../flows/webIdentity/tokenSource.js';
import { fail, ok, type Check } from './check.js';

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
export function checkFlowSettings(values: ProfileValues, env: NodeJS.ProcessEnv, regionFlag: string | undefined): SettingsResult {
  const profile = values.name;
  const configure = `fedlogin configure --profile ${profile}`;
  try {
    const flow = values.flow();
    if (!flow) {
      return { check: fail('settings', `${values.profile.file} [${values.profile.section}] has no fedlogin_flow.`, `Run: ${configure}`, profile) };
    }
    values.choice('fedlogin_store', STORE_CHOICES);
    values.seconds('fedlogin_refresh_window', 0, 43_200);
    values.boolean('fedlogin_write_credentials');
    const targets = settingsOf(flow, values, env);
    // cognito's region is its pool's; the others follow the role's partition
    const partition = targets.roleArn ? parseRoleArn(targets.roleArn).partition : targets.region ? partitionOfRegion(targets.region) : partitionByName('aws')!;
    if (flow !== 'cognito') targets.region = resolveRegion({ flag: regionFlag, env, profile: values.string('region'), partition });
    targets.audience ??= partition.stsAudience;
    const role = targets.roleArn ? `, role ${targets.roleArn}` : '';
    return { check: ok('settings', `${flow} settings are complete and valid (region ${targets.region}${role}).`, profile), targets };
  } catch (error) {
    if (!(error instanceof FedloginError)) throw error;
    return { check: fail('settings', error.message, error.hint ?? `Fix the profile, or run: ${configure}`, profile) };
  }
}

function settingsOf(flow: FlowName, values: ProfileValues, env: NodeJS.ProcessEnv): FlowTargets {
  switch (flow) {
    case 'web-identity': {
      const roleArn = values.parsed('fedlogin_role_arn', (v) => parseRoleArn(v, 'fedlogin_role_arn').arn) ?? (env.AWS_ROLE_ARN ? parseRoleArn(env.AWS_ROLE_ARN, 'AWS_ROLE_ARN').arn : undefined);
      if (!roleArn) throw profileKeyError(values.profile, 'fedlogin_role_arn', 'is missing.', 'Add fedlogin_role_arn = arn:aws:iam::ACCOUNT:role/NAME to the profile.');
      values.seconds('fedlogin_duration', 900, 43_200);
      values.list('fedlogin_chain_role_arn').forEach((arn) => parseRoleArn(arn, 'fedlogin_chain_role_arn'));
      return { flow, region: '', roleArn, token: tokenSpecOf(values, env), audience: values.string('fedlogin_audience') };
    }
    case 'saml': {
      const idpUrl = values.string('fedlogin_idp_url');
      if (!idpUrl) throw profileKeyError(values.profile, 'fedlogin_idp_url', "is missing: set it to the AWS app's IdP-initiated sign-on URL.");
      values.parsed('fedlogin_idp_url', (v) => parseSsoUrl(v, 'fedlogin_idp_url'));
      values.parsed('fedlogin_acs_url_pattern', compileAcsPattern);
      values.parsed('fedlogin_account_aliases', (v) => parseAccountAliases(v));
      values.choice('fedlogin_browser_mode', ['auto', 'headed', 'headless']);
      values.seconds('fedlogin_login_timeout', 10, 3600);
      values.seconds('fedlogin_silent_timeout', 1, 120);
      values.seconds('fedlogin_duration', 900, 43_200);
      const roleArn = values.parsed('fedlogin_role_arn', (v) => parseRoleArn(v, 'fedlogin_role_arn').arn);
      return { flow, region: '', roleArn, idpUrl, browser: values.string('fedlogin_browser') };
    }
    case 'oidc': {
      const settings = resolveOidcSettings({}, values, env, { label: `Profile ${values.name}`, signInCommand: `fedlogin login --profile ${values.name}` });
      return { flow, region: '', roleArn: settings.roleArn, issuer: settings.issuer.url.href };
    }
    case 'cognito': {
      const settings = resolveCognitoSettings({}, values);
      return { flow, region: settings.pool.region, roleArn: settings.basic?.roleArn };
    }
  }
}
