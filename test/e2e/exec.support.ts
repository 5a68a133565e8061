import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { profileCacheKey } from '../../src/config/profileCacheKey.js';
import { loadProfile } from '../../src/config/profileSettings.js';
import { readCachedCredentials, writeCachedCredentials } from '../../src/store/credentialCache.js';
import { createFileStore } from '../../src/store/fileStore.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { hermeticEnv, makeTempHome, type TempHome } from '../support/cli/runCli.js';
import { flowSettings, profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { forSuite } from '../support/harness/suite.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

/**
 * Shared by the env, exec, serve and console e2e tests: a web-identity profile `dev` in a fresh
 * HOME, whose flow exchanges a token from a local issuer at the local STS double, with the file
 * store. Nothing here talks beyond 127.0.0.1.
 */

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/dev';
export const PROFILE = 'dev';

export interface WebIdentityProfile {
  home: TempHome;
  sts: StsEndpoint;
  issuer: TokenIssuer;
  /** overrides for runCli (HOME, FEDLOGIN_STORE=file, AWS_ENDPOINT_URL_STS) */
  env: Record<string, string>;
  /** the full environment the CLI sees (hermeticEnv over `env`) */
  fullEnv: Record<string, string>;
  close(): Promise<void>;
}

export interface WebIdentityProfileOptions {
  /** fedlogin_duration; the refresh window is at most half of it */
  durationSeconds?: number;
  /** more lines for [profile dev] */
  extraConfig?: string;
  roleArn?: string;
  /** the profile's region key (default us-east-1) */
  region?: string;
}

export async function startWebIdentityProfile(opts: WebIdentityProfileOptions = {}): Promise<WebIdentityProfile> {
  const roleArn = opts.roleArn ?? ROLE_ARN;
  const home = await makeTempHome();
  const issuer = await startTokenIssuer();
  const sts = await startStsEndpoint({
    roles: {
      [roleArn]: { trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'] }, maxSessionDuration: 43_200 },
    },
  });
  const tokenFile = path.join(home.home, 'token');
  await writeFile(
    tokenFile,
    await issuer.sign(
      { sub: 'repo:example/app:ref:refs/heads/main', aud: 'sts.amazonaws.com' },
      { expiresInSeconds: 3600 },
    ),
    { mode: 0o600 },
  );
  const section = profileSection(PROFILE, {
    ...flowSettings.webIdentity({ roleArn, tokenFile }),
    region: opts.region ?? 'us-east-1',
    fedlogin_duration: opts.durationSeconds,
  });
  await writeAwsConfig(home, [...section, ...(opts.extraConfig ? [opts.extraConfig] : [])]);
  const env = { ...home.env, FEDLOGIN_STORE: 'file', AWS_ENDPOINT_URL_STS: sts.url };
  return {
    home,
    sts,
    issuer,
    env,
    fullEnv: hermeticEnv(home.home, env),
    async close() {
      await Promise.allSettled([sts.close(), issuer.close()]);
      await home.cleanup();
    },
  };
}

/**
 * Makes the cached entry of the profile look close to expiry (through the store API, as another
 * fedlogin process would see it), so the next lookup refreshes through the flow. Returns the
 * access key id of the entry it aged.
 */
export async function ageCachedCredentials(setup: WebIdentityProfile, secondsLeft = 60): Promise<string> {
  const profile = loadProfile(setup.fullEnv, PROFILE);
  if (!profile) throw new Error('profile dev is missing');
  const key = profileCacheKey(profile, setup.fullEnv);
  const store = createFileStore({ env: setup.fullEnv });
  const cached = await readCachedCredentials(store, key);
  if (!cached) throw new Error('no cached credentials for profile dev');
  // as if an hour-long session had been running for (3600 - secondsLeft) s
  const expiration = new Date(Date.now() + secondsLeft * 1000);
  await writeCachedCredentials(store, key, {
    ...cached,
    expiration,
    obtainedAt: new Date(expiration.getTime() - 3600_000),
  });
  return cached.accessKeyId;
}

/** startWebIdentityProfile for the describe block this is called in (beforeAll / afterAll); read it inside the tests. */
export function webIdentityProfileForSuite(opts: WebIdentityProfileOptions = {}): WebIdentityProfile {
  return forSuite(
    'the web-identity profile',
    () => startWebIdentityProfile(opts),
    (setup) => setup.close(),
  );
}
