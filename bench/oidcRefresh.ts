/**
 * BENCH_ROWS=oidc: fedlogin's OIDC refresh-token renewal as a whole process (`fedlogin login
 * --profile P` on an oidc profile whose refresh token is stored: discovery, refresh grant, STS,
 * cache write) next to its floor, the same renewal written plainly (bench/plainOidcRefresh.mjs:
 * node:http discovery + refresh grant, then the SDK's AssumeRoleWithWebIdentity). Real parts on
 * loopback: oidc-provider, headless Chromium signing in once per side, the project's STS double.
 * Round-robin, like the other rows. fedlogin runs twice: as it is (the issuer's discovery metadata
 * kept from the previous run) and with the metadata dropped before each run (the floor's network
 * work: discovery + grant + STS). The tokens a renewal keeps for the sign-in's other profiles are
 * dropped before every fedlogin run, so each one runs its refresh grant.
 * BENCH_OIDC_BASELINE=/path/to/another/built/checkout adds that checkout's fedlogin (before/after
 * under the same load).
 */
import { readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startStsEndpoint } from '../test/support/aws/stsEndpoint.js';
import { makeTempHome, REPO_ROOT, type TempHome } from '../test/support/cli/runCli.js';
import { dropKeptOidcTokens, storeEntries } from '../test/support/cli/storeEntries.js';
import { launchOidcBrowser } from '../test/support/idp/oidcBrowser.js';
import { startOidcProvider } from '../test/support/idp/oidcProvider.js';
import { signInWithOidc } from '../test/support/idp/oidcSignIn.js';
import type { ChildMeter, Measurement } from './childMeter.js';
import { fmtMb, fmtMs, fmtRatio, median, ratio, table } from './stats.js';

export const ROLE = 'arn:aws:iam::123456789012:role/bench';

/** The floor's command line: bench/plainOidcRefresh.mjs renewing with the refresh token in `tokenFile`. */
export const floorArgv = (idp: { issuer: string; clientId: string }, tokenFile: string): string[] => [
  path.join(REPO_ROOT, 'bench', 'plainOidcRefresh.mjs'),
  '--issuer',
  idp.issuer,
  '--client-id',
  idp.clientId,
  '--role-arn',
  ROLE,
  '--refresh-token-file',
  tokenFile,
];
export const OIDC_REFRESH_TARGET = 1.1;

export interface OidcRefreshResult {
  /** fedlogin as it runs: the discovery metadata kept from the previous run */
  fedlogin: Measurement[];
  /** fedlogin with the discovery metadata dropped before each run: the floor's network work */
  fedloginDiscovering: Measurement[];
  /** `credential-process` with a stale cache (what an AWS tool runs): the launcher's miss path, no CLI parser */
  credentialProcess: Measurement[];
  floor: Measurement[];
  /** BENCH_OIDC_BASELINE=/path/to/another/checkout (built): its fedlogin, same rounds, same load */
  baseline?: Measurement[];
  baselineCredentialProcess?: Measurement[];
}

type JobId =
  | 'fedlogin'
  | 'fedloginDiscovering'
  | 'credentialProcess'
  | 'floor'
  | 'baseline'
  | 'baselineCredentialProcess';

/** The refresh token fedlogin stored in a file-store HOME (the one entry whose key says so). */
function storedRefreshToken(home: TempHome): string {
  const found = storeEntries(home, 'oidc-refresh-v1-');
  if (found.length !== 1) throw new Error(`expected one stored refresh token, found ${found.length}`);
  return found[0]!.value;
}

export async function measureOidcRefresh(
  meter: ChildMeter,
  rounds: number,
  outDir: string,
): Promise<OidcRefreshResult> {
  const [idp, browser] = await Promise.all([startOidcProvider(), launchOidcBrowser()]);
  const sts = await startStsEndpoint({
    roles: { [ROLE]: { trust: { issuer: idp.issuer, audiences: [idp.clientId] } } },
  });
  const baselineRoot = process.env.BENCH_OIDC_BASELINE ? path.resolve(process.env.BENCH_OIDC_BASELINE) : undefined;
  const ids: JobId[] = [
    'fedlogin',
    'fedloginDiscovering',
    'credentialProcess',
    'floor',
    ...(baselineRoot ? (['baseline', 'baselineCredentialProcess'] as const) : []),
  ];
  const homes = Object.fromEntries(
    await Promise.all(ids.map(async (id) => [id, await makeTempHome()] as const)),
  ) as Record<JobId, TempHome>;
  try {
    const envOf = (home: TempHome) => ({
      ...home.env,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: 'us-east-1',
      FEDLOGIN_STORE: 'file',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    // one sign-in per side: each gets its own refresh token (they rotate)
    for (const id of ids) {
      await signInWithOidc(idp, homes[id], {
        browser,
        roleArn: ROLE,
        env: envOf(homes[id]),
        args: ['--prompt', 'consent'],
      });
    }
    const profile = `[profile bench]\nfedlogin_flow = oidc\nfedlogin_issuer = ${idp.issuer}\nfedlogin_client_id = ${idp.clientId}\nfedlogin_role_arn = ${ROLE}\n`;
    for (const id of ids) if (id !== 'floor') await writeFile(homes[id].awsConfigFile, profile);
    const tokenFile = path.join(homes.floor.home, 'refresh-token');
    await writeFile(tokenFile, storedRefreshToken(homes.floor), { mode: 0o600 });

    // STS's clock an hour behind: every credential set is stale in fedlogin's cache at once, so each
    // credential-process renews
    sts.setClockSkew(-3600_000);
    const fedlogin = (root: string, command: string) => [
      process.execPath,
      path.join(root, 'bin', 'fedlogin.js'),
      command,
      '--profile',
      'bench',
    ];
    const login = (root: string) => fedlogin(root, 'login');
    const argv: Record<JobId, string[]> = {
      fedlogin: login(REPO_ROOT),
      fedloginDiscovering: login(REPO_ROOT),
      credentialProcess: fedlogin(REPO_ROOT, 'credential-process'),
      baseline: login(baselineRoot ?? REPO_ROOT),
      baselineCredentialProcess: fedlogin(baselineRoot ?? REPO_ROOT, 'credential-process'),
      floor: [process.execPath, ...floorArgv(idp, tokenFile)],
    };
    const result: OidcRefreshResult = {
      fedlogin: [],
      fedloginDiscovering: [],
      credentialProcess: [],
      floor: [],
      ...(baselineRoot ? { baseline: [], baselineCredentialProcess: [] } : {}),
    };
    for (let round = 0; round <= rounds; round++) {
      // round-robin, the order turning each round
      const order = ids.map((_, i) => ids[(i + round) % ids.length]!);
      for (const id of order) {
        const home = homes[id];
        // the token the last renewal kept would spare this run its refresh grant: the row measures one
        if (id !== 'floor') dropKeptOidcTokens(home);
        if (id === 'fedloginDiscovering') for (const { file } of storeEntries(home, 'oidc-discovery-v1-')) rmSync(file);
        const stderr = path.join(outDir, `oidc-${id}.err`);
        const m = await meter.measure({
          argv: argv[id],
          env: envOf(home),
          cwd: home.home,
          stdout: path.join(outDir, `oidc-${id}.out`),
          stderr,
          timeoutSeconds: 60,
        });
        if (m.exitCode !== 0) throw new Error(`${id} renewal failed: ${readFileSync(stderr, 'utf8').slice(-1500)}`);
        // the first round warms up
        if (round > 0) result[id]!.push(m);
      }
      process.stderr.write(`\roidc refresh round ${round}/${rounds}   `);
    }
    process.stderr.write('\n');
    return result;
  } finally {
    await Promise.all([browser.close(), idp.close(), sts.close(), ...Object.values(homes).map((h) => h.cleanup())]);
  }
}

export function oidcRefreshReport(r: OidcRefreshResult): { lines: string[]; ratio: number } {
  const wall = (ms: Measurement[]) => median(ms.map((m) => m.wallMs));
  const cpu = (ms: Measurement[]) => median(ms.map((m) => m.cpuMs ?? Number.NaN));
  const rss = (ms: Measurement[]) => median(ms.map((m) => m.maxRssKb ?? Number.NaN));
  const wallRatio = ratio(wall(r.fedlogin), wall(r.floor));
  const row = (label: string, ms: Measurement[]) => [
    label,
    fmtMs(wall(ms)),
    fmtMs(cpu(ms)),
    fmtMb(rss(ms)),
    `${fmtRatio(ratio(wall(ms), wall(r.floor)))} wall, ${fmtRatio(ratio(cpu(ms), cpu(r.floor)))} CPU, ${fmtRatio(ratio(rss(ms), rss(r.floor)))} RSS`,
  ];
  return {
    ratio: wallRatio,
    lines: [
      table([
        ['OIDC refresh-token renewal (whole process)', 'median ms', 'CPU ms', 'peak RSS MB', 'vs floor'],
        [
          'floor: node:http discovery + refresh grant + SDK STS',
          fmtMs(wall(r.floor)),
          fmtMs(cpu(r.floor)),
          fmtMb(rss(r.floor)),
          '',
        ],
        row('fedlogin login (oidc profile, refresh token; discovery kept)', r.fedlogin),
        row('fedlogin login, discovering each run (as the floor does)', r.fedloginDiscovering),
        row('fedlogin credential-process (stale cache: the renewal AWS tools run)', r.credentialProcess),
        ...(r.baseline ? [row(`baseline: login (${process.env.BENCH_OIDC_BASELINE})`, r.baseline)] : []),
        ...(r.baselineCredentialProcess ? [row('baseline: credential-process', r.baselineCredentialProcess)] : []),
      ]),
    ],
  };
}
