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

import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
};

/**
 * Node built-ins that the bundle requires on first use instead of at load: node:os costs about
 * 0.5 ms to load (bench/), and the fast path needs it only when HOME is unset (awsPaths.homeDir).
 * `exports` lists the functions the bundle imports from each; anything else fails the build.
 */
const lazyBuiltins = (modules) => ({
  name: 'lazy-builtins',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(modules).join('|')})$`);
    build.onResolve({ filter }, (args) =>
      // the wrapper's own require() is the real built-in
      args.namespace === 'lazy-builtin'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'lazy-builtin' },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: modules[args.path]
        .map(
          (name) =>
            `export function ${name}(...args) { return require(${JSON.stringify(args.path)}).${name}(...args); }`,
        )
        .join('\n'),
      loader: 'js',
    }));
  },
});

await build({
  ...common,
  entryPoints: ['src/cli/credentialProcess.ts'],
  plugins: [lazyBuiltins({ 'node:os': ['homedir'] })],
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
  banner: {
    js: "import { createRequire as __fedloginRequire } from 'node:module'; const require = __fedloginRequire(import.meta.url);",
  },
});
