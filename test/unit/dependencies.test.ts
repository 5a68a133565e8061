/**
 * Nothing the shipped code imports may hide in devDependencies: `npm install fedlogin` installs
 * only "dependencies", so a runtime import of a dev-only package works in the repository and
 * breaks for every user. Scans the sources that become the package (src/**\/*.ts, compiled to
 * dist/, and bin/*.js) with the TypeScript parser: static imports, re-exports, `import('x')` and
 * `require('x')`. Type-only imports are erased by the compiler and so are not runtime imports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli/runCli.js';

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface ImportSite {
  specifier: string;
  file: string;
  line: number;
}

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
const builtins = new Set(builtinModules);

function filesUnder(dir: string, extensions: string[]): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, extensions));
    else if (extensions.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Runtime module specifiers of one source file; a non-literal import() is reported as '<dynamic>'. */
function runtimeImports(file: string, text: string): ImportSite[] {
  const source = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS,
  );
  const sites: ImportSite[] = [];
  const add = (node: ts.Node, specifier: string) =>
    sites.push({
      specifier,
      file: path.relative(REPO_ROOT, file),
      line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
    });
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.importClause?.isTypeOnly) add(node, node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) add(node, node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const ref = node.moduleReference.expression;
      if (!node.isTypeOnly && ts.isStringLiteral(ref)) add(node, ref.text);
    } else if (ts.isCallExpression(node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isImport || isRequire) {
        const [arg] = node.arguments;
        if (arg && ts.isStringLiteralLike(arg)) add(node, arg.text);
        else if (isImport) add(node, '<dynamic>');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

/** The package a bare specifier names ('@scope/pkg/sub' -> '@scope/pkg'); undefined for relative, builtin, '#' and URL ones. */
function packageOf(specifier: string): string | undefined {
  if (/^[.#/]/.test(specifier)) return undefined;
  if (specifier.startsWith('node:') || builtins.has(specifier) || builtins.has(specifier.split('/')[0]!))
    return undefined;
  // file:, data:, https: (a package name cannot contain a colon)
  if (/^[a-z][a-z0-9+.-]*:/i.test(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const shippedSources = () => [
  ...filesUnder(path.join(REPO_ROOT, 'src'), ['.ts', '.mts', '.cts']),
  ...filesUnder(path.join(REPO_ROOT, 'bin'), ['.js', '.mjs', '.cjs']),
];

describe('runtime dependencies', () => {
  const sites = shippedSources().flatMap((file) => runtimeImports(file, readFileSync(file, 'utf8')));

  it('finds the imports it is meant to find', () => {
    const sample = runtimeImports(
      'sample.ts',
      [
        "import a from 'pkg-a';",
        "import type { B } from 'pkg-type-only';",
        "import { type C } from 'pkg-c';",
        "export { d } from 'pkg-d/sub';",
        "export type { E } from 'pkg-type-export';",
        "const f = await import('@scope/pkg-f/deep');",
        "const g = require('pkg-g');",
        "type H = typeof import('pkg-type-query');",
        "import 'node:fs';",
        "import './local.js';",
      ].join('\n'),
    ).map((s) => s.specifier);
    expect(sample).toEqual(['pkg-a', 'pkg-c', 'pkg-d/sub', '@scope/pkg-f/deep', 'pkg-g', 'node:fs', './local.js']);
    expect(
      [
        'pkg-a',
        'pkg-d/sub',
        '@scope/pkg-f/deep',
        'node:fs',
        'fs/promises',
        './local.js',
        '#internal',
        'data:text/javascript,0',
      ].map(packageOf),
    ).toEqual(['pkg-a', 'pkg-d', '@scope/pkg-f', undefined, undefined, undefined, undefined, undefined]);
    // and the real tree: the launcher loads dist/, the CLI loads commander
    expect(sites.some((s) => s.file.startsWith('bin/') && s.specifier.startsWith('../dist/'))).toBe(true);
    expect(sites.some((s) => s.specifier === 'commander')).toBe(true);
  });

  it('every package imported by src/ and bin/ is in "dependencies"', () => {
    const runtime = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
    ]);
    const undeclared = sites
      .filter((s) => {
        const name = packageOf(s.specifier);
        return name !== undefined && !runtime.has(name);
      })
      .map(
        (s) =>
          `${s.file}:${s.line} imports '${s.specifier}'${manifest.devDependencies?.[packageOf(s.specifier)!] ? ' (only in devDependencies)' : ' (not in package.json)'}`,
      );
    expect(undeclared).toEqual([]);
  });

  it('every import() names its module literally, so this scan (and a bundler) can see it', () => {
    expect(sites.filter((s) => s.specifier === '<dynamic>').map((s) => `${s.file}:${s.line}`)).toEqual([]);
  });

  it('lists the dependencies nothing imports yet (information only)', () => {
    const used = new Set(sites.map((s) => packageOf(s.specifier)).filter((n): n is string => n !== undefined));
    const unused = Object.keys(manifest.dependencies ?? {}).filter((name) => !used.has(name));
    if (unused.length > 0) console.log(`dependencies not imported by src/ or bin/ (yet): ${unused.join(', ')}`);
  });
});
