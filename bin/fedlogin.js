#!/usr/bin/env node
'use strict';
// The launcher (CommonJS, see bin/package.json): as little as possible before the work starts.
// `credential-process` is run by AWS tools on every command, so its cache hit is one bundled file
// of Node built-ins and fedlogin's store (dist/bundle/credentialProcess.cjs) that writes its answer
// to fd 1 without creating process.stdout; everything else (the CLI, and credential-process past a
// cache hit) is the ES module graph of dist/bundle/, whose heavy parts load lazily.
const argv = process.argv.slice(2);
if (argv.includes('--debug')) process.setSourceMapsEnabled(true);

const done = (code) => {
  process.exitCode = code;
};
const cli = () => {
  // `fedlogin ... | head`: a reader that went away is not an error worth a stack trace.
  process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  return import('../dist/bundle/main.js').then(({ run }) => run(argv)).then(done);
};

if (argv[0] === 'credential-process') {
  const fast = require('../dist/bundle/credentialProcess.cjs');
  const args = fast.parseCredentialProcessArgs(argv);
  if (!args) cli();
  else {
    const code = fast.credentialProcess(args);
    // A cache hit answers synchronously, its output already written in full to fd 1: exit now,
    // without tearing the heap down (about as long as fedlogin's own work on a hit; npm run bench).
    if (typeof code === 'number') process.exit(code);
    else code.then(done);
  }
} else {
  cli();
}
