import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getCallerIdentity } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { FEDLOGIN_BIN, hermeticEnv, makeTempHome, REPO_ROOT, runCli, type TempHome } from '../support/cli/runCli.js';
import { describeWith } from '../support/harness/component.js';
import { type SamlIdp, startSamlIdp } from '../support/idp/samlIdp.js';

const PROVIDER = 'arn:aws:iam::123456789012:saml-provider/test-idp';
const DEV = 'arn:aws:iam::123456789012:role/dev';
const OPS_PROVIDER = 'arn:aws:iam::210987654321:saml-provider/test-idp';
const OPS = 'arn:aws:iam::210987654321:role/team/ops';

let idp: SamlIdp;
let sts: StsEndpoint;
let home: TempHome;

beforeAll(async () => {
  // one value in each order: both are in use at real IdPs
  idp = await startSamlIdp({ roles: [`${DEV},${PROVIDER}`], sessionDuration: 7200 });
  sts = await startStsEndpoint({
    roles: { [DEV]: { maxSessionDuration: 43_200 }, [OPS]: { maxSessionDuration: 3600 } },
  });
  addSamlToSts(sts, { providers: { [PROVIDER]: { certPem: idp.certPem }, [OPS_PROVIDER]: { certPem: idp.certPem } } });
});
afterAll(async () => {
  await idp?.close();
  await sts?.close();
});
beforeEach(async () => {
  home = await makeTempHome();
  sts.reset();
});
afterEach(async () => home.cleanup());

const cli = (args: string[], extra: { input?: string; env?: Record<string, string> } = {}) =>
  runCli(args, { env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, ...extra.env }, input: extra.input });

async function assertionFile(overrides?: Parameters<SamlIdp['signedResponse']>[1]): Promise<string> {
  const file = join(home.home, 'response.b64');
  await writeFile(file, await idp.signedResponse('alice', overrides));
  return file;
}

const MULTI = { roles: [`${DEV},${PROVIDER}`, `${OPS_PROVIDER},${OPS}`] };

describe('fedlogin saml --assertion-file', () => {
  it('exchanges a single-role assertion; the credentials work, the duration follows SessionDuration', async () => {
    const result = await cli(['saml', '--assertion-file', await assertionFile()]);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as {
      Version: number;
      AccessKeyId: string;
      SecretAccessKey: string;
      SessionToken: string;
    };
    expect(json.Version).toBe(1);
    const identity = await getCallerIdentity(
      { accessKeyId: json.AccessKeyId, secretAccessKey: json.SecretAccessKey, sessionToken: json.SessionToken },
      sts.url,
    );
    expect(identity.Arn).toBe('arn:aws:sts::123456789012:assumed-role/dev/alice');
    const call = sts.requests.find((r) => r.action === 'AssumeRoleWithSAML')!;
    expect(call.notes.durationSeconds).toBe(7200);
    expect(result.stderr).not.toContain(json.SecretAccessKey);
  });

  it('reads the assertion from stdin, as a form body too', async () => {
    const body = `SAMLResponse=${encodeURIComponent(await idp.signedResponse('alice'))}&RelayState=`;
    const result = await cli(['saml', '--assertion-file', '-', '--output', 'json'], { input: body });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty('AWS_ACCESS_KEY_ID');
  });

  it('--role-arn picks one role of several (values in either order)', async () => {
    const result = await cli(['saml', '--assertion-file', await assertionFile(MULTI), '--role-arn', OPS]);
    expect(result.code).toBe(0);
    expect(sts.issued.map((c) => c.roleArn)).toEqual([OPS]);
  });

  it('caps --duration at SessionDuration, and falls back to 3600 s above the role maximum', async () => {
    const result = await cli([
      'saml',
      '--assertion-file',
      await assertionFile(MULTI),
      '--role-arn',
      OPS,
      '--duration',
      '12h',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/IdP allows 7200 s sessions/);
    expect(result.stderr).toMatch(/does not allow 7200 s sessions.*using 3600 s/);
    expect(sts.requests.filter((r) => r.action === 'AssumeRoleWithSAML').map((r) => r.params.DurationSeconds)).toEqual([
      '7200',
      '3600',
    ]);
  });

  it('with several roles and no terminal, lists the roles to choose from', async () => {
    const result = await cli([
      'saml',
      '--assertion-file',
      await assertionFile(MULTI),
      '--account-aliases',
      '210987654321=ops-account',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(DEV);
    expect(result.stderr).toContain(`${OPS}  (ops-account)`);
    expect(result.stderr).toMatch(/--role-arn/);
    expect(result.stdout).toBe('');
    expect(sts.count('AssumeRoleWithSAML')).toBe(0);
  });

  it('a role the assertion does not grant is refused before STS is asked', async () => {
    const result = await cli(['saml', '--assertion-file', await assertionFile(), '--role-arn', OPS]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/does not grant arn:aws:iam::210987654321:role\/team\/ops/);
    expect(sts.count('AssumeRoleWithSAML')).toBe(0);
  });

  it('--all-roles --output credentials-file writes one credentials profile per role, named from the template with aliases', async () => {
    const result = await cli([
      'saml',
      '--assertion-file',
      await assertionFile(MULTI),
      '--all-roles',
      '--output',
      'credentials-file',
      // 210987654321 has no alias: the names of AWS's role-selection page are not asked for here
      '--no-account-names-from-aws',
      '--account-aliases',
      '123456789012=prod',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const text = await readFile(home.awsCredentialsFile, 'utf8');
    expect(text).toMatch(/\[prod-dev\]\naws_access_key_id = ASIA/);
    expect(text).toMatch(/\[210987654321-ops\]\naws_access_key_id = ASIA/);
    expect(sts.issued.map((c) => c.roleArn).sort()).toEqual([OPS, DEV].sort());
    // the file holds what STS issued, and each profile works
    const dev = sts.issued.find((c) => c.roleArn === DEV)!;
    expect(text).toContain(dev.secretAccessKey);
    expect(result.stderr).not.toContain(dev.secretAccessKey);
  });

  it('--all-roles --duration: the IdP limit is said once, the fallback names the role it applies to', async () => {
    const result = await cli([
      'saml',
      '--assertion-file',
      await assertionFile(MULTI),
      '--all-roles',
      '--output',
      'credentials-file',
      '--no-account-names-from-aws',
      '--duration',
      '12h',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/IdP allows 7200 s sessions/g)).toHaveLength(1);
    // OPS allows one hour, DEV twelve: only OPS falls back, and the notice says so
    expect(result.stderr).toContain(
      `The role ${OPS} does not allow 7200 s sessions (above its MaxSessionDuration); using 3600 s instead.`,
    );
    expect(result.stderr).not.toContain(`The role ${DEV} does not allow`);
  });

  it('an assertion signed by another key is refused by STS (exit 3), nothing printed', async () => {
    const result = await cli(['saml', '--assertion-file', await assertionFile({ signWith: 'other' })]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^fedlogin: .*signature/m);
    expect(result.stdout).toBe('');
  });

  it('saml decode prints the facts as a table and as JSON, never the assertion', async () => {
    const file = await assertionFile(MULTI);
    const table = await cli(['saml', 'decode', file, '--account-aliases', '123456789012=prod']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Status\s+Success$/m);
    expect(table.stdout).toMatch(/^Recipient\s+https:\/\/signin\.aws\.amazon\.com\/saml$/m);
    expect(table.stdout).toMatch(/^SessionDuration\s+7200 s$/m);
    expect(table.stdout).toContain(`${DEV}  [prod]`);
    const json = await cli(['saml', 'decode', '--json'], { input: await readFile(file, 'utf8') });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      roles: { roleArn: string; principalArn: string }[];
      roleSessionName: string;
      expired: boolean;
    };
    expect(parsed.roles).toEqual([
      expect.objectContaining({ roleArn: DEV, principalArn: PROVIDER }),
      expect.objectContaining({ roleArn: OPS, principalArn: OPS_PROVIDER }),
    ]);
    expect(parsed.roleSessionName).toBe('alice');
    expect(parsed.expired).toBe(false);
    const raw = (await readFile(file, 'utf8')).slice(0, 60);
    expect(table.stdout + json.stdout).not.toContain(raw);
  });
});

describeWith(['cmd:script'], 'role prompt on a terminal', () => {
  it('offers a searchable list grouped by account; typing filters, Enter picks', async () => {
    const file = await assertionFile(MULTI);
    const env = hermeticEnv(home.home, { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, TERM: 'xterm' });
    const command = `${process.execPath} ${FEDLOGIN_BIN} saml --assertion-file ${file} --account-aliases 210987654321=ops-account`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    const onOutput = new Set<() => void>();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      for (const check of onOutput) check();
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    /** Resolves once the terminal output satisfies `ready` (checked on every chunk); bounded. */
    const waitFor = (what: string, ready: (text: string) => boolean, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!ready(out)) return;
          settle();
          resolve();
        };
        const settle = () => {
          onOutput.delete(check);
          clearTimeout(timer);
        };
        const timer = setTimeout(() => {
          settle();
          reject(new Error(`no ${what} on the terminal within ${timeoutMs} ms: ${out}`));
        }, timeoutMs);
        onOutput.add(check);
        void exited.then(() => {
          settle();
          if (ready(out)) resolve();
          else reject(new Error(`the CLI exited before ${what}: ${out}`));
        });
        check();
      });
    /** The prompt as last drawn: inquirer redraws it whole (message, typed text, list) on each change. */
    const lastDrawing = (text: string) => text.slice(text.lastIndexOf('Choose a role'));
    let code: number | null;
    try {
      const drawn = (text: string, role: string) => lastDrawing(text).includes(role);
      await waitFor('the list of both roles', (text) => drawn(text, 'team/ops') && drawn(text, 'role/dev'));
      expect(lastDrawing(out)).toContain('ops-account (210987654321)');
      child.stdin.write('ops');
      // filtered: the last drawing lists the ops role and no longer the dev one, so Enter picks ops
      await waitFor('the list filtered by "ops"', (text) => drawn(text, 'team/ops') && !drawn(text, 'role/dev'));
      child.stdin.write('\r');
      await waitFor('credentials', (text) => /"Version":1/.test(text));
      code = await exited;
    } finally {
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the whole pty session, whatever state it is in
      } catch {
        // gone already
      }
    }
    expect(code).toBe(0);
    expect(sts.issued.map((c) => c.roleArn)).toEqual([OPS]);
    expect(existsSync(home.awsCredentialsFile)).toBe(false);
  });
});
