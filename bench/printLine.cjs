// The floor of any cache hit: start node with a script file and print one line on stdout.
process.stdout.write('{"Version":1}\n');
