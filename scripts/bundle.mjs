// Bundles credential-process's cache-hit path into one CommonJS file. AWS tools start fedlogin on
// every command; one file saves Node from resolving and linking the ~20 ES modules of that path
// (bench/: about 37 -> 25 ms against 20 ms for a bare node start). Everything past a cache hit is
// loaded from the tsc output (dist/**) by the bundle's dynamic import, as before.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/credentialProcess.ts'],
  outfile: 'dist/cli/credentialProcess.bundle.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  // The miss path stays a separate module graph; the native keychain module is never bundled.
  external: ['./credentialProcessRefresh.js', '@napi-rs/keyring'],
});
