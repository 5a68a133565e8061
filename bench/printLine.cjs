// The floor of any cache hit: start node with a script file, print one line on stdout and exit,
// the way credential-process's cache hit does (fs.writeSync on fd 1, then process.exit).
require('node:fs').writeSync(1, '{"Version":1}\n');
process.exit(0);
