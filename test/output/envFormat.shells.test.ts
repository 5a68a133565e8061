import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { type EnvFormat, formatEnv } from '../../src/output/envFormat.js';
import type { EnvVariable } from '../../src/output/envVariables.js';
import { type ComponentName, describeWith, type GateOptions } from '../support/harness/component.js';
import { assertFuzz } from '../support/harness/fuzz.js';
import { envValue, NASTY } from './arbitraries.js';
import { parseEnv0 } from './tools.js';

/**
 * Round trips through real shells: the formatted text is evaluated the way the docs tell people to
 * (`eval "$(fedlogin env)"`, `| source`, `| Invoke-Expression`), then `env -0` prints the exported
 * environment, which is compared byte for byte. Many generated values go through one shell
 * invocation, so a few invocations check hundreds of values.
 */

const dir = mkdtempSync(join(tmpdir(), 'fedlogin-shells-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

interface Shell {
  name: string;
  format: EnvFormat;
  component: ComponentName;
  /** only for a shell CI cannot have */
  gate?: GateOptions;
  /** argv that evaluates FILE and then runs `env -0` */
  command(file: string): [string, ...string[]];
}

const SHELLS: Shell[] = [
  {
    name: 'dash (/bin/sh)',
    format: 'sh',
    component: 'cmd:dash',
    command: (file) => ['dash', '-c', 'eval "$(cat "$1")" && exec env -0', 'sh', file],
  },
  {
    name: 'bash',
    format: 'sh',
    component: 'cmd:bash',
    command: (file) => ['bash', '--norc', '--noprofile', '-c', 'eval "$(cat "$1")" && exec env -0', 'bash', file],
  },
  {
    name: 'fish',
    format: 'fish',
    component: 'cmd:fish',
    command: (file) => ['fish', '--no-config', '-c', `cat ${quoteForFish(file)} | source; and exec env -0`],
  },
  {
    name: 'pwsh',
    format: 'powershell',
    component: 'cmd:pwsh',
    gate: {
      optionalInCi:
        'PowerShell is not in Debian’s archive and cannot be installed on CI machines; the quoting is checked against a model in envFormat.test.ts',
    },
    // Line by line, as `fedlogin env --format powershell | Invoke-Expression` feeds it.
    command: (file) => [
      'pwsh',
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      `Get-Content -Encoding utf8 -LiteralPath '${file}' | Invoke-Expression; & /usr/bin/env -0; exit $LASTEXITCODE`,
    ],
  },
];

function quoteForFish(path: string): string {
  return `'${path.replace(/[\\']/g, '\\$&')}'`;
}

function evaluate(shell: Shell, text: string, locale = 'C.UTF-8'): Map<string, Buffer> {
  const file = join(dir, `${fileCount++}.${shell.format}`);
  writeFileSync(file, text);
  const [command, ...args] = shell.command(file);
  const result = spawnSync(command, args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LC_ALL: locale },
    cwd: dir,
    timeout: 30_000,
  });
  expect(result.stderr.toString(), `${shell.name} stderr`).toBe('');
  expect(result.status, `${shell.name} exit status`).toBe(0);
  return parseEnv0(result.stdout);
}

for (const shell of SHELLS) {
  describeWith(
    [shell.component],
    `${shell.format} output evaluated by ${shell.name}`,
    () => {
      const baseline = new Set(evaluate(shell, '').keys());
      const expectExported = (vars: EnvVariable[], env: Map<string, Buffer>) => {
        for (const [name, value] of vars) {
          const got = env.get(name);
          expect(got, `${name} is exported`).toBeDefined();
          if (!got!.equals(Buffer.from(value, 'utf8'))) {
            expect(got!.toString('utf8'), `${name} (expected ${JSON.stringify(value)})`).toBe(value);
          }
        }
        // Nothing else appeared: no value leaked out of its quotes into an assignment of its own.
        const ours = new Set(vars.map(([name]) => name));
        expect([...env.keys()].filter((name) => !baseline.has(name) && !ours.has(name))).toEqual([]);
      };

      it('reads back every hazardous character, and all of them at once', () => {
        const vars: EnvVariable[] = [...NASTY, NASTY.join(''), ''].map((value, i) => [`V${i}`, value]);
        expectExported(vars, evaluate(shell, formatEnv(vars, shell.format)));
      });

      it('reads back generated values byte for byte (300 values in 6 invocations)', () => {
        let checked = 0;
        assertFuzz(
          fc.property(fc.array(envValue, { minLength: 50, maxLength: 50 }), (values) => {
            const vars: EnvVariable[] = values.map((value, i) => [`FEDLOGIN_T${i}`, value]);
            expectExported(vars, evaluate(shell, formatEnv(vars, shell.format)));
            checked += vars.length;
          }),
          { numRuns: 6 },
          'output formats: envFormat.shells (test/output/envFormat.shells.test.ts)',
        );
        expect(checked).toBeGreaterThanOrEqual(300);
      });

      it('reads back the same bytes in the C locale', () => {
        const values = fc.sample(envValue, { numRuns: 60, seed: 42 });
        const vars: EnvVariable[] = [...NASTY, ...values].map((value, i) => [`V${i}`, value]);
        expectExported(vars, evaluate(shell, formatEnv(vars, shell.format), 'C'));
      });

      it('overrides a variable that is already set', () => {
        const vars: EnvVariable[] = [
          ['AWS_SESSION_TOKEN', 'old'],
          ['AWS_SESSION_TOKEN', "new'value"],
        ];
        expect(evaluate(shell, formatEnv(vars, shell.format)).get('AWS_SESSION_TOKEN')?.toString()).toBe("new'value");
      });
    },
    shell.gate,
  );
}
