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
