/**
 * Issue 15 item 4: which command configure writes into credential_process (launcher.ts), and how
 * doctor splits a credential_process line back into words as botocore's shlex does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { launcherWords, resolveCommandWord } from '../../../src/cli/launcher.js';
import { credentialProcessLine, splitCommandLine } from '../../../src/output/credentialProcessLine.js';
import { launcherMachine } from '../../support/harness/builders.js';

const machine = launcherMachine;

describe('the launcher configure writes', () => {
  it('is the bare name only when the fedlogin PATH finds first is this installation', () => {
    const self = { '/usr/local/bin/fedlogin': '/opt/fedlogin/bin/fedlogin.js' };
    expect(launcherWords(machine('/usr/local/bin:/usr/bin', self))).toEqual(['fedlogin']);
    expect(launcherWords(machine('/usr/bin'))).toEqual(['/opt/fedlogin/bin/fedlogin.js']);
    // another installation first on PATH wins for the AWS tools, so it is not this one
    const other = { '/usr/bin/fedlogin': '/srv/other/bin/fedlogin.js', ...self };
    expect(launcherWords(machine('/usr/bin:/usr/local/bin', other, ['/srv/other/bin/fedlogin.js']))).toEqual([
      '/opt/fedlogin/bin/fedlogin.js',
    ]);
    // relative PATH entries depend on the folder the AWS tool runs in: not counted
    expect(launcherWords(machine('bin', { 'bin/fedlogin': '/opt/fedlogin/bin/fedlogin.js' }))).toEqual([
      '/opt/fedlogin/bin/fedlogin.js',
    ]);
  });

  it('is node and the script when the launcher is not executable, and on Windows', () => {
    const deps = { ...machine('/usr/bin'), isExecutable: () => false };
    expect(launcherWords(deps)).toEqual(['/usr/bin/node', '/opt/fedlogin/bin/fedlogin.js']);
    // Windows runs no .js file as a program
    expect(launcherWords({ ...machine('/usr/bin'), platform: 'win32' })).toEqual([
      '/usr/bin/node',
      '/opt/fedlogin/bin/fedlogin.js',
    ]);
  });

  it('resolves a command word as execvp does', () => {
    const deps = machine('/a:/b', {}, ['/b/tool', '/a/other']);
    expect(resolveCommandWord('tool', deps)).toBe('/b/tool');
    expect(resolveCommandWord('/b/tool', deps)).toBe('/b/tool');
    expect(resolveCommandWord('./tool', deps)).toBeUndefined();
    expect(resolveCommandWord('missing', deps)).toBeUndefined();
  });
});

describe('splitting a credential_process line (POSIX shlex rules)', () => {
  it('reads quotes and backslashes as shlex.split does', () => {
    // each expected value is what Python's shlex.split returns for the line
    expect(splitCommandLine(`'/a b/fedlogin.js' credential-process --profile dev`)).toEqual([
      '/a b/fedlogin.js',
      'credential-process',
      '--profile',
      'dev',
    ]);
    expect(splitCommandLine(`"/a b/x" 'it'\\''s' a\\ b "q\\"\\$"`)).toEqual(['/a b/x', "it's", 'a b', 'q"\\$']);
    expect(splitCommandLine('  a\tb  ')).toEqual(['a', 'b']);
    expect(splitCommandLine("'open")).toBeUndefined();
    expect(splitCommandLine('"open')).toBeUndefined();
  });

  it('gives back the words of every line configure writes', () => {
    const word = fc.string({ minLength: 1 }).filter((s) => !s.includes('\0'));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 3 }), word, (launcher, profile) => {
        const line = credentialProcessLine(profile, launcher, 'linux');
        expect(splitCommandLine(line)).toEqual([...launcher, 'credential-process', '--profile', profile]);
      }),
      { numRuns: 300 },
    );
  });
});
