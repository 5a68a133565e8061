import { partition as sdkPartition } from '@aws-sdk/core/client';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { partitionOfRegion } from '../../src/aws/partition.js';
import { KNOWN_REGIONS } from '../../src/aws/regions.js';
import { completionSpec } from '../../src/cli/commands/completion/spec.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { OUTPUT_KINDS } from '../../src/cli/deliveryOptions.js';
import { addGlobalOptions } from '../../src/cli/globalOptions.js';
import type { LazyAction } from '../../src/cli/lazyAction.js';
import { FLOW_NAMES } from '../../src/config/profileValues.js';
import { resolveRegion } from '../../src/config/resolveRegion.js';
import {
  COMPLETION_SHELLS,
  type CompletionCommand,
  type CompletionSpec,
  completionScript,
} from '../../src/output/completionScript.js';

/** The program as main.ts builds it (the actions are never run here); `more` adds commands first. */
function program(more: (root: Command) => void = () => undefined): Command {
  const root = new Command('fedlogin').version('0.0.0', '-V, --version').enablePositionalOptions();
  const lazyAction = (() => async () => undefined) as unknown as LazyAction;
  for (const register of COMMANDS) register(root, lazyAction);
  more(root);
  addGlobalOptions(root);
  return root;
}

const find = (spec: CompletionSpec, path: string): CompletionCommand => {
  let commands = spec.commands;
  let found: CompletionCommand | undefined;
  for (const name of path.split(' ')) {
    found = commands.find((c) => c.name === name);
    if (!found) throw new Error(`no command ${path}`);
    commands = found.commands;
  }
  return found!;
};
const optionValue = (command: CompletionCommand, flag: string) =>
  command.options.find((o) => o.flags.includes(flag))?.value;

describe('the command tree the completion scripts are generated from', () => {
  const spec = completionSpec(program());

  it('is read from the program: every command, nested ones, and what their words are', () => {
    expect(spec.commands.map((c) => c.name)).toContain('web-identity');
    expect(find(spec, 'saml').commands.map((c) => c.name)).toEqual(['decode']);
    expect(find(spec, 'saml decode').argument).toBe('file');
    expect(find(spec, 'exec').argument).toBe('command');
    expect(find(spec, 'completion').argument).toEqual({ words: COMPLETION_SHELLS });
    expect(optionValue(find(spec, 'configure'), '--flow')).toEqual({ words: FLOW_NAMES });
    expect(optionValue(find(spec, 'web-identity'), '-o')).toEqual({ words: OUTPUT_KINDS });
    expect(optionValue(find(spec, 'web-identity'), '--token-file')).toBe('file');
    expect(optionValue(find(spec, 'saml'), '--assertion-file')).toBe('file');
    expect(optionValue(find(spec, 'web-identity'), '--token-stdin')).toBeUndefined();
    expect(optionValue(find(spec, 'web-identity'), '--role-arn')).toBe('text');
    expect(spec.options.find((o) => o.flags.includes('--profile'))?.value).toBe('profile');
    // the global options are every command's own; --version only the program's
    expect(optionValue(find(spec, 'saml decode'), '-p')).toBe('profile');
    expect(find(spec, 'login').options.flatMap((o) => o.flags)).not.toContain('--version');
  });

  it('a command added later is completed without a word in the completion code', () => {
    const root = program((r) =>
      r
        .command('later')
        .command('login')
        .option('--output <kind>')
        .option('--cache-file <file>')
        .option('--sso-session <name>'),
    );
    const later = find(completionSpec(root), 'later login');
    expect(optionValue(later, '--output')).toEqual({ words: OUTPUT_KINDS });
    expect(optionValue(later, '--cache-file')).toBe('file');
    expect(optionValue(later, '--sso-session')).toBe('text');
    expect(optionValue(later, '--profile')).toBe('profile');
    for (const shell of COMPLETION_SHELLS)
      expect(completionScript(shell, completionSpec(root))).toContain('later login');
  });

  it('refuses a word it could not write into a script safely', () => {
    const bad: CompletionSpec = {
      program: 'fedlogin',
      options: [],
      commands: [{ name: 'a b', options: [], commands: [] }],
    };
    expect(() => completionScript('bash', bad)).toThrow(/cannot be written/);
  });
});

describe('the regions offered for --region', () => {
  it('are regions the commands accept, in the partition the AWS SDK puts them in', () => {
    for (const [name, regions] of Object.entries(KNOWN_REGIONS)) {
      for (const region of regions) {
        expect(partitionOfRegion(region).name, region).toBe(name);
        expect(resolveRegion({ flag: region, env: {}, partition: partitionOfRegion(region) })).toBe(region);
        const sdk = sdkPartition(region);
        expect(sdk.name, region).toBe(name);
        // listed by the SDK's endpoint data, not only matched by its pattern
        expect((sdk as { description?: string }).description, region).toBeTruthy();
      }
    }
  });
});
