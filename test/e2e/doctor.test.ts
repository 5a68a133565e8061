import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { FEDLOGIN_BIN } from '../support/cli/spawnCli.js';
import {
  awsConfigText,
  flowSettings,
  type ProfileSettings,
  profileSection,
  writeAwsConfig,
} from '../support/harness/builders.js';
import { type LoopbackServer, startLoopbackServer } from '../support/harness/loopbackServer.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

const ROLE = 'arn:aws:iam::123456789012:role/ci';
const STATIC_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

interface JsonCheck {
  id: string;
  profile: string | null;
  status: 'ok' | 'warn' | 'fail';
  message: string;
  fix: string | null;
  /** a chained profile's chain check only */
  chain?: unknown;
}

let issuer: TokenIssuer;
let sts: StsEndpoint;
let sso: LoopbackServer;
const homes: TempHome[] = [];

beforeAll(async () => {
  issuer = await startTokenIssuer();
  sts = await startStsEndpoint({
    roles: { [ROLE]: { trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'] } } },
  });
  // an IdP's IdP-initiated SSO URL answers with a redirect to its login page
  sso = await startLoopbackServer((_req, res) => {
    res.writeHead(302, { location: '/login' });
    res.end();
  });
});

afterAll(async () => {
  await Promise.all([sts?.close(), issuer?.close(), sso?.close()]);
  await Promise.all(homes.map((h) => h.cleanup()));
});

async function homeWith(config: string): Promise<TempHome> {
  const home = await makeTempHome();
  homes.push(home);
  await writeFile(home.awsConfigFile, config);
  return home;
}

async function tokenFileIn(home: TempHome): Promise<string> {
  const file = path.join(home.home, 'token.jwt');
  await writeFile(
    file,
    await issuer.sign(
      { sub: 'repo:octo/app:ref:refs/heads/main', aud: 'sts.amazonaws.com' },
      { expiresInSeconds: 600 },
    ),
    { mode: 0o600 },
  );
  return file;
}

const env = (home: TempHome) => ({ ...home.env, AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: 'us-east-1' });

/** The environment with a `fedlogin` on PATH that is this checkout (as after an install), so the bare line runs. */
async function withFedloginOnPath(home: TempHome): Promise<Record<string, string>> {
  const bin = path.join(home.home, 'bin');
  await mkdir(bin);
  await symlink(FEDLOGIN_BIN, path.join(bin, 'fedlogin'));
  return { ...env(home), PATH: `${bin}${path.delimiter}${process.env.PATH ?? '/usr/bin:/bin'}` };
}

function find(checks: JsonCheck[], id: string, profile: string | null = null): JsonCheck {
  const found = checks.find((c) => c.id === id && c.profile === profile);
  if (!found) throw new Error(`no check ${id} for ${profile}: ${JSON.stringify(checks, null, 2)}`);
  return found;
}

/** A profile with the file store and fedlogin's credential_process line, as `fedlogin configure` writes it. */
const fileStoreProfile = (name: string, settings: ProfileSettings) =>
  profileSection(name, { ...settings, fedlogin_store: 'file' }, { credentialProcess: 'installed' });

/** A complete web-identity profile, the good part of both setups below. */
const ciProfile = (token: string) =>
  fileStoreProfile('ci', flowSettings.webIdentity({ roleArn: ROLE, tokenFile: token }));

describe('fedlogin doctor', () => {
  it('reports each problem of a broken setup with its fix, and exits 2', async () => {
    const home = await homeWith('');
    const token = await tokenFileIn(home);
    await writeAwsConfig(
      home,
      ciProfile(token),
      fileStoreProfile('sso', flowSettings.saml({ idpUrl: `${sso.url}/sso`, browser: '/nonexistent/chrome' })),
    );
    await writeFile(
      home.awsCredentialsFile,
      `[ci]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${STATIC_SECRET}\n`,
    );
    await chmod(home.awsCredentialsFile, 0o644);
    sts.setClockSkew(10 * 60_000);
    try {
      const result = await runCli(['doctor', '--json'], { env: env(home) });
      expect(result.code).toBe(2);
      const { checks } = JSON.parse(result.stdout) as { checks: JsonCheck[] };

      const skew = find(checks, 'clock-skew', 'ci');
      expect(skew.status).toBe('fail');
      expect(skew.message).toMatch(/10\.0 min behind STS .*refuse/);
      expect(skew.fix).toMatch(/NTP/);

      const shadow = find(checks, 'shadowing', 'ci');
      expect(shadow.status).toBe('fail');
      expect(shadow.fix).toBe(`Remove the [ci] section from ${home.awsCredentialsFile}, or rename the profile.`);

      const perms = find(checks, 'credentials-permissions');
      expect(perms.status).toBe('fail');
      expect(perms.message).toContain('mode 644');
      expect(perms.fix).toBe(`chmod 600 ${home.awsCredentialsFile}`);

      // `fedlogin` is not on the test's PATH: the AWS tools could not start the bare name
      const line = find(checks, 'credential-process', 'ci');
      expect(line.status).toBe('fail');
      expect(line.message).toContain('"fedlogin", which is not on PATH');

      const browser = find(checks, 'browser', 'sso');
      expect(browser.status).toBe('fail');
      expect(browser.message).toContain('/nonexistent/chrome');
      expect(browser.fix).toMatch(/--browser|Chrome/);

      // what is fine is still said to be fine
      expect(find(checks, 'settings', 'ci').status).toBe('ok');
      expect(find(checks, 'idp-reachable', 'sso').status).toBe('ok');
      expect(find(checks, 'sts-reachable', 'ci').status).toBe('ok');
      const tokenCheck = find(checks, 'web-identity-token', 'ci');
      expect(tokenCheck.status).toBe('ok');
      expect(tokenCheck.message).toContain(`iss=${issuer.url}`);
      expect(tokenCheck.message).toContain('aud=sts.amazonaws.com');
      expect(tokenCheck.message).toContain(ROLE);
      for (const c of checks.filter((c) => c.status !== 'ok')) expect(c.fix, c.id).toBeTruthy();

      expect(result.stdout + result.stderr).not.toContain(STATIC_SECRET);
      for (const t of issuer.issued) expect(result.stdout + result.stderr).not.toContain(t);
    } finally {
      sts.setClockSkew(0);
    }
  });

  it('the table shows each status with its fix under it, in plain text', async () => {
    // a loopback port nobody listens on any more
    const gone = await startLoopbackServer((_req, res) => void res.end());
    const closedUrl = `${gone.url}/sso`;
    await gone.close();
    const home = await homeWith(
      awsConfigText(
        profileSection('sso', {
          ...flowSettings.saml({ idpUrl: closedUrl, browser: '/nonexistent/chrome' }),
          fedlogin_store: 'file',
        }),
      ),
    );
    const result = await runCli(['doctor', '--profile', 'sso'], { env: env(home) });
    expect(result.code).toBe(2);
    expect(result.stdout).not.toContain('\x1b[');
    expect(result.stdout).toMatch(/^FAIL +sso: browser +.*\/nonexistent\/chrome/m);
    expect(result.stdout).toMatch(/^FAIL +sso: idp-reachable +Cannot reach the SSO URL /m);
    expect(result.stdout).toContain(`Cannot reach the SSO URL ${closedUrl} (ECONNREFUSED)`);
    expect(result.stdout).toMatch(/^warn +sso: credential-process .*\n +fix: Run: fedlogin configure --profile sso$/m);
    expect(result.stdout).toMatch(/failed\.\n$/);
  });

  it('a config file the AWS CLI would refuse fails with its line', async () => {
    const home = await homeWith('[profile ci]\nthis line is wrong\n');
    const result = await runCli(['doctor', '--json'], { env: env(home) });
    expect(result.code).toBe(2);
    const { checks } = JSON.parse(result.stdout) as { checks: JsonCheck[] };
    const config = find(checks, 'config-file');
    expect(config.status).toBe('fail');
    expect(config.message).toMatch(/line 2/);
  });

  it('on a good setup every check is ok and the exit code is 0', async () => {
    const home = await homeWith('');
    const token = await tokenFileIn(home);
    await writeAwsConfig(
      home,
      ciProfile(token),
      fileStoreProfile('dev', flowSettings.oidc({ issuer: issuer.url, clientId: 'cli', roleArn: ROLE })),
    );
    const good = await withFedloginOnPath(home);
    // fedlogin's own expiring section in ~/.aws/credentials (0600) is not a shadowing problem
    const login = await runCli(['login', '--profile', 'ci', '--output', 'credentials-file'], { env: good });
    expect(login.code, login.stderr).toBe(0);

    const result = await runCli(['doctor', '--json'], { env: good });
    const { checks } = JSON.parse(result.stdout) as { checks: JsonCheck[] };
    expect(checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(result.code).toBe(0);
    expect(find(checks, 'cached-credentials', 'ci').message).toMatch(/valid until/);
    expect(find(checks, 'idp-reachable', 'dev').message).toContain(issuer.url);
    expect(find(checks, 'clock-skew', 'dev').status).toBe('ok');
    expect(checks.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'config-file',
        'credentials-file',
        'credentials-permissions',
        'settings',
        'credential-process',
        'shadowing',
        'secret-store',
        'sts-reachable',
        'clock-skew',
        'web-identity-token',
        'cached-credentials',
        'idp-reachable',
      ]),
    );

    const table = await runCli(['doctor', '--profile', 'ci'], { env: good });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/0 warning\(s\), 0 failed\.\n$/);
  });
});

describe('fedlogin doctor on chained profiles', () => {
  const APP = 'arn:aws:iam::210987654321:role/app';
  const DEPLOY = 'arn:aws:iam::333333333333:role/deploy';

  async function chainedHome(extra: string[][] = []): Promise<TempHome> {
    const home = await homeWith('');
    await writeAwsConfig(
      home,
      ciProfile(await tokenFileIn(home)),
      profileSection('app', {
        role_arn: APP,
        source_profile: 'ci',
        external_id: 'partner-4711',
        duration_seconds: '7200',
        fedlogin_store: 'file',
      }),
      profileSection('deploy', { role_arn: DEPLOY, source_profile: 'app', fedlogin_store: 'file' }),
      ...extra,
    );
    return home;
  }

  it('--profile deploy: prints the chain, checks each hop, then the source profiles down to the flow', async () => {
    const home = await chainedHome();
    const onPath = await withFedloginOnPath(home);
    const result = await runCli(['doctor', '--profile', 'deploy', '--json'], { env: onPath });
    const { checks } = JSON.parse(result.stdout) as { checks: JsonCheck[] };
    const chain = find(checks, 'chain', 'deploy');
    expect(chain.status).toBe('ok');
    expect(chain.message).toBe(
      `deploy -> app -> ci (web-identity), then AssumeRole ${APP} (external ID) -> ${DEPLOY}: 2 AssumeRole calls after the web-identity sign-in of profile ci, 1 of them this profile's.`,
    );
    expect(chain.chain).toEqual({
      profiles: ['deploy', 'app', 'ci'],
      flow: 'web-identity',
      hops: [
        { profile: 'app', roleArn: APP, externalId: true },
        { profile: 'deploy', roleArn: DEPLOY, externalId: false },
      ],
    });
    // the source profiles are checked in turn: app's own hop, then ci's flow
    expect(find(checks, 'chain', 'app').status).toBe('ok');
    const duration = find(checks, 'chain-duration', 'app');
    expect(duration.status).toBe('warn');
    expect(duration.message).toMatch(
      /duration_seconds = 7200: role chaining is limited to 3600 s by AWS, so .*role\/app gets 3600 s/,
    );
    expect(duration.fix).toMatch(/Set duration_seconds = 3600 or less in .*\[profile app\]/);
    expect(find(checks, 'settings', 'ci').status).toBe('ok');
    expect(find(checks, 'sts-reachable', 'ci').status).toBe('ok');
    // a chained profile has no flow of its own, nor a credential_process: the AWS tools chain from the source's
    expect(checks.filter((c) => c.profile === 'deploy').map((c) => c.id)).toEqual([
      'chain',
      'secret-store',
      'cached-credentials',
    ]);
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(result.code).toBe(0);

    const table = await runCli(['doctor', '--profile', 'deploy'], { env: onPath });
    expect(table.stdout).toMatch(/^ok +deploy: chain +deploy -> app -> ci \(web-identity\), then AssumeRole /m);
    expect(table.stdout).toMatch(/^warn +app: chain-duration +duration_seconds = 7200/m);
  });

  it('every profile: broken chains fail with the line the login would print, before any call', async () => {
    const home = await chainedHome([
      profileSection('hops', {
        ...flowSettings.webIdentity({ roleArn: ROLE, tokenFile: '/nonexistent/token' }),
        fedlogin_chain_role_arn: `${APP} ${DEPLOY}`,
        fedlogin_chain_external_id: 'partner-4711',
        fedlogin_duration: '2h',
      }),
      profileSection('badarn', { role_arn: 'arn:aws:iam::1:role/x', source_profile: 'ci' }),
      profileSection('badid', { role_arn: APP, source_profile: 'ci', external_id: 'has space' }),
      profileSection('a', { role_arn: APP, source_profile: 'b' }),
      profileSection('b', { role_arn: APP, source_profile: 'a' }),
    ]);
    sts.reset();
    const all = await runCli(['doctor', '--json'], { env: env(home) });
    expect(all.code).toBe(2);
    const { checks } = JSON.parse(all.stdout) as { checks: JsonCheck[] };
    expect(find(checks, 'chain', 'hops')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/fedlogin_chain_external_id.*1 external ID for 2 fedlogin_chain_role_arn hops/),
    });
    expect(find(checks, 'chain', 'badarn').message).toMatch(/role_arn is not an IAM role ARN/);
    expect(find(checks, 'chain', 'badid').message).toMatch(/external_id contains " ", which STS does not allow/);
    expect(find(checks, 'chain', 'badid').message).not.toContain('has space');
    // a cycle of profiles that never reach a fedlogin flow is not one of fedlogin's profiles
    expect(checks.some((c) => c.profile === 'a' || c.profile === 'b')).toBe(false);
    // ci is checked once, though three chains lead to it
    expect(checks.filter((c) => c.id === 'settings' && c.profile === 'ci')).toHaveLength(1);

    const cycle = await runCli(['doctor', '--profile', 'a', '--json'], { env: env(home) });
    expect(cycle.code).toBe(2);
    expect(find((JSON.parse(cycle.stdout) as { checks: JsonCheck[] }).checks, 'chain', 'a').message).toBe(
      'The profiles form a cycle: a -> b -> a.',
    );
    expect(sts.requests.filter((r) => r.action.startsWith('Assume'))).toEqual([]);
  });

  it("a flow profile's hops: its sign-in keeps fedlogin_duration, the hops are capped; a stray external_id is pointed out", async () => {
    const home = await homeWith('');
    await writeAwsConfig(
      home,
      fileStoreProfile('ci', {
        ...flowSettings.webIdentity({ roleArn: ROLE, tokenFile: await tokenFileIn(home) }),
        fedlogin_chain_role_arn: APP,
        fedlogin_chain_external_id: 'partner-4711',
        fedlogin_duration: '2h',
        external_id: 'partner-4711',
      }),
    );
    const result = await runCli(['doctor', '--profile', 'ci', '--json'], { env: await withFedloginOnPath(home) });
    const { checks } = JSON.parse(result.stdout) as { checks: JsonCheck[] };
    expect(find(checks, 'chain', 'ci').message).toBe(
      `ci (web-identity), then AssumeRole ${APP} (external ID): 1 AssumeRole call after the web-identity sign-in of profile ci, 1 of them this profile's; fedlogin_duration = 7200 s is the sign-in's, the hops get 3600 s (AWS's limit for role chaining).`,
    );
    expect(find(checks, 'chain-external-id', 'ci')).toMatchObject({
      status: 'warn',
      fix: expect.stringMatching(/fedlogin_chain_external_id/),
    });
    // fedlogin_chain_* keys are read by every flow: not "misspelt"
    expect(find(checks, 'profile-keys', 'ci').status).toBe('ok');
    expect(result.code).toBe(0);
  });
});
