// Bundles what runs on every start into dist/bundle/, so Node does not resolve and link dozens of
// ES modules each time (measured with npm run bench):
// - credential-process's cache hit: credentialProcess.cjs, one CommonJS file of Node built-ins and
//   fedlogin's store, loaded by the CommonJS launcher bin/fedlogin.js. Past a cache hit it imports
//   ./credentialProcessRefresh.js, next to it: the entry point below.
// - the CLI and credential-process's miss path: main.js and credentialProcessRefresh.js, two entry
//   points of one ES module build with commander inside and one chunk per lazily imported part, so
//   --help and each command load only their own code, and the two share their modules (one
//   FedloginError class; test/unit/bundleGraph.test.ts checks it). Packages with native parts or
//   heavy trees (the AWS SDK, playwright-core, openid-client...) stay external and load lazily.
// The tsc output in dist/ (one module per source file) ships too, but bin/fedlogin.js loads only
// dist/bundle/.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['src/cli/credentialProcess.ts'],
  outfile: 'dist/bundle/credentialProcess.cjs',
  format: 'cjs',
  // the ES module entry point next to it, in the CLI's module graph
  external: ['./credentialProcessRefresh.js'],
});

const { dependencies, optionalDependencies } = JSON.parse(readFileSync('package.json', 'utf8'));
await build({
  ...common,
  entryPoints: ['src/cli/main.ts', 'src/cli/credentialProcessRefresh.ts'],
  outdir: 'dist/bundle',
  format: 'esm',
  splitting: true,
  // commander is small and on every path: inside. Every other dependency stays a package import.
  external: Object.keys({ ...dependencies, ...optionalDependencies }).filter((name) => name !== 'commander'),
  // commander is CommonJS; its require('node:events') needs a real require in an ES module.
  banner: { js: "import { createRequire as __fedloginRequire } from 'node:module'; const require = __fedloginRequire(import.meta.url);" },
});
