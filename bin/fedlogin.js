#!/usr/bin/env node
// The launcher: as little as possible before the work starts. `credential-process` is run by AWS
// tools on every command, so it takes a fast path that loads only Node built-ins and the store;
// everything else goes through the commander CLI, whose heavy parts load lazily.
const argv = process.argv.slice(2);
if (argv.includes('--debug')) process.setSourceMapsEnabled(true);
if (argv[0] === 'credential-process') {
  const { credentialProcess, parseCredentialProcessArgs } = await import('../dist/cli/credentialProcess.js');
  const args = parseCredentialProcessArgs(argv);
  if (args) {
    process.exitCode = await credentialProcess(args);
  } else {
    const { run } = await import('../dist/cli/main.js');
    process.exitCode = await run(argv);
  }
} else {
  const { run } = await import('../dist/cli/main.js');
  process.exitCode = await run(argv);
}
