import { createHash } from 'node:crypto';
import { isRegionName } from '../../aws/partition.js';
import type { ProfileValues } from '../../config/profileValues.js';
import { usageError } from '../../core/errors.js';
import { idpTransport } from '../../core/idpUrl.js';
import { readAwsFile } from '../../store/awsFileRead.js';
import { configFilePath } from '../../store/awsPaths.js';
import { getSection } from '../../store/iniDocument.js';
import { DEFAULT_SSO_SCOPES, type SsoRoleSettings, type SsoSession } from './settings.js';

const ACCOUNT_SHAPE = /^\d{12}$/;

export const sha1Hex = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex');

/** An AWS access portal URL: https (http only on loopback). `origin` names where it came from. */
export function parseStartUrl(value: string, origin: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const transport = url ? idpTransport(url) : 'other';
  if (transport !== 'https' && transport !== 'loopback-http') {
    throw usageError('SSO_SETTINGS_INVALID', `${origin} "${value}" is not an https:// URL.`, {
      hint: 'Copy the AWS access portal URL from the IAM Identity Center console, e.g. https://my-company.awsapps.com/start',
    });
  }
  return value;
}

function startUrlOf(value: string | undefined, where: string): string {
  if (!value) {
    throw usageError('SSO_SETTINGS_MISSING', `${where} has no sso_start_url.`, {
      hint: 'Example: sso_start_url = https://my-company.awsapps.com/start',
    });
  }
  return parseStartUrl(value, `${where}: sso_start_url`);
}

function regionOf(value: string | undefined, where: string): string {
  if (!value) {
    throw usageError('SSO_SETTINGS_MISSING', `${where} has no sso_region.`, {
      hint: 'Set sso_region to the region of your IAM Identity Center instance, e.g. sso_region = eu-west-1',
    });
  }
  if (!isRegionName(value)) {
    throw usageError('SSO_SETTINGS_INVALID', `${where}: sso_region "${value}" is not an AWS region.`, {
      hint: 'Example: sso_region = eu-west-1',
    });
  }
  return value;
}

/** `fedlogin sso login --sso-session NAME`: the words people are told to run. */
export const ssoLoginCommand = (name: string) => `fedlogin sso login --sso-session ${name}`;

/**
 * An [sso-session NAME] of the AWS config file, as the AWS CLI reads it: sso_start_url,
 * sso_region and sso_registration_scopes (default sso:account:access).
 */
export function resolveSsoSession(env: NodeJS.ProcessEnv, name: string): SsoSession {
  const file = configFilePath(env);
  const section = getSection(readAwsFile(file), `sso-session ${name}`);
  if (!section) {
    throw usageError('SSO_SESSION_NOT_FOUND', `No [sso-session ${name}] in ${file}.`, {
      hint: `Create it with: fedlogin configure --flow sso --sso-session ${name} --sso-start-url URL --sso-region REGION`,
    });
  }
  const where = `${file} [sso-session ${name}]`;
  const scopes = (section.sso_registration_scopes ?? '').split(/[\s,]+/).filter(Boolean);
  return {
    name,
    startUrl: startUrlOf(section.sso_start_url?.trim(), where),
    region: regionOf(section.sso_region?.trim(), where),
    scopes: scopes.length ? scopes : DEFAULT_SSO_SCOPES,
    cacheKey: sha1Hex(name),
    label: `sso-session ${name}`,
    signInCommand: ssoLoginCommand(name),
  };
}

/** The session of a profile: its sso_session, or (legacy) its own sso_start_url and sso_region. */
export function resolveProfileSession(env: NodeJS.ProcessEnv, profile: ProfileValues): SsoSession {
  const sessionName = profile.string('sso_session');
  if (sessionName) return resolveSsoSession(env, sessionName);
  const where = `${profile.profile.file} [${profile.profile.section}]`;
  const startUrl = profile.string('sso_start_url');
  if (!startUrl) {
    throw usageError('SSO_SETTINGS_MISSING', `${where} has neither sso_session nor sso_start_url.`, {
      hint: 'Name the sign-in with sso_session = NAME (an [sso-session NAME] section).',
    });
  }
  return {
    name: undefined,
    startUrl: startUrlOf(startUrl, where),
    region: regionOf(profile.string('sso_region'), where),
    scopes: DEFAULT_SSO_SCOPES,
    cacheKey: sha1Hex(startUrl),
    label: `profile ${profile.name}`,
    signInCommand: `fedlogin sso login --profile ${profile.name}`,
  };
}

/** An SSO profile: its session, sso_account_id and sso_role_name. */
export function resolveSsoRole(env: NodeJS.ProcessEnv, profile: ProfileValues): SsoRoleSettings {
  const where = `${profile.profile.file} [${profile.profile.section}]`;
  const accountId = profile.string('sso_account_id');
  const roleName = profile.string('sso_role_name');
  if (!accountId || !roleName) {
    throw usageError('SSO_SETTINGS_MISSING', `${where} needs sso_account_id and sso_role_name.`, {
      hint: `List what you are granted and write profiles for it: fedlogin sso sync --sso-session NAME`,
    });
  }
  if (!ACCOUNT_SHAPE.test(accountId)) {
    throw usageError('SSO_SETTINGS_INVALID', `${where}: sso_account_id "${accountId}" is not a 12-digit account id.`);
  }
  return { session: resolveProfileSession(env, profile), accountId, roleName };
}
