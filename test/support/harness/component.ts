import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/**
 * The one rule for tests that need a part of the machine (moto_server, a browser, the AWS CLI, a
 * keychain, a shell, a Python package): they declare it with describeWith / itWith. On a laptop a
 * missing part skips them with the reason printed; under CI (isCi: CI set, and not 'false' or '0')
 * a missing part is a failing test that names it, so CI never goes green by skipping. The only
 * exception is declared where the test is, with the reason: `{ optionalInCi: 'why' }`.
 *
 * Detection runs once per component per process (cached on globalThis, so every test file in a
 * worker shares it). A probe that runs the component (moto_server --help, aws --version) gets a
 * generous bound; one that is merely slow (a loaded machine) counts as present, with a warning: the
 * tests then run and fail on their own if the part really is broken, and a slow probe never fails
 * a file by itself.
 */

export type KnownComponent =
  | 'moto_server'
  | 'chromium'
  | 'aws-cli-v1'
  | 'aws-cli-v2'
  | 'boto3'
  | 'secret-service'
  | 'keychain'
  | 'botocore'
  | 'python-dotenv'
  | 'playwright-core'
  | 'oidc-provider'
  | 'samlify';

/** A known component, or an ad hoc one: 'cmd:NAME' (an executable on PATH) or 'npm:PACKAGE'. */
export type ComponentName = KnownComponent | `cmd:${string}` | `npm:${string}`;

export type ComponentStatus =
  | { name: string; available: true /** the executable or package directory found */; path?: string; detail?: string }
  | { name: string; available: false; reason: string };

type Detector = () => ComponentStatus;

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** A probe that takes longer is slow, not failing: see the module comment. */
export const PROBE_TIMEOUT_MS = 60_000;

/** The absolute path of an executable on PATH, or undefined. */
export function hasCommand(command: string, searchPath = process.env.PATH ?? ''): string | undefined {
  if (command.includes('/')) return isExecutable(command) ? command : undefined;
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export type ProbeResult =
  | { outcome: 'ok'; output: string }
  | { outcome: 'failed'; detail: string }
  | { outcome: 'slow' };

/** Runs a probe command, bounded by PROBE_TIMEOUT_MS: its combined output, a failure, or 'slow'. */
export function probe(
  command: string,
  args: string[],
  options: { timeoutMs?: number; cwd?: string } = {},
): ProbeResult {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? PROBE_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd,
  });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') return { outcome: 'slow' };
  if (result.error) return { outcome: 'failed', detail: result.error.message };
  if (result.status !== 0) {
    const lines = result.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('Node.js v'));
    const why = lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? '';
    return { outcome: 'failed', detail: `exit ${result.status ?? result.signal}: ${why}` };
  }
  return { outcome: 'ok', output: `${result.stdout}${result.stderr}` };
}

const missing = (name: string, reason: string): ComponentStatus => ({ name, available: false, reason });

/** A probe that did not finish in time: present, with the warning printed once. */
function slow(name: string, path: string, what: string): ComponentStatus {
  const detail = `${what} did not finish within ${PROBE_TIMEOUT_MS / 1000} s (a loaded machine?); assuming ${name} is present`;
  console.warn(`[component] ${detail}`);
  return { name, available: true, path, detail };
}

function commandComponent(name: string, command: string, probeArgs?: string[]): ComponentStatus {
  const found = hasCommand(command);
  if (!found) return missing(name, `${command} not found on PATH`);
  // pyenv shims exist for commands the selected Python lacks, so run it once to be sure.
  if (probeArgs) {
    const result = probe(found, probeArgs);
    if (result.outcome === 'slow') return slow(name, found, `${found} ${probeArgs.join(' ')}`);
    if (result.outcome === 'failed') return missing(name, `${found} ${probeArgs.join(' ')} failed (${result.detail})`);
  }
  return { name, available: true, path: found };
}

/** A Python module importable by python3 on PATH. */
function pythonModule(name: string, module: string, install: string): ComponentStatus {
  const python = hasCommand('python3');
  if (!python) return missing(name, 'python3 not found on PATH');
  const result = probe(python, ['-c', `import ${module}; print(getattr(${module.split('.')[0]}, '__version__', ''))`]);
  if (result.outcome === 'slow') return slow(name, python, `python3 -c 'import ${module}'`);
  if (result.outcome === 'failed') return missing(name, `${python} cannot import ${module} (${install})`);
  return { name, available: true, path: python, detail: result.output.trim() };
}

/**
 * A keychain that answers on this session (on Linux: a Secret Service on DBUS_SESSION_BUS_ADDRESS,
 * such as an unlocked gnome-keyring): a write, a read back and a delete, in a child process so that
 * a bus that never answers cannot stop this one. A keychain that says nothing within the bound
 * cannot run keychain tests either, so here slow means missing.
 */
function keychain(): ComponentStatus {
  const script = [
    "const { AsyncEntry } = await import('@napi-rs/keyring');",
    "const entry = new AsyncEntry('fedlogin-component-probe', `probe-${process.pid}`, { linux: { store: 'secret-service' } });",
    "await entry.setPassword('probe');",
    'const back = await entry.getPassword();',
    'await entry.deletePassword();',
    "if (back !== 'probe') throw new Error('the keychain did not return what was stored');",
    'process.exit(0);',
  ].join('\n');
  const result = probe(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT });
  if (result.outcome === 'ok') return { name: 'keychain', available: true };
  const why = result.outcome === 'slow' ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s` : result.detail;
  return missing(
    'keychain',
    `no keychain answers here (${why}); on Linux run inside dbus-run-session with an unlocked gnome-keyring`,
  );
}

function awsCli(name: string, major: 1 | 2): ComponentStatus {
  const candidates = new Set<string>();
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir !== '' && isExecutable(path.join(dir, 'aws'))) candidates.add(path.join(dir, 'aws'));
  }
  for (const fixed of ['/usr/bin/aws', '/usr/local/bin/aws']) if (isExecutable(fixed)) candidates.add(fixed);
  const seen: string[] = [];
  let slowOne: string | undefined;
  for (const candidate of candidates) {
    const result = probe(candidate, ['--version']);
    if (result.outcome === 'slow') slowOne ??= candidate;
    if (result.outcome !== 'ok') continue;
    const version = result.output.trim();
    seen.push(`${candidate}: ${version.split(' ')[0]}`);
    if (version.startsWith(`aws-cli/${major}.`)) return { name, available: true, path: candidate, detail: version };
  }
  if (slowOne !== undefined) return slow(name, slowOne, `${slowOne} --version`);
  return missing(name, `no AWS CLI v${major} found (${seen.length > 0 ? seen.join(', ') : 'no aws executable'})`);
}

function npmPackage(name: string, pkg: string): ComponentStatus {
  for (let dir = REPO_ROOT; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', pkg);
    if (existsSync(path.join(candidate, 'package.json'))) return { name, available: true, path: candidate };
    if (path.dirname(dir) === dir) break;
  }
  return missing(name, `npm package ${pkg} is not installed`);
}

const detectors: Record<string, Detector> = {
  moto_server: () => commandComponent('moto_server', 'moto_server', ['--help']),
  chromium: () => {
    const candidates = [
      process.env.CHROMIUM_PATH,
      '/usr/lib/chromium/chromium',
      hasCommand('chromium'),
      hasCommand('chromium-browser'),
      hasCommand('google-chrome'),
    ];
    const found = candidates.find((c): c is string => c !== undefined && c !== '' && isExecutable(c));
    return found
      ? { name: 'chromium', available: true, path: found }
      : missing('chromium', 'no Chromium or Chrome found (apt-get install chromium)');
  },
  'aws-cli-v1': () => awsCli('aws-cli-v1', 1),
  'aws-cli-v2': () => awsCli('aws-cli-v2', 2),
  boto3: () => pythonModule('boto3', 'boto3', 'apt-get install python3-boto3'),
  botocore: () => pythonModule('botocore', 'botocore.session', 'apt-get install python3-botocore'),
  'python-dotenv': () => pythonModule('python-dotenv', 'dotenv', 'pip install python-dotenv'),
  keychain,
  'secret-service': () => {
    for (const command of ['dbus-run-session', 'gnome-keyring-daemon']) {
      if (!hasCommand(command))
        return missing('secret-service', `${command} not found on PATH (apt-get install dbus gnome-keyring)`);
    }
    return { name: 'secret-service', available: true };
  },
  'playwright-core': () => npmPackage('playwright-core', 'playwright-core'),
  'oidc-provider': () => npmPackage('oidc-provider', 'oidc-provider'),
  samlify: () => npmPackage('samlify', 'samlify'),
};

// One detection per process: test files in one worker each load this module afresh.
const CACHE_KEY = Symbol.for('fedlogin.test.components');
const processGlobals = globalThis as Record<symbol, unknown>;
processGlobals[CACHE_KEY] ??= new Map<string, ComponentStatus>();
const cache = processGlobals[CACHE_KEY] as Map<string, ComponentStatus>;

/** Whether a component is present (detected once per process). */
export function component(name: ComponentName): ComponentStatus {
  let status = cache.get(name);
  if (!status) {
    if (name.startsWith('cmd:')) status = commandComponent(name, name.slice(4));
    else if (name.startsWith('npm:')) status = npmPackage(name, name.slice(4));
    else {
      const detect = detectors[name];
      status = detect ? detect() : missing(name, `unknown component '${name}' (register it with registerComponent)`);
    }
    cache.set(name, status);
  }
  return status;
}

/** Adds or replaces the detector of a component. */
export function registerComponent(name: string, detect: Detector): void {
  detectors[name] = detect;
  cache.delete(name);
}

/** The path of an available component; throws naming what is missing otherwise. */
export function componentPath(name: ComponentName): string {
  const status = component(name);
  if (!status.available) throw new Error(`component ${name} is missing: ${status.reason}`);
  if (status.path === undefined) throw new Error(`component ${name} has no path`);
  return status.path;
}

/** The one definition of CI for the tests: CI is set, and not 'false' or '0'. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== 'false' && value !== '0';
}

export interface GateOptions {
  /** why CI cannot have the component; then it skips under CI too (say so where the test is) */
  optionalInCi?: string;
}

export type GateDecision = { action: 'run' } | { action: 'skip' | 'fail'; reason: string };

/** Pure: what to do with a test that needs these components. */
export function gateDecision(statuses: ComponentStatus[], ci: boolean, options: GateOptions = {}): GateDecision {
  const absent = statuses.filter((s): s is Extract<ComponentStatus, { available: false }> => !s.available);
  if (absent.length === 0) return { action: 'run' };
  const reason = absent.map((s) => s.reason).join('; ');
  if (ci && options.optionalInCi === undefined) return { action: 'fail', reason };
  return {
    action: 'skip',
    reason: options.optionalInCi === undefined ? reason : `${reason} (${options.optionalInCi})`,
  };
}

function decide(components: ComponentName[], options?: GateOptions): GateDecision {
  return gateDecision(components.map(component), isCi(), options);
}

/**
 * describe() when the components are present. Missing: one skipped test naming them, with the
 * reason printed (laptop), or one failing test (CI). The body never runs then, so it may use the
 * components freely (componentPath, probes at collection time).
 */
export function describeWith(components: ComponentName[], title: string, fn: () => void, options?: GateOptions): void {
  const decision = decide(components, options);
  if (decision.action === 'run') {
    describe(title, fn);
  } else if (decision.action === 'fail') {
    describe(title, () => {
      it(`requires ${components.join(', ')}`, () => {
        throw new Error(`missing under CI: ${decision.reason}`);
      });
    });
  } else {
    console.warn(`skipping "${title}": ${decision.reason}`);
    describe.skip(title, () => {
      it(`requires ${components.join(', ')}: ${decision.reason}`, () => {});
    });
  }
}

/** it() when the components are present; skipped (laptop) or failing (CI) when one is missing. */
export function itWith(
  components: ComponentName[],
  title: string,
  fn: () => unknown | Promise<unknown>,
  timeoutOrOptions?: number | (GateOptions & { timeoutMs?: number }),
): void {
  const options = typeof timeoutOrOptions === 'number' ? { timeoutMs: timeoutOrOptions } : (timeoutOrOptions ?? {});
  const decision = decide(components, options);
  if (decision.action === 'run') {
    it(title, fn, options.timeoutMs);
  } else if (decision.action === 'fail') {
    it(title, () => {
      throw new Error(`missing under CI: ${decision.reason}`);
    });
  } else {
    console.warn(`skipping "${title}": ${decision.reason}`);
    it.skip(title, fn);
  }
}
