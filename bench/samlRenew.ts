/**
 * BENCH_ROWS=saml-renew: "SAML: renew 12 roles after expiry". Twelve saml credential_process
 * profiles (12 roles over 6 accounts), every cached credential expired, renewed by 12
 * `fedlogin credential-process` runs, one after the other (and all at once with
 * BENCH_SAML_RENEW_PARALLEL=1):
 *
 *   shared     the 12 profiles share one fedlogin_idp_url: one headless IdP round trip, the
 *              assertion kept and reused by the other 11 (src/flows/saml/sharedAssertion.ts)
 *   separate   the same 12 roles, each profile with its own fedlogin_idp_url variant (a query
 *              parameter the IdP ignores), so its own browser profile and kept assertion: what 12
 *              separate sign-ins cost (each still headless through a session copied in at setup)
 *
 * Real parts on loopback: the samlify IdP (it counts its SAMLResponses), fedlogin's own headless
 * Chromium, the project's STS double (it counts AssumeRoleWithSAML). Sides alternate each round.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { browserProfileDir } from '../src/flows/saml/browserProfileDir.js';
import { startStsEndpoint } from '../test/support/aws/stsEndpoint.js';
import { addSamlToSts } from '../test/support/aws/stsSaml.js';
import { hermeticEnv, makeTempHome, type TempHome } from '../test/support/cli/runCli.js';
import { letRenewalsExpire, SAML_TEST_BROWSER, samlLoginThroughForm } from '../test/support/idp/samlBrowserLogin.js';
import { startSamlIdp } from '../test/support/idp/samlIdp.js';
import { roleAttributeValues, TWELVE_SAML_ROLES } from '../test/support/idp/samlManyRoles.js';
import type { ChildMeter, Measurement } from './childMeter.js';
import { fmtMs, fmtRatio, median, ratio } from './stats.js';

const ROLES = TWELVE_SAML_ROLES;

type Side = 'shared' | 'separate';
type Mode = 'sequence' | 'parallel';
/** all 12 at once is twelve browsers at once on the separate side: only when asked (BENCH_SAML_RENEW_PARALLEL=1) */
const MODES: readonly Mode[] = process.env.BENCH_SAML_RENEW_PARALLEL === '1' ? ['sequence', 'parallel'] : ['sequence'];

export interface SamlRenewResult {
  rows: string[][];
  notes: string[];
  report: Record<string, unknown>;
}

interface SideSetup {
  home: TempHome;
  env: NodeJS.ProcessEnv;
  idpUrls: string[];
}

export async function measureSamlRenew(
  meter: ChildMeter,
  options: { bin: string; rounds: number; outDir: string },
): Promise<SamlRenewResult> {
  const idp = await startSamlIdp({ roles: roleAttributeValues(ROLES), sessionDuration: 3600 });
  const sts = await startStsEndpoint({
    roles: Object.fromEntries(ROLES.map((r) => [r.roleArn, { maxSessionDuration: 3600 }])),
  });
  addSamlToSts(sts, { providers: Object.fromEntries(ROLES.map((r) => [r.provider, { certPem: idp.certPem }])) });
  const sides = new Map<Side, SideSetup>();
  try {
    for (const side of ['shared', 'separate'] as const) {
      const home = await makeTempHome();
      const env = hermeticEnv(home.home, {
        AWS_ENDPOINT_URL_STS: sts.url,
        FEDLOGIN_BROWSER_LOOPBACK_ONLY: '1',
        FEDLOGIN_STORE: 'file',
      });
      const urlOf = (i: number) => (side === 'shared' ? idp.ssoUrl : `${idp.ssoUrl}?fedlogin-bench=${i}`);
      const idpUrls = [...new Set(ROLES.map((_, i) => urlOf(i)))];
      await writeFile(
        home.awsConfigFile,
        ROLES.map((r, i) =>
          [
            `[profile ${r.profile}]`,
            `credential_process = fedlogin credential-process --profile ${r.profile}`,
            'fedlogin_flow = saml',
            `fedlogin_idp_url = ${urlOf(i)}`,
            `fedlogin_role_arn = ${r.roleArn}`,
            'region = us-east-1',
            `fedlogin_managed_by = saml:${urlOf(i)}`,
            `fedlogin_browser = ${SAML_TEST_BROWSER}`,
            // twelve headless browsers at once on a loaded machine outlast the default 10 s
            'fedlogin_silent_timeout = 120s',
            '',
          ].join('\n'),
        ).join('\n'),
        { mode: 0o600 },
      );
      // one sign-in through the IdP's form; the separate side copies that browser profile (its
      // session cookie) to each URL variant's profile, so every renewal there is headless too
      const first = await samlLoginThroughForm(home, idp, sts.url, ['--role-arn', ROLES[0]!.roleArn]);
      if (first.code !== 0) throw new Error(`the first sign-in failed: ${first.stderr.slice(-1000)}`);
      if (side === 'separate')
        for (const url of idpUrls)
          await cp(browserProfileDir(env, idp.ssoUrl), browserProfileDir(env, url), { recursive: true });
      sides.set(side, { home, env, idpUrls });
    }

    const samples = new Map<string, number[]>();
    const counts = new Map<string, { idp: number[]; sts: number[] }>();
    const renew = async (side: Side, mode: Mode): Promise<void> => {
      const { home, env, idpUrls } = sides.get(side)!;
      await letRenewalsExpire(
        env,
        ROLES.map((r) => r.profile),
        idpUrls,
      );
      const before = { idp: idp.stats.responses, sts: sts.count('AssumeRoleWithSAML') };
      const one = (r: (typeof ROLES)[number], i: number): Promise<Measurement> =>
        meter.measure({
          argv: [process.execPath, options.bin, 'credential-process', '--profile', r.profile],
          env: env as Record<string, string>,
          cwd: home.home,
          stdout: path.join(options.outDir, `saml-renew-${side}-${i}.out`),
          stderr: path.join(options.outDir, `saml-renew-${side}-${i}.err`),
          timeoutSeconds: 300,
        });
      const started = performance.now();
      let runs: Measurement[];
      if (mode === 'sequence') {
        runs = [];
        for (const [i, r] of ROLES.entries()) runs.push(await one(r, i));
      } else {
        // the meter reaps one child at a time: all at once goes around it
        runs = await Promise.all(
          ROLES.map((r, i) =>
            spawnTimed([process.execPath, options.bin, 'credential-process', '--profile', r.profile], {
              env,
              cwd: home.home,
              stdout: path.join(options.outDir, `saml-renew-${side}-${i}.out`),
              stderr: path.join(options.outDir, `saml-renew-${side}-${i}.err`),
            }),
          ),
        );
      }
      const wall = performance.now() - started;
      for (const [i, m] of runs.entries()) {
        const out = await readFile(path.join(options.outDir, `saml-renew-${side}-${i}.out`), 'utf8').catch(() => '');
        if (m.exitCode !== 0 || !out.includes('"AccessKeyId"')) {
          const err = await readFile(path.join(options.outDir, `saml-renew-${side}-${i}.err`), 'utf8').catch(() => '');
          throw new Error(
            `${side} ${mode}: credential-process --profile ${ROLES[i]!.profile} failed: ${err.slice(-800)}`,
          );
        }
      }
      const id = `${side}/${mode}`;
      samples.set(id, [...(samples.get(id) ?? []), wall]);
      const c = counts.get(id) ?? { idp: [], sts: [] };
      c.idp.push(idp.stats.responses - before.idp);
      c.sts.push(sts.count('AssumeRoleWithSAML') - before.sts);
      counts.set(id, c);
    };

    // the setup's sign-ins warmed the browser and node up: no warm-up round
    for (let round = 1; round <= options.rounds; round++) {
      for (const mode of MODES) {
        const order: Side[] = round % 2 === 0 ? ['shared', 'separate'] : ['separate', 'shared'];
        for (const side of order) await renew(side, mode);
      }
      process.stderr.write(`\rsaml-renew: round ${round}/${options.rounds}   `);
    }
    process.stderr.write('\n');

    const med = (id: string) => median(samples.get(id)!);
    const countsOf = (id: string) => {
      const c = counts.get(id)!;
      const same = (xs: number[]) => (xs.every((x) => x === xs[0]) ? String(xs[0]) : xs.join('/'));
      return { idp: same(c.idp), sts: same(c.sts) };
    };
    const rows: string[][] = [
      ['SAML: renew 12 roles after expiry', 'median ms', 'min ms', 'IdP round trips', 'AssumeRoleWithSAML', 'vs'],
    ];
    const report: Record<string, unknown> = {};
    for (const mode of MODES) {
      const label = mode === 'sequence' ? 'one after the other' : 'all 12 at once';
      for (const side of ['shared', 'separate'] as const) {
        const id = `${side}/${mode}`;
        const c = countsOf(id);
        rows.push([
          `${side === 'shared' ? 'one IdP (shared assertion)' : '12 separate sign-ins'}, ${label}`,
          fmtMs(med(id)),
          fmtMs(Math.min(...samples.get(id)!)),
          c.idp,
          c.sts,
          side === 'shared' ? `${fmtRatio(ratio(med(`shared/${mode}`), med(`separate/${mode}`)))} separate` : '',
        ]);
        report[id] = { medianWallMs: med(id), walls: samples.get(id), idpRoundTrips: c.idp, assumeRoleWithSaml: c.sts };
      }
    }
    const notes = [
      `saml-renew: 12 saml profiles (12 roles over 6 accounts), every cached credential and kept assertion expired before each measurement; ${options.rounds} rounds (no warm-up: the setup's sign-ins warm up), sides alternating; wall time of all 12 credential-process runs; headless Chromium ${SAML_TEST_BROWSER}, samlify IdP and STS double on loopback (STS answers in ~ms, a real one in 100-300 ms per call, the same 12 calls on both sides)`,
    ];
    return { rows, notes, report };
  } finally {
    await Promise.all([idp.close(), sts.close(), ...[...sides.values()].map((s) => s.home.cleanup())]);
  }
}

/** One child, timed from Node (wall only): for runs that must overlap, which the meter serialises. */
function spawnTimed(
  argv: string[],
  io: { env: NodeJS.ProcessEnv; cwd: string; stdout: string; stderr: string },
): Promise<Measurement> {
  const out = openSync(io.stdout, 'w', 0o600);
  const err = openSync(io.stderr, 'w', 0o600);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env: io.env, cwd: io.cwd, stdio: ['ignore', out, err] });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, 300_000);
    const done = () => {
      clearTimeout(timer);
      closeSync(out);
      closeSync(err);
    };
    child.once('error', (error) => {
      done();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      done();
      resolve({
        wallMs: performance.now() - started,
        cpuMs: undefined,
        maxRssKb: undefined,
        exitCode: code,
        signal,
        timedOut,
      });
    });
  });
}
