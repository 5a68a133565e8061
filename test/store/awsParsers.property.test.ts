/**
 * Whatever value or profile name reaches the editor, what it writes reads the same in the JS SDK
 * and in botocore (issue 14, items 1 and 2): generated values (any Unicode, control characters,
 * injection attempts) and profile names (shell metacharacters, __proto__...) are either refused by
 * the editor or written so that both readers see exactly the written keys and values, and nothing
 * else in that profile. Needs python3 with botocore (component 'botocore').
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { isFedloginError } from '../../src/core/errors.js';
import type { AwsFileKind } from '../../src/store/iniDocument.js';
import { CONTROL_CHARACTER, setKeys } from '../../src/store/iniEdit.js';
import { itWith } from '../support/harness/component.js';
import { recordReliability } from '../support/harness/reliability.js';
import { expectParsersAgree, type FilePair, type WrittenProfile } from './support/awsParsers.js';
import { tempDir } from './support/tempDir.js';

const RUNS = 400;

const INJECTIONS = [
  'openid\ncredential_process = ./evil.sh',
  'openid\r\ncredential_process = ./evil.sh',
  'openid\rcredential_process = ./evil.sh',
  'openid\u2028credential_process = ./evil.sh',
  'openid\u0085credential_process = ./evil.sh',
  'x\n[profile evil]\ncredential_process = ./evil.sh',
  '\x1b[2J\x1b]0;owned\x07',
  'a #comment',
  'a ;comment',
  ' padded',
  '',
];

const value = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom(
        'a',
        'Z',
        '0',
        ' ',
        '=',
        '#',
        ';',
        '[',
        ']',
        '"',
        "'",
        '\\',
        '\t',
        '\n',
        '\r',
        '\x00',
        '\x7f',
        '\x85',
        'é',
        '\u00a0',
        '\u2028',
      ),
      maxLength: 16,
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(...INJECTIONS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'openid email',
      'arn:aws:iam::123456789012:role/x',
      "fedlogin credential-process --profile 'a b'",
      'a=b',
      'x#y',
    ),
  },
);

const profileName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('dev', 'default', 'team@corp', 'a.b-c_d+e', 'Prod1') },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom(
        'a',
        '1',
        '-',
        '_',
        '.',
        '@',
        '+',
        '$',
        '(',
        ')',
        '`',
        '|',
        '&',
        ';',
        ' ',
        '[',
        ']',
        '"',
        "'",
        '\n',
        '#',
      ),
      minLength: 1,
      maxLength: 10,
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'ci$(touch${IFS}pwned)', 'a`id`') },
);

const BASE: Record<AwsFileKind, string[]> = {
  config: ['', '[default]\nregion = eu-west-1\n\n[profile dev]\n# mine\nregion = us-east-1\noutput = json\n'],
  credentials: ['', '[other]\naws_access_key_id = AKIAOTHEREXAMPLE0001\naws_secret_access_key = otherEXAMPLE\n'],
};

const editCase = fc.record({
  kind: fc.constantFrom<AwsFileKind>('config', 'credentials'),
  base: fc.nat(1),
  name: profileName,
  key: fc.constantFrom('fedlogin_scope', 'aws_secret_access_key', 'credential_process', 'region'),
  value,
});

describe('what the editor writes, the JS SDK and botocore read alike', () => {
  itWith(
    ['botocore'],
    `over ${RUNS} generated values and profile names: refused, or read back exactly by both`,
    async () => {
      const dir = tempDir('parsers');
      const cases: { pair: FilePair; written: WrittenProfile[] }[] = [];
      let refused = 0;
      fc.sample(editCase, { numRuns: RUNS, seed: 20261130 }).forEach((c, i) => {
        const base = BASE[c.kind][c.base]!;
        let text: string;
        try {
          text = setKeys(base, c.kind, c.name, { [c.key]: c.value });
        } catch (error) {
          if (!isFedloginError(error)) throw error;
          expect(['INI_VALUE_INVALID', 'PROFILE_NAME_INVALID', 'PROFILE_NAME_RESERVED']).toContain(error.code);
          refused += 1;
          return;
        }
        // the defence itself: nothing accepted holds a control character or a name outside the promise
        expect(CONTROL_CHARACTER.test(c.value)).toBe(false);
        expect(c.name).toMatch(/^[A-Za-z0-9_.@+-]+$/);
        const pairDir = join(dir, String(i));
        mkdirSync(pairDir);
        const pair = { config: join(pairDir, 'config'), credentials: join(pairDir, 'credentials') };
        writeFileSync(pair.config, c.kind === 'config' ? text : BASE.config[1]!);
        writeFileSync(pair.credentials, c.kind === 'credentials' ? text : BASE.credentials[1]!);
        const existing: Record<string, string> =
          c.base === 1 && c.kind === 'config' && c.name === 'dev' ? { region: 'us-east-1', output: 'json' } : {};
        cases.push({ pair, written: [{ kind: c.kind, profile: c.name, entries: { ...existing, [c.key]: c.value } }] });
      });
      await expectParsersAgree(cases);
      console.info(`written and read alike: ${cases.length}; refused by the editor: ${refused}`);
      expect(cases.length).toBeGreaterThan(RUNS / 5);
      expect(refused).toBeGreaterThan(RUNS / 5);
      recordReliability(
        'fuzz',
        { cases: cases.length + refused },
        'JS SDK / botocore agreement on written values (test/store/awsParsers.property.test.ts)',
      );
    },
  );
});
