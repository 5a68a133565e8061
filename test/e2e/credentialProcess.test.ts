import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CountingProxy, startCountingProxy } from '../support/aws/countingProxy.js';
import { type Moto, startMoto } from '../support/aws/moto.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { FEDLOGIN_BIN, hermeticEnv, makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { flowSettings, profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { componentPath, describeWith } from '../support/harness/component.js';
import { runProcess } from '../support/harness/runProcess.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

const ROLE = 'arn:aws:iam::123456789012:role/dev';

let issuer: TokenIssuer;
let sts: StsEndpoint;
let scratch: string;

beforeAll(async () => {
  issuer = await startTokenIssuer();
  sts = await startStsEndpoint({
    roles: { [ROLE]: { trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'] } } },
  });
  scratch = await mkdtemp(path.join(tmpdir(), 'fedlogin-cp-'));
});

afterAll(async () => {
  await Promise.all([sts?.close(), issuer?.close()]);
  await rm(scratch, { recursive: true, force: true });
});

async function writeToken(file: string, sub = 'system:serviceaccount:dev:app') {
  await writeFile(file, await issuer.sign({ sub, aud: 'sts.amazonaws.com' }), { mode: 0o600 });
}

/** A temp HOME whose ~/.aws/config has a web-identity profile run through credential_process. */
async function homeWithProfile(extra = '', name = 'dev'): Promise<TempHome & { tokenFile: string }> {
  const home = await makeTempHome();
  const tokenFile = path.join(home.home, 'token');
  await writeToken(tokenFile);
  await writeAwsConfig(
    home,
    ['# my settings', '[default]', 'region = eu-west-1'],
    [
      ...profileSection(
        name,
        { ...flowSettings.webIdentity({ roleArn: ROLE, tokenFile }), region: 'us-east-1' },
        { credentialProcess: 'checkout' },
      ),
      extra,
    ],
  );
  return { ...home, tokenFile };
}

const envFor = (home: TempHome, endpoint = sts.url) => ({
  ...home.env,
  AWS_ENDPOINT_URL_STS: endpoint,
  FEDLOGIN_STORE: 'file',
});

describe('fedlogin credential-process', () => {
  let home: TempHome & { tokenFile: string };
  beforeEach(async () => {
    home = await homeWithProfile();
    return () => home.cleanup();
  });

  it('refreshes on a miss, then serves the cache without calling STS', async () => {
    const before = sts.count('AssumeRoleWithWebIdentity');
    const first = await runCli(['credential-process', '--profile', 'dev'], { env: envFor(home) });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(sts.count('AssumeRoleWithWebIdentity') - before).toBe(1);
    const second = await runCli(['credential-process', '--profile', 'dev'], { env: envFor(home) });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(sts.count('AssumeRoleWithWebIdentity') - before).toBe(1);
    // The cache entry is a 0600 file in a 0700 folder, and nothing else holds the secret.
    const cacheDir = path.join(home.env.XDG_CACHE_HOME!, 'fedlogin');
    const entries = (await readdir(cacheDir)).filter((f) => f.endsWith('.json') && f !== 'secret-store.json');
    expect(entries).toHaveLength(1);
    const { statSync } = await import('node:fs');
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(cacheDir, entries[0]!)).mode & 0o777).toBe(0o600);
  });

  it('a refresh collects old v1 entries and dead lock drafts; a cache hit leaves the folder alone', async () => {
    const cacheDir = path.join(home.env.XDG_CACHE_HOME!, 'fedlogin');
    const locks = path.join(cacheDir, 'locks');
    await mkdir(locks, { recursive: true, mode: 0o700 });
    // a pid above Linux's highest pid_max (2^22): no process has it
    const deadHolder = JSON.stringify({
      pid: 2 ** 22 + 1,
      hostname: hostname(),
      createdAt: new Date().toISOString(),
      token: 'x',
    });
    const plant = async () => {
      const v1 = `creds-v1-${'a'.repeat(64)}`;
      await writeFile(path.join(cacheDir, `${v1}.json`), JSON.stringify({ version: 1, key: v1, value: '{}' }), {
        mode: 0o600,
      });
      await writeFile(path.join(locks, `gone.lock.${'0'.repeat(24)}`), deadHolder, { mode: 0o600 });
    };
    const planted = [`creds-v1-${'a'.repeat(64)}.json`, `locks/gone.lock.${'0'.repeat(24)}`];
    const present = async () =>
      [...(await readdir(cacheDir)), ...(await readdir(locks)).map((n) => `locks/${n}`)].filter((n) =>
        planted.includes(n),
      );

    await plant();
    const miss = await runCli(['credential-process', '--profile', 'dev', '--debug'], { env: envFor(home) });
    expect(miss.code).toBe(0);
    expect(miss.stderr).toContain('removed 2 leftover file(s) from the cache folder');
    expect(await present()).toEqual([]);

    await plant();
    const hit = await runCli(['credential-process', '--profile', 'dev'], { env: envFor(home) });
    expect(hit.code).toBe(0);
    expect(hit.stdout).toBe(miss.stdout);
    expect((await present()).sort()).toEqual(planted.sort());
  });

  it('AWS_PROFILE selects the profile when --profile is absent', async () => {
    const result = await runCli(['credential-process'], { env: { ...envFor(home), AWS_PROFILE: 'dev' } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).Version).toBe(1);
  });

  it('editing the profile invalidates its cache entry; the token file is re-read on refresh', async () => {
    const before = sts.count('AssumeRoleWithWebIdentity');
    await runCli(['credential-process', '--profile', 'dev'], { env: envFor(home) });
    const text = await readFile(home.awsConfigFile, 'utf8');
    await writeFile(
      home.awsConfigFile,
      text.replace('fedlogin_token_file', 'fedlogin_role_session_name = edited\nfedlogin_token_file'),
    );
    await writeToken(home.tokenFile, 'system:serviceaccount:dev:rotated');
    const after = await runCli(['credential-process', '--profile', 'dev'], { env: envFor(home) });
    expect(after.code).toBe(0);
    expect(sts.count('AssumeRoleWithWebIdentity') - before).toBe(2);
    const last = sts.requests.filter((r) => r.action === 'AssumeRoleWithWebIdentity').at(-1)!;
    expect(last.params.RoleSessionName).toBe('edited');
    expect((last.notes?.tokenClaims as { sub?: string } | undefined)?.sub).toBe('system:serviceaccount:dev:rotated');
  });

  it('hands out credentials only with more than the refresh window left', async () => {
    await writeFile(
      home.awsConfigFile,
      (await readFile(home.awsConfigFile, 'utf8')).replace(
        'fedlogin_flow',
        'fedlogin_refresh_window = 50m\nfedlogin_duration = 3600\nfedlogin_flow',
      ),
    );
    const before = sts.count('AssumeRoleWithWebIdentity');
    await runCli(['credential-process', '--profile', 'dev'], { env: envFor(home) });
    await runCli(['credential-process', '--profile', 'dev'], { env: envFor(home) });
    // The window is capped at half the session (30 min), so a fresh one-hour session is served from the cache.
    expect(sts.count('AssumeRoleWithWebIdentity') - before).toBe(1);
  });

  it('a corrupt cache entry is a miss, not a crash', async () => {
    await runCli(['credential-process', '--profile', 'dev'], { env: envFor(home) });
    const cacheDir = path.join(home.env.XDG_CACHE_HOME!, 'fedlogin');
    for (const file of await readdir(cacheDir))
      if (file.endsWith('.json') && file !== 'secret-store.json')
        await writeFile(path.join(cacheDir, file), '{"version":1,"key":');
    const before = sts.count('AssumeRoleWithWebIdentity');
    const result = await runCli(['credential-process', '--profile', 'dev'], { env: envFor(home) });
    expect(result.code).toBe(0);
    expect(sts.count('AssumeRoleWithWebIdentity') - before).toBe(1);
  });

  it('configuration errors name the file, section and key, with exit code 2', async () => {
    const missing = await runCli(['credential-process', '--profile', 'nope'], { env: envFor(home) });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No profile "nope" in .*config/);
    await writeFile(
      home.awsConfigFile,
      (await readFile(home.awsConfigFile, 'utf8')).replace(
        `fedlogin_role_arn = ${ROLE}`,
        'fedlogin_role_arn = arn:aws:iam::12:role/x',
      ),
    );
    const bad = await runCli(['credential-process', '--profile', 'dev'], { env: envFor(home) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${home.awsConfigFile} [profile dev] fedlogin_role_arn:`);
    await writeFile(home.awsConfigFile, '[profile plain]\nregion = us-east-1\n');
    const plain = await runCli(['credential-process', '--profile', 'plain'], { env: envFor(home) });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/has no fedlogin_flow/);
    await writeFile(home.awsConfigFile, '[profile broken\nregion = us-east-1\n');
    const broken = await runCli(['credential-process', '--profile', 'broken'], { env: envFor(home) });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/config line 1/);
  });

  it('stampede: 32 parallel processes on an expired profile make exactly one exchange and print the same credentials', async () => {
    const before = sts.count('AssumeRoleWithWebIdentity');
    sts.delayNext(1, 300, 'AssumeRoleWithWebIdentity'); // widen the race: the first refresh is slow
    const runs = await Promise.all(
      Array.from({ length: 32 }, () =>
        runCli(['credential-process', '--profile', 'dev'], { env: envFor(home), timeoutMs: 60_000 }),
      ),
    );
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe(runs[0]!.stdout);
    }
    expect(sts.count('AssumeRoleWithWebIdentity') - before).toBe(1);
    const printed = JSON.parse(runs[0]!.stdout) as { AccessKeyId: string };
    expect(printed.AccessKeyId).toBe(sts.issued.at(-1)!.accessKeyId);
  });
});

describe('fedlogin login, status, logout', () => {
  it('login fills the cache and writes ~/.aws/credentials when the profile says so; logout removes only its own', async () => {
    const home = await homeWithProfile('fedlogin_write_credentials = true');
    try {
      await writeFile(
        home.awsCredentialsFile,
        '# keep me\r\n[static]\r\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\r\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n',
        { mode: 0o600 },
      );
      const original = await readFile(home.awsCredentialsFile, 'utf8');
      const login = await runCli(['login', '--profile', 'dev'], { env: envFor(home) });
      expect(login.code, login.stderr).toBe(0);
      expect(login.stderr).toMatch(/Logged in for profile dev \(web-identity flow\)/);
      const written = await readFile(home.awsCredentialsFile, 'utf8');
      expect(written.startsWith(original)).toBe(true);
      expect(written).toContain('[dev]\r\n');
      expect(written).toContain(`aws_access_key_id = ${sts.issued.at(-1)!.accessKeyId}\r\n`);
      expect(written).toMatch(/x_security_token_expires = \d{4}-\d\d-\d\dT/);

      const status = await runCli(['status', '--json'], { env: envFor(home) });
      expect(status.code).toBe(0);
      const profiles = JSON.parse(status.stdout).profiles as { profile: string; state: string; flow: string }[];
      expect(profiles).toEqual([expect.objectContaining({ profile: 'dev', flow: 'web-identity', state: 'valid' })]);
      expect(status.stdout).not.toContain(sts.issued.at(-1)!.secretAccessKey);

      const logout = await runCli(['logout', '--profile', 'dev'], { env: envFor(home) });
      expect(logout.code).toBe(0);
      // Every byte outside fedlogin's section is as it was; only the blank line that separated the
      // appended section stays (removal never touches bytes outside the removed section).
      expect(await readFile(home.awsCredentialsFile, 'utf8')).toBe(`${original}\r\n`);
      const after = JSON.parse((await runCli(['status', '--json'], { env: envFor(home) })).stdout).profiles;
      expect(after[0].state).toBe('none');
    } finally {
      await home.cleanup();
    }
  });

  it('warns when static keys in the credentials file shadow a credential_process profile', async () => {
    const home = await homeWithProfile();
    try {
      await writeFile(
        home.awsCredentialsFile,
        '[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
      );
      const status = await runCli(['status'], { env: envFor(home) });
      expect(status.stderr).toMatch(/\[dev\] in .*credentials holds long-term keys/);
    } finally {
      await home.cleanup();
    }
  });
});

/** Runs a consumer (aws CLI, a node script) with the hermetic environment of a temp HOME. */
const runConsumer = (command: string, args: string[], env: Record<string, string>) =>
  runProcess(command, args, { env });

describeWith(
  ['moto_server', 'aws-cli-v1', 'aws-cli-v2'],
  'real consumers run fedlogin as credential_process against moto',
  () => {
    let moto: Moto;
    let proxy: CountingProxy;
    beforeAll(async () => {
      moto = await startMoto();
      proxy = await startCountingProxy(moto.url);
    });
    afterAll(async () => {
      await proxy?.close();
      await moto?.close();
    });

    const consumers: [string, (home: TempHome, env: Record<string, string>) => Promise<string>][] = [
      [
        "the machine's Python aws (v1)",
        async (_home, env) => {
          const r = await runConsumer(
            componentPath('aws-cli-v1')!,
            ['sts', 'get-caller-identity', '--profile', 'dev', '--output', 'json'],
            env,
          );
          expect(r.code, r.stderr).toBe(0);
          return JSON.parse(r.stdout).Arn;
        },
      ],
      [
        "Debian's /usr/bin/aws (v2)",
        async (_home, env) => {
          const r = await runConsumer(
            componentPath('aws-cli-v2')!,
            ['sts', 'get-caller-identity', '--profile', 'dev', '--output', 'json', '--endpoint-url', proxy.url],
            env,
          );
          expect(r.code, r.stderr).toBe(0);
          return JSON.parse(r.stdout).Arn;
        },
      ],
      [
        "the JS SDK's fromIni",
        async (home, env) => {
          const saved = { ...process.env };
          Object.assign(process.env, env);
          try {
            const client = new STSClient({
              region: 'us-east-1',
              endpoint: proxy.url,
              credentials: fromIni({
                profile: 'dev',
                filepath: home.awsCredentialsFile,
                configFilepath: home.awsConfigFile,
              }),
            });
            const out = await client.send(new GetCallerIdentityCommand({}));
            client.destroy();
            return out.Arn!;
          } finally {
            for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
            Object.assign(process.env, saved);
          }
        },
      ],
    ];

    for (const [name, call] of consumers) {
      it(`${name}: GetCallerIdentity works, and the second call is served from fedlogin's cache`, async () => {
        const home = await homeWithProfile();
        try {
          const env = hermeticEnv(home.home, {
            ...home.env,
            AWS_ENDPOINT_URL_STS: proxy.url,
            FEDLOGIN_STORE: 'file',
            AWS_DEFAULT_REGION: 'us-east-1',
          });
          const before = proxy.count('AssumeRoleWithWebIdentity');
          const arn = await call(home, env);
          expect(arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/dev\//);
          expect(proxy.count('AssumeRoleWithWebIdentity') - before).toBe(1);
          expect(await call(home, env)).toBe(arn);
          expect(proxy.count('AssumeRoleWithWebIdentity') - before).toBe(1);
        } finally {
          await home.cleanup();
        }
      });
    }
  },
);

describe('where the cache lives', () => {
  it('without a Secret Service, auto falls back to the file store and keychain fails with one clear line', async () => {
    const home = await homeWithProfile();
    try {
      // runCli passes no D-Bus session: no Secret Service answers.
      const auto = await runCli(['credential-process', '--profile', 'dev'], {
        env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, FEDLOGIN_STORE: 'auto' },
      });
      expect(auto.code, auto.stderr).toBe(0);
      const decision = JSON.parse(
        await readFile(path.join(home.env.XDG_CACHE_HOME!, 'fedlogin', 'secret-store.json'), 'utf8'),
      );
      expect(Object.values(decision.decisions as Record<string, { store: string }>).map((d) => d.store)).toEqual([
        'file',
      ]);
      const keychain = await runCli(['credential-process', '--profile', 'dev'], {
        env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, FEDLOGIN_STORE: 'keychain' },
      });
      expect(keychain.code).toBe(2);
      expect(keychain.stderr).toMatch(/keychain/i);
      expect(keychain.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
      const bogus = await runCli(['credential-process', '--profile', 'dev'], {
        env: { ...home.env, FEDLOGIN_STORE: 'vault' },
      });
      expect(bogus.code).toBe(2);
      expect(bogus.stderr).toMatch(/FEDLOGIN_STORE="vault"/);
    } finally {
      await home.cleanup();
    }
  });
});

describeWith(['secret-service'], 'with a Secret Service (gnome-keyring in a private D-Bus session)', () => {
  it('credential-process keeps the cache in the keychain: no cache file, second call served from it', async () => {
    const home = await homeWithProfile();
    try {
      const keyring = path.join(home.home, 'keyring');
      const script = `
        set -e
        echo -n test-password | XDG_DATA_HOME="${keyring}" gnome-keyring-daemon --unlock --components=secrets >/dev/null
        "${process.execPath}" "${FEDLOGIN_BIN}" credential-process --profile dev > first.json
        "${process.execPath}" "${FEDLOGIN_BIN}" credential-process --profile dev > second.json
        ls "$XDG_CACHE_HOME/fedlogin"`;
      const env = hermeticEnv(home.home, { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, FEDLOGIN_STORE: 'keychain' });
      const before = sts.count('AssumeRoleWithWebIdentity');
      const result = await runConsumer('dbus-run-session', ['--', 'sh', '-c', `cd "${home.home}" && ${script}`], env);
      expect(result.code, result.stderr).toBe(0);
      expect(sts.count('AssumeRoleWithWebIdentity') - before).toBe(1);
      const first = await readFile(path.join(home.home, 'first.json'), 'utf8');
      expect(await readFile(path.join(home.home, 'second.json'), 'utf8')).toBe(first);
      expect(JSON.parse(first).Version).toBe(1);
      // Only the lock folder (and no credential entry) in the file cache.
      expect(result.stdout.split('\n').filter((f) => f.endsWith('.json') && f !== 'secret-store.json')).toEqual([]);
    } finally {
      await home.cleanup();
    }
  });
});
