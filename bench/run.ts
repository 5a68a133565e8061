/**
 * `npm run bench`: start-up cost of fedlogin next to its yardsticks, measured, not guessed.
 *
 *   bare node          node -e 0
 *   print a line       bench/printLine.cjs: a script file that prints one line (fs.writeSync, then
 *                      process.exit, as the cache hit does): the floor of a cache hit
 *   help               fedlogin --help                                      target <= 1.5x bare node
 *   plain SDK          bench/plainSdk.mjs (AssumeRoleWithWebIdentity, SDK only)
 *   web-identity       fedlogin web-identity --token-file F --role-arn R    target <= 1.3x plain SDK
 *   cache hit          fedlogin credential-process --profile P              target <= 1.15x bare node wall,
 *                                                                                  <= 1.3x bare node peak RSS
 *   CI floor           bench/plainCiGithub.mjs: the GitHub ID-token request with node:http + the SDK STS call
 *   CI peer            bench/peerConfigureAwsCredentials.mjs: configure-aws-credentials' own libraries
 *                      (@actions/core getIDToken + the SDK STS call)
 *   web-identity --ci  fedlogin web-identity --ci github --role-arn R     target <= 1.1x CI floor, < CI peer
 *   stampede           32 parallel credential-process on an empty cache: one STS call, 32 identical answers
 *   flows              OIDC callback -> credentials, OIDC refresh renewal, SAML browser launch and
 *                      captured POST -> credentials, next to the plain SDK call (bench/flows.ts)
 *   sso                the AWS CLI on an IAM Identity Center profile (the token cache fedlogin wrote,
 *                      read natively) next to the same call with static keys (bench/sso.ts);
 *                      BENCH_ROWS=sso measures only this
 *   saml-renew         12 saml profiles of one IdP renewed after expiry (one IdP round trip, the
 *                      assertion kept and shared) next to the same 12 roles as 12 separate sign-ins,
 *                      one after the other (bench/samlRenew.ts); BENCH_ROWS=saml-renew measures only
 *                      this, BENCH_SAML_RENEW_ROUNDS (default 3), BENCH_SAML_RENEW_PARALLEL=1 adds
 *                      all 12 at once (twelve browsers at once on the separate side)
 *
 * The commands run round-robin (a warm-up round, then BENCH_RUNS rounds, default 20) so that the
 * noise of a shared machine lands on all of them alike. Each row shows the median wall time, its
 * spread, and the ratio to node -e 0 and to the floor; CPU time (user + system) is shown too, as it
 * moves much less than the wall time when other work shares the machine.
 * BENCH_ROWS=hit measures only node -e 0, the floor and the cache hit (no stampede, no flows);
 * BENCH_ROWS=ci only node -e 0 and the three CI rows (GitHub-style token endpoint on loopback);
 * BENCH_ROWS=oidc only node -e 0 and the OIDC refresh renewal next to its floor (bench/oidcRefresh.ts). STS is the project's own double
 * (test/support/aws/stsEndpoint.ts) with a local token issuer, in this process, on 127.0.0.1.
 * FEDLOGIN_BIN=/path/to/bin/fedlogin measures that copy (an installed one) instead of bin/fedlogin.js.
 * Prints a table, writes .bench/latest.json, exits 0 unless a command failed.
 */
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type StsEndpoint, startStsEndpoint } from '../test/support/aws/stsEndpoint.js';
import { hermeticEnv, makeTempHome, REPO_ROOT, type TempHome } from '../test/support/cli/runCli.js';
import { startGithubTokenEndpoint } from '../test/support/idp/githubTokenEndpoint.js';
import { SAML_TEST_BROWSER } from '../test/support/idp/samlBrowserLogin.js';
import { startTokenIssuer, type TokenIssuer } from '../test/support/idp/tokenIssuer.js';
import { type ChildMeter, type Measurement, startChildMeter } from './childMeter.js';
import { type FlowTimings, flowRows, measureFlows } from './flows.js';
import { measureOidcRefresh, OIDC_REFRESH_TARGET, type OidcRefreshResult, oidcRefreshReport } from './oidcRefresh.js';
import { measureSamlRenew } from './samlRenew.js';
import { measureSso } from './sso.js';
import { runStampede, type StampedeResult } from './stampede.js';
import { fmtMb, fmtMs, fmtRatio, median, quantile, ratio, table } from './stats.js';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/bench';
const RUNS = positiveInt(process.env.BENCH_RUNS, 20);
const WARMUP_ROUNDS = 1;
const STAMPEDE_SIZE = positiveInt(process.env.BENCH_STAMPEDE, 32);
const STAMPEDE_ROUNDS = 3;
const FLOW_ROUNDS = positiveInt(process.env.BENCH_FLOW_ROUNDS, 5);
const HIT_ONLY = process.env.BENCH_ROWS === 'hit';
const CI_ONLY = process.env.BENCH_ROWS === 'ci';
const OIDC_ONLY = process.env.BENCH_ROWS === 'oidc';
/** skip the stampede and the flows */
const ROWS_ONLY = HIT_ONLY || CI_ONLY || OIDC_ONLY;
const CI_TARGET = 1.1;
const SSO_ONLY = process.env.BENCH_ROWS === 'sso';
const SAML_RENEW_ONLY = process.env.BENCH_ROWS === 'saml-renew';
const SSO_HEADER = ['command', 'median ms', 'min ms', 'p25-p75 ms', 'vs', 'CPU ms'];
const HIT_TARGET = 1.15;
/** a real STS answers in 100-300 ms; the double in ~2 ms, which would hide a stampede race */
const STS_LATENCY_MS = 200;
const JOB_TIMEOUT_SECONDS = 60;

type CommandId =
  | 'bare'
  | 'printLine'
  | 'help'
  | 'plainSdk'
  | 'webIdentity'
  | 'cacheHit'
  | 'ciFloor'
  | 'ciPeer'
  | 'ciGithub';

const CI_IDS: readonly CommandId[] = ['ciFloor', 'ciPeer', 'ciGithub'];

interface BenchCommand {
  id: CommandId;
  label: string;
  argv: string[];
  /** variables over the shared environment (the CI rows' GitHub job variables) */
  env?: Record<string, string>;
  /** checks a successful run's stdout; returns a problem or undefined */
  check?: (stdout: string) => string | undefined;
}

interface Target {
  name: string;
  value: number;
  limit: number;
  unit: 'x' | 'count' | 'bool';
  pass: boolean;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function resolveBin(): { bin: string; source: string } {
  const given = process.env.FEDLOGIN_BIN;
  if (given) {
    // npm runs scripts in the package root; INIT_CWD is where `npm run bench` was typed.
    const bin = path.resolve(process.env.INIT_CWD ?? process.cwd(), given);
    if (!existsSync(bin)) throw new Error(`FEDLOGIN_BIN=${given} does not exist`);
    return { bin, source: `FEDLOGIN_BIN (${realpathSync(bin)})` };
  }
  const bin = path.join(REPO_ROOT, 'bin', 'fedlogin.js');
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run npm run build first');
  return { bin, source: 'repository bin/fedlogin.js' };
}

const looksLikeCredentialJson = (stdout: string) => {
  try {
    const parsed = JSON.parse(stdout) as Record<string, unknown>;
    return parsed.Version === 1 && typeof parsed.AccessKeyId === 'string' ? undefined : 'not credential_process JSON';
  } catch {
    return 'stdout is not JSON';
  }
};

/** BENCH_ROWS=sso: only the IAM Identity Center rows. */
async function ssoOnly(bin: string, source: string): Promise<number> {
  const meter = startChildMeter();
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'fedlogin-bench-out-'));
  try {
    const sso = await measureSso(meter, { bin, rounds: RUNS, outDir });
    console.log(
      [
        `fedlogin bench (sso rows): ${source}`,
        `measured with ${meter.method}`,
        '',
        table([SSO_HEADER, ...sso.rows]),
        '',
        ...sso.notes,
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    console.error('bench: sso rows failed:', error);
    return 1;
  } finally {
    await meter.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

/** BENCH_ROWS=saml-renew: only "SAML: renew 12 roles after expiry" (bench/samlRenew.ts). */
async function samlRenewOnly(bin: string, source: string): Promise<number> {
  const meter = startChildMeter();
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'fedlogin-bench-out-'));
  try {
    const renew = await measureSamlRenew(meter, {
      bin,
      rounds: positiveInt(process.env.BENCH_SAML_RENEW_ROUNDS, 3),
      outDir,
    });
    console.log(
      [
        `fedlogin bench (saml-renew rows): ${source}`,
        `measured with ${meter.method}`,
        '',
        table(renew.rows),
        '',
        ...renew.notes,
      ].join('\n'),
    );
    await mkdir(path.join(REPO_ROOT, '.bench'), { recursive: true });
    writeFileSync(path.join(REPO_ROOT, '.bench', 'saml-renew.json'), `${JSON.stringify(renew.report, null, 2)}\n`);
    return 0;
  } catch (error) {
    console.error('bench: saml-renew rows failed:', error);
    return 1;
  } finally {
    await meter.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const { bin, source } = resolveBin();
  if (SSO_ONLY) return ssoOnly(bin, source);
  if (SAML_RENEW_ONLY) return samlRenewOnly(bin, source);
  const node = process.execPath;
  const cleanups: Array<() => Promise<unknown>> = [];
  let meter: ChildMeter | undefined;
  let failed = false;
  try {
    const issuer: TokenIssuer = await startTokenIssuer();
    cleanups.push(() => issuer.close());
    const sts: StsEndpoint = await startStsEndpoint({
      roles: {
        [ROLE_ARN]: { trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'] }, maxSessionDuration: 43_200 },
      },
    });
    cleanups.push(() => sts.close());
    const github = await startGithubTokenEndpoint({ issuer });
    cleanups.push(() => github.close());
    const home: TempHome = await makeTempHome();
    cleanups.push(() => home.cleanup());
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'fedlogin-bench-out-'));
    cleanups.push(() => rm(outDir, { recursive: true, force: true }));

    // A token valid for the whole run, in a private file.
    const tokenFile = path.join(home.home, 'token');
    await writeFile(
      tokenFile,
      await issuer.sign(
        { sub: 'repo:octo-org/bench:ref:refs/heads/main', aud: 'sts.amazonaws.com' },
        { expiresInSeconds: 3 * 3600 },
      ),
      { mode: 0o600 },
    );
    const credentialProcessLine = (profile: string) =>
      `${quote(node)} ${quote(bin)} credential-process --profile ${profile}`;
    const profileSection = (profile: string) =>
      [
        `[profile ${profile}]`,
        `credential_process = ${credentialProcessLine(profile)}`,
        'fedlogin_flow = web-identity',
        `fedlogin_role_arn = ${ROLE_ARN}`,
        `fedlogin_token_file = ${tokenFile}`,
        'region = us-east-1',
        '',
      ].join('\n');
    await writeFile(home.awsConfigFile, `${profileSection('bench')}\n${profileSection('stampede')}`, { mode: 0o600 });

    // One environment for every command, bare node included.
    const env = hermeticEnv(home.home, {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_STS: sts.url,
      FEDLOGIN_STORE: 'file',
    });

    meter = startChildMeter();
    const runOnce = async (command: BenchCommand, round: string): Promise<Measurement & { stdout: string }> => {
      const stdoutFile = path.join(outDir, `${command.id}.out`);
      const stderrFile = path.join(outDir, `${command.id}.err`);
      const m = await meter!.measure({
        argv: command.argv,
        env: { ...env, ...command.env },
        cwd: home.home,
        stdout: stdoutFile,
        stderr: stderrFile,
        timeoutSeconds: JOB_TIMEOUT_SECONDS,
      });
      const stdout = readFileSync(stdoutFile, 'utf8');
      const problem = m.timedOut
        ? `timed out after ${JOB_TIMEOUT_SECONDS} s`
        : m.exitCode !== 0
          ? `exited with ${m.exitCode ?? `signal ${m.signal}`}`
          : command.check?.(stdout);
      if (problem) {
        const stderr = readFileSync(stderrFile, 'utf8').trim().split('\n').slice(-10).join('\n');
        throw new CommandFailed(
          `${command.label} (${round}) ${problem}\n  argv: ${command.argv.join(' ')}\n  stderr: ${stderr}`,
        );
      }
      return { ...m, stdout };
    };

    // Prime the cache of profile "bench" (one STS call), so credential-process below is a hit.
    const primeCommand: BenchCommand = {
      id: 'cacheHit',
      label: 'prime',
      argv: [node, bin, 'credential-process', '--profile', 'bench'],
      check: looksLikeCredentialJson,
    };
    const primed = (await runOnce(primeCommand, 'prime')).stdout;

    const allCommands: BenchCommand[] = [
      { id: 'bare', label: 'node -e 0', argv: [node, '-e', '0'] },
      {
        id: 'printLine',
        label: 'node script printing one line (floor)',
        argv: [node, path.join(REPO_ROOT, 'bench', 'printLine.cjs')],
      },
      {
        id: 'help',
        label: 'fedlogin --help',
        argv: [node, bin, '--help'],
        check: (out) => (out.includes('web-identity') ? undefined : 'help does not list web-identity'),
      },
      {
        id: 'plainSdk',
        label: 'plain SDK AssumeRoleWithWebIdentity',
        argv: [node, path.join(REPO_ROOT, 'bench', 'plainSdk.mjs'), '--token-file', tokenFile, '--role-arn', ROLE_ARN],
        check: looksLikeCredentialJson,
      },
      {
        id: 'webIdentity',
        label: 'fedlogin web-identity',
        argv: [node, bin, 'web-identity', '--token-file', tokenFile, '--role-arn', ROLE_ARN],
        check: looksLikeCredentialJson,
      },
      {
        id: 'cacheHit',
        label: 'fedlogin credential-process (cache hit)',
        argv: [node, bin, 'credential-process', '--profile', 'bench'],
        check: (out) => (out === primed ? undefined : 'did not print the cached credentials (a cache miss?)'),
      },
    ];
    // the CI rows: a GitHub Actions job's variables, the token endpoint on loopback
    const ciEnv = github.env;
    allCommands.push(
      {
        id: 'ciFloor',
        label: 'CI floor: node:http token request + SDK STS',
        argv: [node, path.join(REPO_ROOT, 'bench', 'plainCiGithub.mjs'), '--role-arn', ROLE_ARN],
        env: ciEnv,
        check: looksLikeCredentialJson,
      },
      {
        id: 'ciPeer',
        label: 'CI peer: @actions/core getIDToken + SDK STS',
        argv: [node, path.join(REPO_ROOT, 'bench', 'peerConfigureAwsCredentials.mjs'), '--role-arn', ROLE_ARN],
        env: ciEnv,
        // getIDToken prints ::add-mask:: first
        check: (out) => looksLikeCredentialJson(out.trim().split('\n').at(-1) ?? ''),
      },
      {
        id: 'ciGithub',
        label: 'fedlogin web-identity --ci github',
        argv: [node, bin, 'web-identity', '--ci', 'github', '--role-arn', ROLE_ARN],
        env: ciEnv,
        check: (out) => looksLikeCredentialJson(out.trim().split('\n').at(-1) ?? ''),
      },
    );
    const commands = HIT_ONLY
      ? allCommands.filter((c) => c.id === 'bare' || c.id === 'printLine' || c.id === 'cacheHit')
      : CI_ONLY
        ? allCommands.filter((c) => c.id === 'bare' || CI_IDS.includes(c.id))
        : OIDC_ONLY
          ? allCommands.filter((c) => c.id === 'bare')
          : allCommands;
    const has = (id: CommandId) => commands.some((c) => c.id === id);

    const samples = new Map<CommandId, Measurement[]>(commands.map((c) => [c.id, []]));
    const stsBefore = sts.count('AssumeRoleWithWebIdentity');
    const totalRounds = WARMUP_ROUNDS + RUNS;
    for (let round = 0; round < totalRounds; round++) {
      const warm = round < WARMUP_ROUNDS;
      // Rotate the order each round too, so no command always follows the same neighbour.
      for (let i = 0; i < commands.length; i++) {
        const command = commands[(i + round) % commands.length]!;
        const m = await runOnce(command, warm ? 'warm-up' : `run ${round - WARMUP_ROUNDS + 1}`);
        if (!warm) samples.get(command.id)!.push(m);
      }
      process.stderr.write(`\r${warm ? 'warm-up' : `round ${round - WARMUP_ROUNDS + 1}/${RUNS}`}   `);
    }
    process.stderr.write('\n');
    const stsCallsDuringRuns = sts.count('AssumeRoleWithWebIdentity') - stsBefore;
    // plain SDK + web-identity; the cache hits add none
    const expectedStsCalls =
      commands.filter((c) => c.id === 'plainSdk' || c.id === 'webIdentity' || CI_IDS.includes(c.id)).length *
      totalRounds;

    const stampedes: StampedeResult[] = [];
    for (let i = 0; i < (ROWS_ONLY ? 0 : STAMPEDE_ROUNDS); i++) {
      const cacheHome = path.join(home.home, `stampede-cache-${i}`);
      await mkdir(cacheHome, { recursive: true, mode: 0o700 });
      sts.delayNext(1, STS_LATENCY_MS, 'AssumeRoleWithWebIdentity');
      stampedes.push(
        await runStampede({
          sts,
          size: STAMPEDE_SIZE,
          argv: [node, bin, 'credential-process', '--profile', 'stampede'],
          env: { ...env, XDG_CACHE_HOME: cacheHome },
          cwd: home.home,
          timeoutMs: JOB_TIMEOUT_SECONDS * 1000,
        }),
      );
      sts.reset(); // drop any delay left unused
    }

    // --- report ---
    const wall = (id: CommandId) => median(samples.get(id)!.map((m) => m.wallMs));
    const ofDefined = (id: CommandId, pick: (m: Measurement) => number | undefined) => {
      const values = samples
        .get(id)!
        .map(pick)
        .filter((v): v is number => v !== undefined);
      return values.length > 0 ? median(values) : Number.NaN;
    };
    const cpu = (id: CommandId) => ofDefined(id, (m) => m.cpuMs);
    const rss = (id: CommandId) => ofDefined(id, (m) => m.maxRssKb);
    const baselineOf: Partial<Record<CommandId, CommandId>> = {
      printLine: 'bare',
      help: 'bare',
      webIdentity: 'plainSdk',
      cacheHit: 'bare',
      ciPeer: 'ciFloor',
      ciGithub: 'ciFloor',
    };
    const nameOf = (id: CommandId) =>
      id === 'bare' ? 'node' : id === 'printLine' ? 'floor' : id === 'ciFloor' ? 'CI floor' : 'plain SDK';
    const versus = (value: number, base: number, id: CommandId) => `${fmtRatio(ratio(value, base))} ${nameOf(id)}`;
    const rows = [
      ['command', 'median ms', 'min ms', 'p25-p75 ms', 'vs', 'vs floor', 'CPU ms', 'vs', 'peak RSS MB', 'vs'],
    ];
    for (const c of commands) {
      const walls = samples.get(c.id)!.map((m) => m.wallMs);
      const base = baselineOf[c.id];
      const vsFloor = c.id === 'cacheHit' ? versus(wall(c.id), wall('printLine'), 'printLine') : '';
      rows.push([
        c.label,
        fmtMs(wall(c.id)),
        fmtMs(Math.min(...walls)),
        `${fmtMs(quantile(walls, 0.25))}-${fmtMs(quantile(walls, 0.75))}`,
        base ? versus(wall(c.id), wall(base), base) : '',
        vsFloor,
        fmtMs(cpu(c.id)),
        base ? versus(cpu(c.id), cpu(base), base) : '',
        fmtMb(rss(c.id)),
        base ? versus(rss(c.id), rss(base), base) : '',
      ]);
    }

    const target = (name: string, value: number, limit: number, unit: Target['unit'] = 'x'): Target => ({
      name,
      value,
      limit,
      unit,
      pass: unit === 'bool' ? value === limit : Number.isFinite(value) && value <= limit,
    });
    const maxStsCalls = Math.max(...stampedes.map((s) => s.stsCalls));
    const targets: Target[] = [
      ...(ROWS_ONLY
        ? []
        : [
            target('fedlogin --help wall <= 1.5x node -e 0', ratio(wall('help'), wall('bare')), 1.5),
            target('web-identity wall <= 1.3x plain SDK script', ratio(wall('webIdentity'), wall('plainSdk')), 1.3),
          ]),
      ...(has('cacheHit')
        ? [
            target(
              `credential-process cache hit wall <= ${HIT_TARGET}x node -e 0`,
              ratio(wall('cacheHit'), wall('bare')),
              HIT_TARGET,
            ),
            target('credential-process cache hit peak RSS <= 1.3x node -e 0', ratio(rss('cacheHit'), rss('bare')), 1.3),
          ]
        : []),
      ...(has('ciGithub')
        ? [
            target(
              `web-identity --ci github wall <= ${CI_TARGET}x the CI floor (node:http + SDK)`,
              ratio(wall('ciGithub'), wall('ciFloor')),
              CI_TARGET,
            ),
            target(
              'web-identity --ci github wall < the CI peer (configure-aws-credentials libraries)',
              ratio(wall('ciGithub'), wall('ciPeer')),
              0.999,
            ),
            target(
              `web-identity --ci github peak RSS <= ${CI_TARGET}x the CI floor`,
              ratio(rss('ciGithub'), rss('ciFloor')),
              CI_TARGET,
            ),
          ]
        : []),
      ...(ROWS_ONLY
        ? []
        : [
            target(
              `stampede: AssumeRoleWithWebIdentity calls per ${STAMPEDE_SIZE} parallel runs = 1`,
              maxStsCalls,
              1,
              'count',
            ),
            target(
              `stampede: all ${STAMPEDE_SIZE} printed identical credentials`,
              stampedes.every((s) => s.identical) ? 1 : 0,
              1,
              'bool',
            ),
          ]),
      target('cache hits made no STS call', stsCallsDuringRuns === expectedStsCalls ? 1 : 0, 1, 'bool'),
    ];

    const out: string[] = [];
    out.push(`fedlogin bench: ${source}`);
    out.push(
      `node ${process.version}, ${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; ${RUNS} rounds round-robin after ${WARMUP_ROUNDS} warm-up`,
    );
    out.push(`measured with ${meter.method}`);
    out.push('');
    out.push(table(rows));
    out.push('');
    if (has('cacheHit'))
      out.push(
        `cache hit: ${fmtMs(wall('cacheHit'))} ms median wall = ${fmtRatio(ratio(wall('cacheHit'), wall('bare')))} node -e 0 (target <= ${HIT_TARGET}x), ` +
          `${fmtRatio(ratio(wall('cacheHit'), wall('printLine')))} the one-line script floor (the floor itself: ${fmtRatio(ratio(wall('printLine'), wall('bare')))} node -e 0); ` +
          `CPU ${fmtRatio(ratio(cpu('cacheHit'), cpu('bare')))} node -e 0, ${fmtRatio(ratio(cpu('cacheHit'), cpu('printLine')))} the floor`,
      );
    if (has('ciGithub'))
      out.push(
        `web-identity --ci github: ${fmtMs(wall('ciGithub'))} ms, ${fmtMb(rss('ciGithub'))} MB = ${fmtRatio(ratio(wall('ciGithub'), wall('ciFloor')))} the CI floor (${fmtMs(wall('ciFloor'))} ms, ${fmtMb(rss('ciFloor'))} MB; target <= ${CI_TARGET}x), ` +
          `${fmtRatio(ratio(wall('ciGithub'), wall('ciPeer')))} the CI peer (${fmtMs(wall('ciPeer'))} ms, ${fmtMb(rss('ciPeer'))} MB; target < 1x)`,
      );
    out.push('');
    if (!ROWS_ONLY)
      out.push(
        `stampede: ${STAMPEDE_SIZE} parallel credential-process, empty cache, STS answering after ${STS_LATENCY_MS} ms, ${STAMPEDE_ROUNDS} times`,
      );
    for (const [i, s] of stampedes.entries()) {
      out.push(
        `  #${i + 1}: total ${fmtMs(s.totalMs)} ms, slowest child ${fmtMs(s.slowestMs)} ms, AssumeRoleWithWebIdentity calls ${s.stsCalls}, ${s.distinctOutputs} distinct output(s), exit codes ${s.exitCodes}`,
      );
    }
    // The interactive flows' own steps (skipped with a reason when no browser is installed, or
    // when measuring an installed copy, whose flows the repository's test parts drive the same way).
    let flows: FlowTimings | undefined;
    if (process.env.BENCH_FLOWS === '0' || ROWS_ONLY) {
      out.push('', `flows: skipped (${ROWS_ONLY ? `BENCH_ROWS=${process.env.BENCH_ROWS}` : 'BENCH_FLOWS=0'})`);
    } else if (!existsSync(SAML_TEST_BROWSER)) {
      out.push('', `flows: skipped (no browser at ${SAML_TEST_BROWSER})`);
    } else {
      flows = await measureFlows(FLOW_ROUNDS);
      out.push(
        '',
        `flows: ${FLOW_ROUNDS} rounds each, real IdPs on loopback`,
        table(flowRows(flows, wall('plainSdk'))),
      );
    }
    // the OIDC refresh renewal as a whole process, next to the same renewal written plainly
    let oidcRefresh: OidcRefreshResult | undefined;
    if ((OIDC_ONLY || (!ROWS_ONLY && process.env.BENCH_FLOWS !== '0')) && existsSync(SAML_TEST_BROWSER)) {
      oidcRefresh = await measureOidcRefresh(meter, positiveInt(process.env.BENCH_OIDC_ROUNDS, 10), outDir);
      const report = oidcRefreshReport(oidcRefresh);
      out.push('', ...report.lines);
      targets.push(
        target(
          `OIDC refresh renewal wall <= ${OIDC_REFRESH_TARGET}x the floor (node:http refresh grant + SDK STS)`,
          report.ratio,
          OIDC_REFRESH_TARGET,
        ),
      );
    }
    const sso = ROWS_ONLY ? undefined : await measureSso(meter, { bin, rounds: RUNS, outDir });
    if (sso) out.push('', table([SSO_HEADER, ...sso.rows]), ...sso.notes);
    out.push('');
    out.push(
      table(
        targets.map((t) => [
          t.pass ? 'PASS' : 'MISS',
          t.name,
          t.unit === 'x' ? fmtRatio(t.value) : t.unit === 'count' ? String(t.value) : t.value === 1 ? 'yes' : 'no',
        ]),
      ),
    );
    console.log(out.join('\n'));

    const report = {
      when: new Date().toISOString(),
      bin: source,
      node: process.version,
      cpus: os.cpus().length,
      loadavg: os.loadavg(),
      method: meter.method,
      runs: RUNS,
      warmupRounds: WARMUP_ROUNDS,
      commands: Object.fromEntries(
        commands.map((c) => [
          c.id,
          {
            label: c.label,
            medianWallMs: wall(c.id),
            medianCpuMs: cpu(c.id),
            medianMaxRssKb: rss(c.id),
            wallMs: samples.get(c.id)!.map((m) => round1(m.wallMs)),
            cpuMs: samples.get(c.id)!.map((m) => (m.cpuMs === undefined ? null : round1(m.cpuMs))),
            maxRssKb: samples.get(c.id)!.map((m) => m.maxRssKb ?? null),
          },
        ]),
      ),
      stampede: { size: STAMPEDE_SIZE, stsLatencyMs: STS_LATENCY_MS, rounds: stampedes },
      flows,
      oidcRefresh,
      sso: sso?.report,
      targets,
    };
    const reportDir = path.join(REPO_ROOT, '.bench');
    await mkdir(reportDir, { recursive: true });
    writeFileSync(path.join(reportDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), path.join(reportDir, 'latest.json')) || '.bench/latest.json'}`);
    if (stampedes.some((s) => s.failures.length > 0)) {
      failed = true;
      for (const s of stampedes) for (const f of s.failures) console.error(`stampede: ${f}`);
    }
  } catch (error) {
    failed = true;
    console.error(error instanceof CommandFailed ? `bench: command failed: ${error.message}` : error);
  } finally {
    await meter?.close();
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e: unknown) => console.error('cleanup:', e));
  }
  return failed ? 1 : 0;
}

class CommandFailed extends Error {}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** For a credential_process line: both botocore (shlex) and the JS SDK (a shell) accept double quotes. */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`;
}

// Bound the whole run: a hung server or child must not hang `npm run bench`.
const overall = setTimeout(() => {
  console.error('bench: gave up after 15 minutes');
  process.exit(1);
}, 15 * 60_000);
overall.unref();
process.exitCode = await main();
clearTimeout(overall);
