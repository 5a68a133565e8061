import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Which modules a CLI run really loads, for "this path never loads X" tests: `nodeArgs` for
 * spawnCli (`--import` of a preload written into `dir`) record every ES module URL loaded (a
 * loader hook), every CommonJS file resolved, and, at exit, Node's own list of its internal
 * modules (`process.moduleLoadList`, where undici shows up as internal/deps/undici/undici).
 */
export interface ModuleTrace {
  nodeArgs: string[];
  /** the run's ES module URLs and CommonJS file names (read after it exited) */
  modules(): Promise<string[]>;
  /** Node's internal modules the run loaded */
  internals(): Promise<string[]>;
}

export async function moduleTrace(dir: string): Promise<ModuleTrace> {
  const log = path.join(dir, 'module-trace.log');
  const hooks = path.join(dir, 'module-trace-hooks.mjs');
  const preload = path.join(dir, 'module-trace.mjs');
  await writeFile(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (!url.startsWith('node:')) appendFileSync(${JSON.stringify(log)}, 'module ' + url + '\\n');
  return next(url, context);
}
`,
  );
  await writeFile(
    preload,
    `import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const file = resolveFilename.apply(this, args);
  if (file.startsWith('/')) appendFileSync(${JSON.stringify(log)}, 'module ' + file + '\\n');
  return file;
};
process.on('exit', () => {
  appendFileSync(${JSON.stringify(log)}, process.moduleLoadList.map((m) => 'internal ' + m + '\\n').join(''));
});
`,
  );
  const lines = async (kind: string) =>
    (await readFile(log, 'utf8').catch(() => ''))
      .split('\n')
      .filter((line) => line.startsWith(`${kind} `))
      .map((line) => line.slice(kind.length + 1));
  return {
    nodeArgs: ['--import', pathToFileURL(preload).href],
    modules: () => lines('module'),
    internals: () => lines('internal'),
  };
}
