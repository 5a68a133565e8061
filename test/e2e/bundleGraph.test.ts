/**
 * What bin/fedlogin.js loads from the built dist/ (run `npm run build` first, as for every e2e
 * test): the files reachable from the launcher through literal require(), import and import(), read
 * from the built output itself. The CLI and credential-process's miss path are one ES module graph,
 * so FedloginError is defined once there; the cache-hit bundle may keep its own copy (it reports no
 * error itself: it hands any error to the miss path, which meets it again in that graph).
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli/runCli.js';

const LAUNCHER = path.join(REPO_ROOT, 'bin', 'fedlogin.js');
const BUNDLE_DIR = path.join(REPO_ROOT, 'dist', 'bundle');
const FAST_PATH = path.join(BUNDLE_DIR, 'credentialProcess.cjs');
const MISS_PATH = path.join(BUNDLE_DIR, 'credentialProcessRefresh.js');
/** a class declaration (`class FedloginError extends`) or esbuild's `var FedloginError = class extends` */
const DEFINES_ERROR_CLASS = /\bclass FedloginError\b|\bFedloginError\s*=\s*class\b/;

/** Module specifiers a built file loads: require('x'), import('x'), import ... from 'x', export ... from 'x', import 'x'. */
function specifiersOf(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\brequire\(\s*(["'])([^"']+)\1\s*\)/g,
    /\bimport\(\s*(["'])([^"']+)\1\s*\)/g,
    // import/export statements start a line in esbuild's output (a bare `from '...'` may be inside a string)
    /^(?:import|export)\b[^;'"]*\bfrom\s*(["'])([^"']+)\1/gm,
    /^\s*import\s*(["'])([^"']+)\1/gm,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.push(m[2]!);
  return found;
}

interface Graph {
  /** absolute paths of the files reached from the launcher */
  files: Set<string>;
  /** specifiers that are neither relative nor Node built-ins (packages), per file */
  packages: Map<string, string[]>;
}

function walk(entry: string): Graph {
  const files = new Set<string>();
  const packages = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        const target = path.resolve(path.dirname(file), specifier);
        if (!existsSync(target))
          throw new Error(`${path.relative(REPO_ROOT, file)} loads ${specifier}, which is not in dist/`);
        pending.push(target);
      } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        packages.set(file, [...(packages.get(file) ?? []), specifier]);
      }
    }
  }
  return { files, packages };
}

const rel = (file: string) => path.relative(REPO_ROOT, file);

describe('the module graph bin/fedlogin.js loads', () => {
  let graph: Graph;

  beforeAll(() => {
    for (const built of [FAST_PATH, MISS_PATH, path.join(BUNDLE_DIR, 'main.js')]) {
      if (!existsSync(built)) throw new Error(`${rel(built)} is missing: run \`npm run build\` before this test`);
    }
    graph = walk(LAUNCHER);
  });

  it('finds the specifiers of built code', () => {
    const sample = [
      'const fast = require("../dist/bundle/credentialProcess.cjs");',
      'var import_node_fs = require("node:fs");',
      'import { a as b } from "./chunk-ABC.js";',
      'export { c } from "./chunk-DEF.js";',
      'import "./side-effect.js";',
      'const { run } = await import("./main.js");',
    ].join('\n');
    expect(specifiersOf(sample).sort()).toEqual(
      [
        '../dist/bundle/credentialProcess.cjs',
        './chunk-ABC.js',
        './chunk-DEF.js',
        './main.js',
        './side-effect.js',
        'node:fs',
      ].sort(),
    );
  });

  it('is dist/bundle/ only: the launcher reaches the CLI, the cache-hit bundle and the miss path, and no tsc output', () => {
    const files = [...graph.files].filter((f) => f !== LAUNCHER);
    expect(files.filter((f) => path.dirname(f) !== BUNDLE_DIR).map(rel)).toEqual([]);
    expect(graph.files.has(FAST_PATH)).toBe(true);
    expect(graph.files.has(MISS_PATH)).toBe(true);
    expect(graph.files.has(path.join(BUNDLE_DIR, 'main.js'))).toBe(true);
  });

  it('defines FedloginError once outside the cache-hit bundle', () => {
    const defining = [...graph.files].filter((f) => DEFINES_ERROR_CLASS.test(readFileSync(f, 'utf8')));
    const outsideFastPath = defining.filter((f) => f !== FAST_PATH);
    expect(outsideFastPath.map(rel)).toHaveLength(1);
    // and the miss path reaches that very file, not a copy of its own
    expect(walk(MISS_PATH).files.has(outsideFastPath[0]!)).toBe(true);
  });

  it('keeps the cache-hit bundle to Node built-ins and the miss path', () => {
    const fast = walk(FAST_PATH);
    expect(fast.packages.get(FAST_PATH) ?? []).toEqual([]);
    expect(specifiersOf(readFileSync(FAST_PATH, 'utf8')).filter((s) => s.startsWith('.'))).toEqual([
      './credentialProcessRefresh.js',
    ]);
  });

  it('loads the proxy agents only through import(), on the paths that make a request with a proxy set', () => {
    const AGENTS = ['https-proxy-agent', 'http-proxy-agent'];
    for (const [file, packages] of graph.packages) {
      const code = readFileSync(file, 'utf8');
      for (const name of AGENTS.filter((agent) => packages.includes(agent))) {
        // only the dynamic form: import("https-proxy-agent")
        expect(code, `${rel(file)} imports ${name} statically`).not.toMatch(
          new RegExp(`^(?:import|export)\\b[^;'"]*\\bfrom\\s*["']${name}["']`, 'm'),
        );
      }
    }
    // and nothing of the network layer is on the start-up graph of the CLI or of the miss path
    const staticGraph = (entry: string) => {
      const seen = new Set<string>();
      const pending = [entry];
      while (pending.length > 0) {
        const file = pending.pop()!;
        if (seen.has(file)) continue;
        seen.add(file);
        for (const m of readFileSync(file, 'utf8').matchAll(/^\s*import\b[^;'"]*?(?:from\s*)?["'](\.[^"']+)["']/gm))
          pending.push(path.resolve(path.dirname(file), m[1]!));
      }
      return [...seen];
    };
    for (const entry of [path.join(BUNDLE_DIR, 'main.js'), MISS_PATH]) {
      const loaded = staticGraph(entry).filter((f) => /proxy-from-env|proxy-agent/.test(readFileSync(f, 'utf8')));
      expect(loaded.map(rel), `${rel(entry)} loads the network layer at start`).toEqual([]);
    }
    // --help (the program with every command's definition) loads neither the output formatting
    // (deliver.ts, envFormat.ts and node:crypto with them) nor the completion scripts: the actions do
    const atStart = staticGraph(path.join(BUNDLE_DIR, 'main.js')).map((f) => readFileSync(f, 'utf8'));
    for (const heavy of [
      /^\/\/ src\/cli\/deliver\.ts$/m,
      /^\/\/ src\/output\/envFormat\.ts$/m,
      /^\/\/ src\/output\/completionScript\.ts$/m,
      /^import\b[^;'"]*\bfrom\s*["']node:crypto["']/m,
    ])
      expect(
        atStart.filter((code) => heavy.test(code)),
        `main.js loads ${heavy} at start`,
      ).toEqual([]);
  });
});
