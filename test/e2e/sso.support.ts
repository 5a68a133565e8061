import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { SsoAccount, SsoEndpoint } from '../support/aws/ssoEndpoint.js';
import { runCli } from '../support/cli/runCli.js';
import { profileSection } from '../support/harness/builders.js';

/**
 * Shared by the IAM Identity Center e2e files (sso, sso.status, sso.network): the session `corp`,
 * its accounts and profiles, the device sign-in through the built CLI, and the token cache file
 * the AWS CLI and fedlogin share.
 */

export const SESSION = 'corp';
export const START_URL = 'https://example-corp.awsapps.com/start';
export const SSO_REGION = 'eu-west-1';
export const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
export const CACHE_NAME = `${sha1(SESSION)}.json`;

/** Three accounts; pages of two, so ListAccounts pages. */
export const sampleAccounts = (): SsoAccount[] => [
  { accountId: '111111111111', accountName: 'Prod Account', roles: ['ReadOnly', 'Admin'] },
  { accountId: '222222222222', accountName: 'dev', roles: ['Developer'] },
  { accountId: '333333333333', accountName: 'sandbox', roles: ['Developer', 'Admin'] },
];

export function sessionSection(options: { name?: string; startUrl?: string; region?: string } = {}): string[] {
  return [
    `[sso-session ${options.name ?? SESSION}]`,
    `sso_start_url = ${options.startUrl ?? START_URL}`,
    `sso_region = ${options.region ?? SSO_REGION}`,
    'sso_registration_scopes = sso:account:access',
  ];
}

export const ssoProfile = (
  name: string,
  accountId = '111111111111',
  roleName = 'ReadOnly',
  more: Record<string, string> = {},
) =>
  profileSection(name, {
    sso_session: SESSION,
    sso_account_id: accountId,
    sso_role_name: roleName,
    region: SSO_REGION,
    ...more,
  });

/** ~/.aws/sso/cache/<name> in `home`. */
export const tokenCacheFile = (home: string, name = CACHE_NAME) => path.join(home, '.aws', 'sso', 'cache', name);

export const readTokenCache = async (home: string, name = CACHE_NAME) =>
  JSON.parse(await readFile(tokenCacheFile(home, name), 'utf8')) as Record<string, string>;

/** `fedlogin sso login --device` (the stand-in approves by itself); `args` name the session. */
export async function deviceLogin(
  home: string,
  env: Record<string, string | undefined>,
  args: string[] = ['--sso-session', SESSION],
) {
  const result = await runCli(['sso', 'login', ...args, '--device'], {
    env: { HOME: home, ...env },
    timeoutMs: 60_000,
  });
  expect(result.stderr).toMatch(/enter the code:\s+[0-9A-F]{4}-[0-9A-F]{4}/);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

/** Moves the cached token's expiry into the past, as time would, and ends it at the stand-in too. */
export async function expireCachedToken(home: string, sso: SsoEndpoint) {
  const cache = await readTokenCache(home);
  cache.expiresAt = '2020-01-01T00:00:00Z';
  await writeFile(tokenCacheFile(home), JSON.stringify(cache));
  sso.expireAccessTokens();
}
