/**
 * Profiling helper for the BENCH_ROWS=oidc row: builds one bench-like HOME (oidc-provider,
 * Chromium sign-in once, STS double with its clock an hour behind so every cache entry is stale),
 * then runs `fedlogin credential-process --profile bench` (or FEDLOGIN_PROFILE_CMD=login) under
 * whatever wrapper argv OIDC_PROFILE_WRAP gives (JSON array, e.g. ["strace","-c","-f"]) and node
 * flags OIDC_PROFILE_NODE (JSON array, e.g. ["--cpu-prof","--cpu-prof-dir=/tmp/prof"]),
 * OIDC_PROFILE_RUNS times (default 5), printing each run's wall time. Not a bench row.
 *   npx tsx bench/oidcProfile.ts
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startStsEndpoint } from '../test/support/aws/stsEndpoint.js';
import { makeTempHome, REPO_ROOT } from '../test/support/cli/runCli.js';
import { dropKeptOidcTokens, storeEntries } from '../test/support/cli/storeEntries.js';
import { launchOidcBrowser } from '../test/support/idp/oidcBrowser.js';
import { startOidcProvider } from '../test/support/idp/oidcProvider.js';
import { signInWithOidc } from '../test/support/idp/oidcSignIn.js';
import { floorArgv, ROLE } from './oidcRefresh.js';

const [idp, browser] = await Promise.all([startOidcProvider(), launchOidcBrowser()]);
const sts = await startStsEndpoint({ roles: { [ROLE]: { trust: { issuer: idp.issuer, audiences: [idp.clientId] } } } });
const home = await makeTempHome();
const env = {
  ...home.env,
  AWS_ENDPOINT_URL_STS: sts.url,
  AWS_REGION: 'us-east-1',
  FEDLOGIN_STORE: 'file',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
try {
  await signInWithOidc(idp, home, { browser, roleArn: ROLE, env, args: ['--prompt', 'consent'] });
  await writeFile(
    home.awsConfigFile,
    `[profile bench]\nfedlogin_flow = oidc\nfedlogin_issuer = ${idp.issuer}\nfedlogin_client_id = ${idp.clientId}\nfedlogin_role_arn = ${ROLE}\n`,
  );
  sts.setClockSkew(-3600_000);
  const wrap = JSON.parse(process.env.OIDC_PROFILE_WRAP ?? '[]') as string[];
  const nodeFlags = JSON.parse(process.env.OIDC_PROFILE_NODE ?? '[]') as string[];
  const command = process.env.FEDLOGIN_PROFILE_CMD ?? 'credential-process';
  // FEDLOGIN_PROFILE_CMD=floor: bench/plainOidcRefresh.mjs with the stored refresh token
  const tokenFile = path.join(home.home, 'refresh-token');
  await writeFile(tokenFile, storeEntries(home, 'oidc-refresh-v1-')[0]!.value, { mode: 0o600 });
  const runs = Number(process.env.OIDC_PROFILE_RUNS ?? 5);
  for (let i = 0; i < runs; i++) {
    dropKeptOidcTokens(home);
    const target =
      command === 'floor'
        ? floorArgv(idp, tokenFile)
        : [path.join(REPO_ROOT, 'bin', 'fedlogin.js'), command, '--profile', 'bench'];
    const argv = [...wrap, process.execPath, ...nodeFlags, ...target];
    const t0 = performance.now();
    // asynchronously: the IdP and STS run in this process
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(argv[0]!, argv.slice(1), { env, cwd: home.home, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status, stderr }));
    });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr.slice(-2000)}`);
    process.stdout.write(`run ${i}: ${ms.toFixed(1)} ms\n`);
    if (wrap.length && r.stderr) process.stdout.write(r.stderr.slice(-6000));
  }
} finally {
  await Promise.all([browser.close(), idp.close(), sts.close(), home.cleanup()]);
}
