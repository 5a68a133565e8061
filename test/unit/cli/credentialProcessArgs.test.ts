/** The hand-written argument parser of credential-process's fast path (bin/fedlogin.js). */
import { describe, expect, it } from 'vitest';
import { parseCredentialProcessArgs } from '../../../src/cli/credentialProcess.js';

const parse = (line: string) => parseCredentialProcessArgs(line === '' ? [] : line.split(' '));

describe('parseCredentialProcessArgs', () => {
  it.each([
    ['credential-process', { debug: false }],
    ['credential-process --profile dev', { debug: false, profile: 'dev' }],
    ['credential-process -p dev', { debug: false, profile: 'dev' }],
    ['credential-process --profile=dev', { debug: false, profile: 'dev' }],
    ['credential-process --region eu-west-1', { debug: false, region: 'eu-west-1' }],
    ['credential-process --region=eu-west-1 --profile dev', { debug: false, region: 'eu-west-1', profile: 'dev' }],
    ['credential-process --debug --profile dev', { debug: true, profile: 'dev' }],
    ['credential-process --profile dev --debug', { debug: true, profile: 'dev' }],
    ['credential-process --profile a --profile b', { debug: false, profile: 'b' }],
    ['credential-process --profile=a=b', { debug: false, profile: 'a=b' }],
    // the launcher hands over argv after node and the script, starting with the command
    ['', { debug: false }],
  ])('%s', (line, expected) => {
    expect(parse(line)).toEqual(expected);
  });

  it.each([
    'credential-process --help',
    'credential-process -h',
    'credential-process --version',
    'credential-process --profile',
    'credential-process --profile --debug',
    'credential-process --profile -p',
    'credential-process --profile=',
    'credential-process --region',
    'credential-process --debug=1',
    'credential-process -p=dev',
    'credential-process --quiet',
    'credential-process dev',
    'credential-process --profile dev extra',
    'credential-process credential-process',
    '--profile dev credential-process',
  ])('hands %s to commander (undefined)', (line) => {
    expect(parse(line)).toBeUndefined();
  });
});
