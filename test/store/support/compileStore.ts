/**
 * Child processes in the store tests run plain JavaScript, so they need src/store (and the
 * src/core files it imports) compiled. Compiling here, with TypeScript's transpileModule, keeps
 * them on the current sources whether or not `npm run build` ran since the last edit. The output
 * goes to a folder in node_modules/.cache (so that the store's own imports of packages, such as
 * the keychain's native binding, resolve as they do from src) named after a hash of the sources,
 * built once and shared by every test file (a finished build is renamed into place, so parallel
 * workers never see half of one).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SRC = join(REPO, 'src');
const BUILDS = join(REPO, 'node_modules', '.cache');
const FOLDERS = ['store', 'core'];
const COMPILER_OPTIONS = { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true };

export function compiledStoreDir(): string {
  const files = FOLDERS.flatMap((folder) =>
    readdirSync(join(SRC, folder))
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((f) => ({ rel: join(folder, f), text: readFileSync(join(SRC, folder, f), 'utf8') })),
  );
  const hash = createHash('sha256').update(JSON.stringify(COMPILER_OPTIONS)).update(ts.version);
  for (const f of files) hash.update(f.rel).update('\0').update(f.text).update('\0');
  const out = join(BUILDS, `fedlogin-store-build-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(out, '.complete'))) return out;
  removeOldBuilds();

  const staging = `${out}.${process.pid}.${Date.now()}`;
  for (const f of files) {
    const js = ts.transpileModule(f.text, {
      fileName: f.rel,
      compilerOptions: COMPILER_OPTIONS,
    }).outputText;
    const target = join(staging, f.rel.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, js);
  }
  // package.json so node treats the files as ESM even outside the repo
  writeFileSync(join(staging, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(staging, '.complete'), '');
  try {
    renameSync(staging, out);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another worker won the race
  }
  return out;
}

/** Builds of older sources, from earlier runs: gone after an hour. */
function removeOldBuilds(): void {
  mkdirSync(BUILDS, { recursive: true });
  for (const name of readdirSync(BUILDS)) {
    if (!name.startsWith('fedlogin-store-build-')) continue;
    const path = join(BUILDS, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > 3600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      // another worker got there first
    }
  }
}
