/**
 * `tsx bench/importCost.ts [module ...]`: what an entry point drags in, and what importing it costs.
 * For each module (default: the credential-process fast path, the CLI, and the heavy libraries)
 * runs fresh Node processes that time `await import(module)` from inside (so process start-up is
 * not counted), and lists every module the import loaded (a loader hook), grouped by package.
 * The baseline row is an empty ES module, i.e. the price of the first dynamic import itself.
 * FEDLOGIN_ROOT=/path/to/installed/fedlogin probes an installed copy's dist/ instead.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../test/support/cli/runCli.js';
import { fmtMs, median, table } from './stats.js';

const RUNS = Number(process.env.BENCH_RUNS) > 0 ? Number(process.env.BENCH_RUNS) : 15;
const ROOT = process.env.FEDLOGIN_ROOT ? path.resolve(process.env.FEDLOGIN_ROOT) : REPO_ROOT;

const HOOKS = `
export async function load(url, context, next) {
  const result = await next(url, context);
  if (!url.startsWith('node:')) process.stderr.write('LOADED ' + url + '\\n');
  return result;
}`;
const REGISTER = (hooks: string) =>
  `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`;
const TIMER = `
import { createRequire } from 'node:module';
const target = process.argv[2];
const t0 = performance.now();
await import(target);
const ms = performance.now() - t0;
// CommonJS files loaded on the way (the ESM hook does not see require() inside CommonJS packages)
process.stdout.write(ms + ' ' + Object.keys(createRequire(import.meta.url).cache).length);`;

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function node(args: string[], cwd: string): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** 'dist/cli/x.js' -> 'fedlogin', '.../node_modules/@aws-sdk/client-sts/...' -> '@aws-sdk/client-sts' */
function packageOfUrl(url: string): string {
  const file = url.startsWith('file:') ? new URL(url).pathname : url;
  const idx = file.lastIndexOf('/node_modules/');
  if (idx < 0) return file.startsWith(ROOT) ? 'fedlogin' : path.basename(file);
  const rest = file.slice(idx + '/node_modules/'.length).split('/');
  return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fedlogin-importcost-'));
  try {
    const hooks = path.join(dir, 'hooks.mjs');
    const register = path.join(dir, 'register.mjs');
    const timer = path.join(dir, 'timer.mjs');
    const empty = path.join(dir, 'empty.mjs');
    await writeFile(hooks, HOOKS);
    await writeFile(register, REGISTER(hooks));
    await writeFile(timer, TIMER);
    await writeFile(empty, '');

    const given = process.argv.slice(2);
    const targets =
      given.length > 0
        ? given
        : [
            pathToFileURL(empty).href,
            pathToFileURL(path.join(ROOT, 'dist/cli/credentialProcess.js')).href,
            pathToFileURL(path.join(ROOT, 'dist/cli/main.js')).href,
            'commander',
            '@aws-sdk/client-sts',
            'openid-client',
            '@inquirer/prompts',
            'playwright-core',
          ];

    const rows = [['module', 'import ms (median)', 'ES modules', 'CommonJS files', 'ES modules by package']];
    for (const target of targets) {
      const label = target.startsWith('file:')
        ? target.endsWith('/empty.mjs')
          ? '(empty ES module)'
          : path.relative(ROOT, new URL(target).pathname)
        : target;
      // Bare names resolve from the project root, as the CLI's own imports do.
      const specifier = target.startsWith('file:')
        ? target
        : import.meta.resolve(target, pathToFileURL(path.join(ROOT, 'package.json')).href);
      const listed = await node(['--import', pathToFileURL(register).href, timer, specifier], ROOT);
      if (listed.code !== 0) {
        rows.push([label, 'failed', '', '', listed.stderr.trim().split('\n').at(-1) ?? '']);
        continue;
      }
      const loaded = listed.stderr
        .split('\n')
        .filter((l) => l.startsWith('LOADED ') && !l.endsWith('/timer.mjs'))
        .map((l) => l.slice(7));
      const commonJs = Number(listed.stdout.split(' ')[1]);
      const byPackage = new Map<string, number>();
      for (const url of loaded) byPackage.set(packageOfUrl(url), (byPackage.get(packageOfUrl(url)) ?? 0) + 1);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const run = await node([timer, specifier], ROOT);
        if (run.code === 0) times.push(Number(run.stdout.split(' ')[0]));
      }
      rows.push([
        label,
        fmtMs(median(times)),
        String(loaded.length),
        String(commonJs),
        [...byPackage]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 6)
          .map(([p, n]) => `${p} ${n}`)
          .join(', '),
      ]);
      if (process.env.BENCH_VERBOSE) for (const url of loaded) console.log(`  ${label}: ${url}`);
    }
    console.log(
      `import cost in a fresh node ${process.version} process, ${RUNS} runs each (ES modules listed by a loader hook; CommonJS files counted from require.cache)\n`,
    );
    console.log(table(rows));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
