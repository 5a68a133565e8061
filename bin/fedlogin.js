#!/usr/bin/env node
'use strict';
// The launcher (CommonJS, see bin/package.json): as little as possible before the work starts.
// `credential-process` is run by AWS tools on every command, so its cache hit is one bundled file
// of Node built-ins and fedlogin's store (dist/cli/credentialProcess.bundle.cjs); everything else
// goes through the commander CLI, whose heavy parts load lazily.
const argv = process.argv.slice(2);
// `fedlogin ... | head`: a reader that went away is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
if (argv.includes('--debug')) process.setSourceMapsEnabled(true);

const done = (code) => {
  process.exitCode = code;
};
const cli = () => import('../dist/bundle/main.js').then(({ run }) => run(argv)).then(done);

if (argv[0] === 'credential-process') {
  const fast = require('../dist/cli/credentialProcess.bundle.cjs');
  const args = fast.parseCredentialProcessArgs(argv);
  if (args) fast.credentialProcess(args).then(done);
  else cli();
} else {
  cli();
}
