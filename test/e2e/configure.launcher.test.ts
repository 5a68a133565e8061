/**
 * Issue 15 item 4: configure writes a credential_process that runs. fedlogin is run from a copy of
 * this checkout in a folder with a space (as from a checkout or through npx: not on PATH), and the
 * line it writes is run by the real consumers: the Python aws (v1), Debian's aws (v2) and the JS
 * SDK's fromProcess. doctor resolves the line as they do.
 */
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTempHome, type TempHome } from '../support/cli/runCli.js';
import { REPO_ROOT, spawnCli } from '../support/cli/spawnCli.js';
import { componentPath, describeWith } from '../support/harness/component.js';
import { runProcess } from '../support/harness/runProcess.js';
import { issuerAndStsForSuite, ROLE } from './configure.support.js';

const suite = issuerAndStsForSuite();
let work: string;
/** the copy's bin/fedlogin.js */
let copyBin: string;
const homes: TempHome[] = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'fedlogin-launcher-'));
  const copy = path.join(work, 'fed login copy');
  await mkdir(copy);
  for (const part of ['bin', 'dist', 'package.json'])
    await cp(path.join(REPO_ROOT, part), path.join(copy, part), { recursive: true });
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  copyBin = path.join(copy, 'bin', 'fedlogin.js');
});

afterAll(async () => {
  await Promise.all(homes.map((h) => h.cleanup()));
  if (work) await rm(work, { recursive: true, force: true });
});

interface Setup {
  home: TempHome;
  env: Record<string, string>;
  tokenFile: string;
}

/**
 * A HOME with a token STS accepts, and the environment of every run: PATH holds node (the
 * launcher's `#!/usr/bin/env node`), the machine's aws v1, /usr/bin and /bin, and `extraPath` first.
 */
async function setup(extraPath: string[] = []): Promise<Setup> {
  const home = await makeTempHome();
  homes.push(home);
  const tokenFile = path.join(home.home, 'token.jwt');
  await writeFile(
    tokenFile,
    await suite.issuer.sign({ sub: 'repo:octo/app:ref:refs/heads/main', aud: 'sts.amazonaws.com' }),
    { mode: 0o600 },
  );
  const PATH = [
    ...extraPath,
    path.dirname(process.execPath),
    path.dirname(componentPath('aws-cli-v1')!),
    '/usr/bin',
    '/bin',
  ].join(path.delimiter);
  const env = {
    ...home.env,
    PATH,
    HOME: home.home,
    AWS_ENDPOINT_URL_STS: suite.sts.url,
    AWS_REGION: 'us-east-1',
    FEDLOGIN_STORE: 'file',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
  };
  return { home, env, tokenFile };
}

/** Runs the copy's fedlogin (never the checkout's). */
async function copyCli(args: string[], s: Setup) {
  return spawnCli(args, { home: s.home.home, env: s.env, entry: copyBin }).result;
}

async function configure(s: Setup) {
  const result = await copyCli(
    ['configure', '--profile', 'ci', '--flow', 'web-identity', '--role-arn', ROLE, '--token-file', s.tokenFile],
    s,
  );
  expect(result.code, result.stderr).toBe(0);
  return result;
}

const credentialProcessOf = async (s: Setup) =>
  (await readFile(s.home.awsConfigFile, 'utf8')).match(/^credential_process = (.*)$/m)?.[1];

/** aws sts get-caller-identity --profile ci with each CLI, and the JS SDK's fromProcess: the ARN each got. */
async function consumersRun(s: Setup): Promise<void> {
  for (const cli of [componentPath('aws-cli-v1')!, componentPath('aws-cli-v2')!]) {
    const r = await runProcess(
      cli,
      [
        'sts',
        'get-caller-identity',
        '--profile',
        'ci',
        '--region',
        'us-east-1',
        '--output',
        'json',
        '--endpoint-url',
        suite.sts.url,
      ],
      { env: s.env },
    );
    expect(r.code, `${cli}: ${r.stderr}`).toBe(0);
    expect(JSON.parse(r.stdout).Arn, cli).toMatch(/^arn:aws:sts::123456789012:assumed-role\/ci\//);
  }
  const js = `
    import { createRequire } from 'node:module';
    const require = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'package.json'))});
    const c = await require('@aws-sdk/credential-provider-process').fromProcess({ profile: 'ci' })();
    console.log(c.accessKeyId.startsWith('ASIA') ? 'ok' : 'no key');`;
  const node = await runProcess(process.execPath, ['--input-type=module', '-e', js], { env: s.env });
  expect(node.stdout.trim(), node.stderr).toBe('ok');
}

interface JsonCheck {
  id: string;
  status: string;
  message: string;
  fix: string | null;
}

async function doctorCheck(s: Setup): Promise<{ code: number | null; check: JsonCheck }> {
  const result = await copyCli(['doctor', '--profile', 'ci', '--json'], s);
  const { checks } = JSON.parse(result.stdout) as { checks: JsonCheck[] };
  return { code: result.code, check: checks.find((c) => c.id === 'credential-process')! };
}

describeWith(['aws-cli-v1', 'aws-cli-v2'], 'configure writes a credential_process that runs', () => {
  it('from a copy not on PATH it writes the absolute launcher, quoted for its space, and aws v1, v2 and the JS SDK run it', async () => {
    const s = await setup();
    const configured = await configure(s);
    expect(await credentialProcessOf(s)).toBe(`'${copyBin}' credential-process --profile ci`);
    expect(configured.stderr).toContain(`credential_process names this fedlogin by its path (${copyBin})`);
    await consumersRun(s);
    const doctor = await doctorCheck(s);
    expect(doctor.check).toMatchObject({ status: 'ok' });
    expect(doctor.check.message).toContain(`(starts ${copyBin})`);
  });

  it('a bare fedlogin not on PATH: aws cannot run it, and doctor fails with the line that runs this one', async () => {
    const s = await setup();
    await configure(s);
    const text = await readFile(s.home.awsConfigFile, 'utf8');
    await writeFile(
      s.home.awsConfigFile,
      text.replace(/^credential_process = .*$/m, 'credential_process = fedlogin credential-process --profile ci'),
    );
    const aws = await runProcess(
      componentPath('aws-cli-v1')!,
      ['sts', 'get-caller-identity', '--profile', 'ci', '--endpoint-url', suite.sts.url],
      { env: s.env },
    );
    expect(aws.code).not.toBe(0);
    expect(aws.stderr).toMatch(/No such file or directory/);

    const doctor = await doctorCheck(s);
    expect(doctor.code).toBe(2);
    expect(doctor.check.status).toBe('fail');
    expect(doctor.check.message).toContain('"fedlogin", which is not on PATH');
    expect(doctor.check.fix).toBe(
      `Run: fedlogin configure --profile ci  (or set: credential_process = '${copyBin}' credential-process --profile ci)`,
    );
  });

  it('with a fedlogin symlink to this copy on PATH it writes the bare name, and aws, the SDK and doctor all succeed', async () => {
    const bin = await mkdtemp(path.join(work, 'bin-'));
    await symlink(copyBin, path.join(bin, 'fedlogin'));
    const s = await setup([bin]);
    const configured = await configure(s);
    expect(await credentialProcessOf(s)).toBe('fedlogin credential-process --profile ci');
    expect(configured.stderr).not.toContain('names this fedlogin by its path');
    await consumersRun(s);
    const doctor = await doctorCheck(s);
    expect(doctor.check).toMatchObject({ status: 'ok' });
    expect(doctor.check.message).toContain(`(starts ${path.join(bin, 'fedlogin')})`);
  });

  it("PATH's fedlogin being another installation (the checkout) is not taken for this one", async () => {
    const bin = await mkdtemp(path.join(work, 'bin-'));
    await symlink(path.join(REPO_ROOT, 'bin', 'fedlogin.js'), path.join(bin, 'fedlogin'));
    const s = await setup([bin]);
    await configure(s);
    expect(await credentialProcessOf(s)).toBe(`'${copyBin}' credential-process --profile ci`);
    await writeFile(
      s.home.awsConfigFile,
      (await readFile(s.home.awsConfigFile, 'utf8')).replace(
        /^credential_process = .*$/m,
        'credential_process = fedlogin credential-process --profile ci',
      ),
    );
    const doctor = await doctorCheck(s);
    expect(doctor.check.status).toBe('warn');
    expect(doctor.check.message).toContain('another fedlogin installation');
  });
});
