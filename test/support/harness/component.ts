import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/**
 * Tests that need a part of the machine (moto_server, a browser, the AWS CLI, a Secret Service)
 * declare it. On a laptop a missing part skips them with the reason printed; under CI
 * (CI=true) a missing part is a failing test that names it, so CI never goes green by skipping.
 */

export type KnownComponent =
  | 'moto_server'
  | 'chromium'
  | 'aws-cli-v1'
  | 'aws-cli-v2'
  | 'boto3'
  | 'secret-service'
  | 'playwright-core'
  | 'oidc-provider'
  | 'samlify';

/** A known component, or an ad hoc one: 'cmd:NAME' (an executable on PATH) or 'npm:PACKAGE'. */
export type ComponentName = KnownComponent | `cmd:${string}` | `npm:${string}`;

export type ComponentStatus =
  | { name: string; available: true; /** the executable or package directory found */ path?: string; detail?: string }
  | { name: string; available: false; reason: string };

type Detector = () => ComponentStatus;

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PROBE_TIMEOUT_MS = 10_000;

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

/** Runs a probe command (bounded) and returns its combined output, or undefined when it failed. */
function probe(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error || result.status !== 0) return undefined;
  return `${result.stdout}${result.stderr}`;
}

const missing = (name: string, reason: string): ComponentStatus => ({ name, available: false, reason });

function commandComponent(name: string, command: string, probeArgs?: string[]): ComponentStatus {
  const found = hasCommand(command);
  if (!found) return missing(name, `${command} not found on PATH`);
  // pyenv shims exist for commands the selected Python lacks, so run it once to be sure.
  if (probeArgs && probe(found, probeArgs) === undefined) {
    return missing(name, `${found} ${probeArgs.join(' ')} failed`);
  }
  return { name, available: true, path: found };
}

function awsCli(name: string, major: 1 | 2): ComponentStatus {
  const candidates = new Set<string>();
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir !== '' && isExecutable(path.join(dir, 'aws'))) candidates.add(path.join(dir, 'aws'));
  }
  for (const fixed of ['/usr/bin/aws', '/usr/local/bin/aws']) if (isExecutable(fixed)) candidates.add(fixed);
  const seen: string[] = [];
  for (const candidate of candidates) {
    const version = probe(candidate, ['--version'])?.trim();
    if (version === undefined) continue;
    seen.push(`${candidate}: ${version.split(' ')[0]}`);
    if (version.startsWith(`aws-cli/${major}.`)) return { name, available: true, path: candidate, detail: version };
  }
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
    return found ? { name: 'chromium', available: true, path: found } : missing('chromium', 'no Chromium or Chrome found (apt-get install chromium)');
  },
  'aws-cli-v1': () => awsCli('aws-cli-v1', 1),
  'aws-cli-v2': () => awsCli('aws-cli-v2', 2),
  boto3: () => {
    const python = hasCommand('python3');
    if (!python) return missing('boto3', 'python3 not found on PATH');
    const version = probe(python, ['-c', 'import boto3; print(boto3.__version__)']);
    return version === undefined
      ? missing('boto3', `${python} cannot import boto3`)
      : { name: 'boto3', available: true, path: python, detail: version.trim() };
  },
  'secret-service': () => {
    for (const command of ['dbus-run-session', 'gnome-keyring-daemon']) {
      if (!hasCommand(command)) return missing('secret-service', `${command} not found on PATH (apt-get install dbus gnome-keyring)`);
    }
    return { name: 'secret-service', available: true };
  },
  'playwright-core': () => npmPackage('playwright-core', 'playwright-core'),
  'oidc-provider': () => npmPackage('oidc-provider', 'oidc-provider'),
  samlify: () => npmPackage('samlify', 'samlify'),
};

const cache = new Map<string, ComponentStatus>();

/** Whether a component is present (cached per process). */
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

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(true|1)$/i.test(env.CI ?? '');
}

export type GateDecision = { action: 'run' } | { action: 'skip' | 'fail'; reason: string };

/** Pure: what to do with a test that needs these components. */
export function gateDecision(statuses: ComponentStatus[], ci: boolean): GateDecision {
  const absent = statuses.filter((s): s is Extract<ComponentStatus, { available: false }> => !s.available);
  if (absent.length === 0) return { action: 'run' };
  const reason = absent.map((s) => s.reason).join('; ');
  return { action: ci ? 'fail' : 'skip', reason };
}

function decide(components: ComponentName[]): GateDecision {
  return gateDecision(components.map(component), isCi());
}

/** describe() that skips (laptop) or fails (CI=true) when a component is missing. */
export function describeWith(components: ComponentName[], title: string, fn: () => void): void {
  const decision = decide(components);
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
    describe.skip(title, fn);
  }
}

/** it() that skips (laptop) or fails (CI=true) when a component is missing. */
export function itWith(
  components: ComponentName[],
  title: string,
  fn: () => unknown | Promise<unknown>,
  timeoutMs?: number,
): void {
  const decision = decide(components);
  if (decision.action === 'run') {
    it(title, fn, timeoutMs);
  } else if (decision.action === 'fail') {
    it(title, () => {
      throw new Error(`missing under CI: ${decision.reason}`);
    });
  } else {
    console.warn(`skipping "${title}": ${decision.reason}`);
    it.skip(title, fn);
  }
}
