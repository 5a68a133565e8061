/**
 * "Ship it": the package as npm publishes it. `npm pack` the repository (scripts off: the test
 * must not rebuild dist/ under tests running in parallel; `npm test` builds first), install the
 * tarball into a fresh prefix with production dependencies only, and run the installed copy from
 * outside the repository, so nothing can resolve from the repository's node_modules or sources.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Moto, startMoto } from '../support/aws/moto.js';
import { getCallerIdentity } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { hermeticEnv, makeTempHome, REPO_ROOT, runCli, type TempHome } from '../support/cli/runCli.js';
import { describeWith, itWith } from '../support/harness/component.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/packaged';
const SHIPPED_FILES = new Set(['README.md', 'CHANGELOG.md', 'LICENSE', 'package.json']);
const REQUIRED_FILES = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'bin/fedlogin.js',
  'dist/cli/main.js',
  'dist/cli/credentialProcess.js',
];
/** tools that only the repository needs; none is a dependency of a runtime dependency */
const DEV_ONLY = ['vitest', 'typescript', 'tsx', 'fast-check', 'oidc-provider', 'samlify'];
const INSTALL_TIMEOUT_MS = 240_000;

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string; size: number }>;
}

function exec(file: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        timeout: opts.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
          stdout,
          stderr: stderr || (error?.message ?? ''),
        }),
    );
  });
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await directorySize(full);
    else if (entry.isFile()) total += (await stat(full)).size;
  }
  return total;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describeWith(['cmd:npm'], 'the packed and installed package', () => {
  let work: string;
  let outside: string;
  let packed: PackResult;
  let prefix: string;
  let installedBin: string;
  let issuer: TokenIssuer;
  let sts: StsEndpoint;
  let home: TempHome;
  let tokenFile: string;

  beforeAll(async () => {
    for (const built of ['dist/cli/main.js', 'dist/cli/credentialProcess.js']) {
      if (!existsSync(path.join(REPO_ROOT, built)))
        throw new Error(`${built} is missing: run \`npm run build\` (npm test does) before this test`);
    }
    work = await mkdtemp(path.join(os.tmpdir(), 'fedlogin-pack-'));
    outside = path.join(work, 'elsewhere');
    prefix = path.join(work, 'prefix');
    await mkdir(outside);
    await mkdir(prefix);

    const pack = await exec('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
      cwd: REPO_ROOT,
      timeoutMs: 120_000,
    });
    if (pack.code !== 0) throw new Error(`npm pack failed (${pack.code}): ${pack.stderr}`);
    packed = (JSON.parse(pack.stdout) as PackResult[])[0]!;

    const tarball = path.join(work, packed.filename);
    const install = await exec(
      'npm',
      ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball],
      { cwd: outside, timeoutMs: INSTALL_TIMEOUT_MS },
    );
    if (install.code !== 0) throw new Error(`npm install of the tarball failed (${install.code}): ${install.stderr}`);
    installedBin = path.join(prefix, 'node_modules', '.bin', 'fedlogin');

    console.log(
      `${packed.filename}: tarball ${kb(packed.size)} (${packed.files.length} files, ${kb(packed.unpackedSize)} unpacked); ` +
        `installed with production dependencies: ${mb(await directorySize(path.join(prefix, 'node_modules')))}`,
    );

    issuer = await startTokenIssuer();
    sts = await startStsEndpoint({
      roles: { [ROLE_ARN]: { trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'] } } },
    });
    home = await makeTempHome();
    tokenFile = path.join(home.home, 'token');
    await writeFile(
      tokenFile,
      await issuer.sign(
        { sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', aud: 'sts.amazonaws.com' },
        { expiresInSeconds: 3600 },
      ),
      { mode: 0o600 },
    );
  }, INSTALL_TIMEOUT_MS + 150_000);

  afterAll(async () => {
    await sts?.close();
    await issuer?.close();
    await home?.cleanup();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** The installed CLI, from outside the repository, in the test's HOME. */
  const installed = (args: string[], env: Record<string, string | undefined> = {}) =>
    runCli(args, { entry: installedBin, cwd: outside, env: { HOME: home.home, ...env } });

  it('ships only bin/, dist/, README.md, CHANGELOG.md, LICENSE and package.json', () => {
    const paths = packed.files.map((f) => f.path);
    const unexpected = paths.filter((p) => !(p.startsWith('bin/') || p.startsWith('dist/') || SHIPPED_FILES.has(p)));
    expect(unexpected).toEqual([]);
    expect(REQUIRED_FILES.filter((p) => !paths.includes(p))).toEqual([]);
    expect(paths.filter((p) => /\.test\.|\/test\/|\.ts$/.test(p) && !p.endsWith('.d.ts'))).toEqual([]);
  });

  it('installs with production dependencies only', () => {
    const modules = path.join(prefix, 'node_modules');
    expect(existsSync(path.join(modules, pkg.name, 'package.json'))).toBe(true);
    expect(DEV_ONLY.filter((name) => existsSync(path.join(modules, name)))).toEqual([]);
  });

  it('runs as an executable through the bin link: --version is the package version', async () => {
    // Spawned directly (not `node file`), so the shebang and the executable bit are exercised too.
    const child = spawn(installedBin, ['--version'], {
      cwd: outside,
      env: hermeticEnv(home.home, {
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(timer);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.trim()).toBe(pkg.version);
  });

  it('prints help', async () => {
    const result = await installed(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('web-identity');
    expect(result.stdout).toContain('credential-process');
  });

  it(
    "installs the way the README's Install section says: the tarball, and a checkout, with npm install -g",
    async () => {
      const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
      const section = readme.slice(readme.indexOf('\n## Install\n'), readme.indexOf('\n## First run\n'));
      const commands = [...section.matchAll(/^npm install -g (\S+)/gm)].map((m) => m[1]!);
      // the tarball named as `npm pack` names it, and the checkout
      expect(commands).toEqual([`./${packed.filename}`, '.']);
      for (const [target, cwd] of [
        [commands[0]!, work],
        [commands[1]!, REPO_ROOT],
      ] as const) {
        const global = await mkdtemp(path.join(work, 'global-'));
        // as the README has it, into a temporary prefix instead of the machine's
        const install = await exec(
          'npm',
          ['install', '-g', '--prefer-offline', '--no-audit', '--no-fund', '--prefix', global, target],
          {
            cwd,
            timeoutMs: INSTALL_TIMEOUT_MS,
          },
        );
        expect(install.code, install.stderr).toBe(0);
        const version = await runCli(['--version'], {
          entry: path.join(global, 'bin', 'fedlogin'),
          cwd: outside,
          env: { HOME: home.home },
        });
        expect({ code: version.code, stdout: version.stdout.trim() }, version.stderr).toEqual({
          code: 0,
          stdout: pkg.version,
        });
      }
    },
    2 * INSTALL_TIMEOUT_MS,
  );

  it('exchanges a token for credentials at the STS endpoint, and they work', async () => {
    const before = sts.count('AssumeRoleWithWebIdentity');
    const result = await installed(['web-identity', '--token-file', tokenFile, '--role-arn', ROLE_ARN], {
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: 'us-east-1',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(sts.count('AssumeRoleWithWebIdentity')).toBe(before + 1);
    const creds = JSON.parse(result.stdout) as {
      Version: number;
      AccessKeyId: string;
      SecretAccessKey: string;
      SessionToken: string;
    };
    expect(creds.Version).toBe(1);
    const who = await getCallerIdentity(
      { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken },
      sts.url,
    );
    expect(who.Arn).toMatch(/:assumed-role\/packaged\//);
  });

  it('serves credential-process from its cache on the second call', async () => {
    await writeFile(
      home.awsConfigFile,
      [
        '[profile shipped]',
        `credential_process = ${process.execPath} ${installedBin} credential-process --profile shipped`,
        'fedlogin_flow = web-identity',
        `fedlogin_role_arn = ${ROLE_ARN}`,
        `fedlogin_token_file = ${tokenFile}`,
        'region = us-east-1',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    const env = { AWS_ENDPOINT_URL_STS: sts.url, FEDLOGIN_STORE: 'file' };
    const before = sts.count('AssumeRoleWithWebIdentity');
    const first = await installed(['credential-process', '--profile', 'shipped'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(sts.count('AssumeRoleWithWebIdentity')).toBe(before + 1);
    const second = await installed(['credential-process', '--profile', 'shipped'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(sts.count('AssumeRoleWithWebIdentity')).toBe(before + 1);
  });

  itWith(
    ['moto_server'],
    'exchanges a token at moto_server too',
    async () => {
      let moto: Moto | undefined;
      try {
        moto = await startMoto();
        const result = await installed(['web-identity', '--token-file', tokenFile, '--role-arn', ROLE_ARN], {
          AWS_ENDPOINT_URL_STS: moto.url,
          AWS_REGION: 'us-east-1',
        });
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout)).toMatchObject({
          Version: 1,
          AccessKeyId: expect.any(String),
          SecretAccessKey: expect.any(String),
        });
      } finally {
        await moto?.close();
      }
    },
    60_000,
  );
});
