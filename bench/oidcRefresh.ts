/**
 * BENCH_ROWS=oidc: fedlogin's OIDC refresh-token renewal as a whole process (`fedlogin login
 * --profile P` on an oidc profile whose refresh token is stored: discovery, refresh grant, STS,
 * cache write) next to its floor, the same renewal written plainly (bench/plainOidcRefresh.mjs:
 * node:http discovery + refresh grant, then the SDK's AssumeRoleWithWebIdentity). Real parts on
 * loopback: oidc-provider, headless Chromium signing in once per side, the project's STS double.
 * Round-robin, like the other rows.
 */
import { readFileSync } from 'node:fs';
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

const ROLE = 'arn:aws:iam::123456789012:role/bench';
export const OIDC_REFRESH_TARGET = 1.1;

export interface OidcRefreshResult {
  fedlogin: Measurement[];
  floor: Measurement[];
}

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
  const homes = [await makeTempHome(), await makeTempHome()] as const;
  try {
    const envOf = (home: TempHome) => ({
      ...home.env,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: 'us-east-1',
      FEDLOGIN_STORE: 'file',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    // one sign-in per side: each gets its own refresh token (they rotate)
    for (const home of homes) {
      await signInWithOidc(idp, home, { browser, roleArn: ROLE, env: envOf(home), args: ['--prompt', 'consent'] });
    }
    const [fedloginHome, floorHome] = homes;
    await writeFile(
      fedloginHome.awsConfigFile,
      `[profile bench]\nfedlogin_flow = oidc\nfedlogin_issuer = ${idp.issuer}\nfedlogin_client_id = ${idp.clientId}\nfedlogin_role_arn = ${ROLE}\n`,
    );
    const tokenFile = path.join(floorHome.home, 'refresh-token');
    await writeFile(tokenFile, storedRefreshToken(floorHome), { mode: 0o600 });

    const jobs = {
      fedlogin: {
        argv: [process.execPath, path.join(REPO_ROOT, 'bin', 'fedlogin.js'), 'login', '--profile', 'bench'],
        home: fedloginHome,
      },
      floor: {
        argv: [
          process.execPath,
          path.join(REPO_ROOT, 'bench', 'plainOidcRefresh.mjs'),
          '--issuer',
          idp.issuer,
          '--client-id',
          idp.clientId,
          '--role-arn',
          ROLE,
          '--refresh-token-file',
          tokenFile,
        ],
        home: floorHome,
      },
    };
    const result: OidcRefreshResult = { fedlogin: [], floor: [] };
    for (let round = 0; round <= rounds; round++) {
      const order = round % 2 === 0 ? (['fedlogin', 'floor'] as const) : (['floor', 'fedlogin'] as const);
      for (const id of order) {
        const job = jobs[id];
        // the token the last renewal kept would spare this run its refresh grant: the row measures one
        if (id === 'fedlogin') dropKeptOidcTokens(job.home);
        const stderr = path.join(outDir, `oidc-${id}.err`);
        const m = await meter.measure({
          argv: job.argv,
          env: envOf(job.home),
          cwd: job.home.home,
          stdout: path.join(outDir, `oidc-${id}.out`),
          stderr,
          timeoutSeconds: 60,
        });
        if (m.exitCode !== 0) throw new Error(`${id} renewal failed: ${readFileSync(stderr, 'utf8').slice(-1500)}`);
        // the first round warms up
        if (round > 0) result[id].push(m);
      }
      process.stderr.write(`\roidc refresh round ${round}/${rounds}   `);
    }
    process.stderr.write('\n');
    return result;
  } finally {
    await Promise.all([browser.close(), idp.close(), sts.close(), ...homes.map((h) => h.cleanup())]);
  }
}

export function oidcRefreshReport(r: OidcRefreshResult): { lines: string[]; ratio: number } {
  const wall = (ms: Measurement[]) => median(ms.map((m) => m.wallMs));
  const cpu = (ms: Measurement[]) => median(ms.map((m) => m.cpuMs ?? Number.NaN));
  const rss = (ms: Measurement[]) => median(ms.map((m) => m.maxRssKb ?? Number.NaN));
  const wallRatio = ratio(wall(r.fedlogin), wall(r.floor));
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
        [
          'fedlogin login (oidc profile, refresh token)',
          fmtMs(wall(r.fedlogin)),
          fmtMs(cpu(r.fedlogin)),
          fmtMb(rss(r.fedlogin)),
          `${fmtRatio(wallRatio)} wall, ${fmtRatio(ratio(cpu(r.fedlogin), cpu(r.floor)))} CPU, ${fmtRatio(ratio(rss(r.fedlogin), rss(r.floor)))} RSS`,
        ],
      ]),
    ],
  };
}
