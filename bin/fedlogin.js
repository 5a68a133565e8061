#!/usr/bin/env node
// The launcher: as little as possible before the work starts. `credential-process` is called by
// AWS tools on every command, so it takes a fast path that loads only Node built-ins and the store;
// everything else goes through the full CLI, whose heavy parts load lazily.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
const argv = process.argv.slice(2);
const { run } = await import('../dist/cli/main.js');
process.exitCode = await run(argv);
