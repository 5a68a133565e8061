/**
 * The IAM Identity Center row of `npm run bench` (BENCH_ROWS=sso runs only this): the AWS CLI (the
 * machine's Python `aws`) calling GetCallerIdentity on moto with an SSO profile, its credentials
 * coming natively from the token cache fedlogin wrote (no fedlogin process per call), next to the
 * same call with static keys. The SSO stand-in (test/support/aws/ssoEndpoint.ts) counts the
 * portal and SSO-OIDC calls, so the report shows that the runs made no token renewal.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startMoto } from '../test/support/aws/moto.js';
import { startSsoEndpoint } from '../test/support/aws/ssoEndpoint.js';
import { hermeticEnv, makeTempHome } from '../test/support/cli/runCli.js';
import { hasCommand } from '../test/support/harness/component.js';
import type { ChildMeter, Measurement } from './childMeter.js';
import { fmtMs, fmtRatio, median, quantile, ratio } from './stats.js';

export interface SsoBench {
  /** table rows (without the header) */
  rows: string[][];
  notes: string[];
  report: Record<string, unknown>;
}

export async function measureSso(meter: ChildMeter, options: { bin: string; rounds: number; outDir: string }) {
  const aws = hasCommand('aws');
  if (!aws) return { rows: [], notes: ['sso: skipped (no aws on PATH)'], report: { skipped: 'no aws on PATH' } };
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const moto = await startMoto();
    cleanups.push(() => moto.close());
    const sso = await startSsoEndpoint({
      accounts: [{ accountId: '111111111111', accountName: 'bench', roles: ['Bench'] }],
    });
    cleanups.push(() => sso.close());
    const home = await makeTempHome();
    cleanups.push(() => home.cleanup());
    await writeFile(
      home.awsConfigFile,
      [
        '[sso-session bench]',
        'sso_start_url = https://bench.awsapps.com/start',
        'sso_region = us-east-1',
        '',
        '[profile sso]',
        'sso_session = bench',
        'sso_account_id = 111111111111',
        'sso_role_name = Bench',
        'region = us-east-1',
        '',
        '[profile static]',
        'region = us-east-1',
        '',
      ].join('\n'),
    );
    await writeFile(
      home.awsCredentialsFile,
      '[static]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
      { mode: 0o600 },
    );
    const env = hermeticEnv(home.home, { ...sso.env });
    await promisify(execFile)(process.execPath, [options.bin, 'sso', 'login', '--sso-session', 'bench', '--device'], {
      env,
      timeout: 60_000,
    });
    const commands = [
      { id: 'awsSso', label: 'aws sts get-caller-identity, SSO profile (native token cache)', profile: 'sso' },
      { id: 'awsStatic', label: 'aws sts get-caller-identity, static keys', profile: 'static' },
    ];
    const samples = new Map<string, Measurement[]>(commands.map((c) => [c.id, []]));
    const before = { ...sso.counts };
    for (let round = 0; round < options.rounds + 1; round++) {
      for (let i = 0; i < commands.length; i++) {
        const c = commands[(i + round) % commands.length]!;
        const out = path.join(options.outDir, `${c.id}.out`);
        const m = await meter.measure({
          argv: [
            aws,
            'sts',
            'get-caller-identity',
            '--profile',
            c.profile,
            '--endpoint-url',
            moto.url,
            '--output',
            'json',
          ],
          env,
          cwd: home.home,
          stdout: out,
          stderr: path.join(options.outDir, `${c.id}.err`),
          timeoutSeconds: 60,
        });
        if (m.exitCode !== 0 || !readFileSync(out, 'utf8').includes('"Account"'))
          throw new Error(
            `${c.label} failed: ${readFileSync(path.join(options.outDir, `${c.id}.err`), 'utf8').slice(-500)}`,
          );
        if (round > 0) samples.get(c.id)!.push(m);
      }
    }
    const delta = (op: string) => (sso.counts[op] ?? 0) - (before[op] ?? 0);
    const wall = (id: string) => median(samples.get(id)!.map((m) => m.wallMs));
    const cpu = (id: string) => median(samples.get(id)!.map((m) => m.cpuMs ?? Number.NaN));
    const rows = commands.map((c) => {
      const walls = samples.get(c.id)!.map((m) => m.wallMs);
      return [
        c.label,
        fmtMs(wall(c.id)),
        fmtMs(Math.min(...walls)),
        `${fmtMs(quantile(walls, 0.25))}-${fmtMs(quantile(walls, 0.75))}`,
        c.id === 'awsSso' ? `${fmtRatio(ratio(wall('awsSso'), wall('awsStatic')))} static` : '',
        fmtMs(cpu(c.id)),
      ];
    });
    const notes = [
      `sso: ${options.rounds} rounds round-robin after 1 warm-up; in its ${options.rounds + 1} runs (warm-up included) the SSO profile made ${delta('GetRoleCredentials')} GetRoleCredentials and ${delta('CreateToken')} CreateToken (the token came from the cache fedlogin wrote; no fedlogin process ran)`,
    ];
    return {
      rows,
      notes,
      report: {
        medianWallMs: { sso: wall('awsSso'), static: wall('awsStatic') },
        medianCpuMs: { sso: cpu('awsSso'), static: cpu('awsStatic') },
        getRoleCredentials: delta('GetRoleCredentials'),
        createToken: delta('CreateToken'),
      },
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}
