// Bundles what runs on every start, so Node does not resolve and link dozens of ES modules each
// time (measured with npm run bench):
// - credential-process's cache hit: one CommonJS file of Node built-ins and fedlogin's store,
//   loaded by the CommonJS launcher (about 37 -> 25 ms against 20 ms for a bare node start);
//   past a cache hit it imports the tsc output (dist/cli/credentialProcessRefresh.js).
// - the CLI: dist/bundle/main.js with commander inside and one chunk per lazily imported part,
//   so --help and each command load only their own code. Packages with native parts or heavy
//   trees (the AWS SDK, playwright-core, openid-client...) stay external and load lazily.
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
  outfile: 'dist/cli/credentialProcess.bundle.cjs',
  format: 'cjs',
  external: ['./credentialProcessRefresh.js', '@napi-rs/keyring'],
});

const { dependencies, optionalDependencies } = JSON.parse(readFileSync('package.json', 'utf8'));
await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/bundle',
  format: 'esm',
  splitting: true,
  // commander is small and on every path: inside. Every other dependency stays a package import.
  external: Object.keys({ ...dependencies, ...optionalDependencies }).filter((name) => name !== 'commander'),
  // commander is CommonJS; its require('node:events') needs a real require in an ES module.
  banner: { js: "import { createRequire as __fedloginRequire } from 'node:module'; const require = __fedloginRequire(import.meta.url);" },
});
