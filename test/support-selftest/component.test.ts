import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type ComponentStatus,
  component,
  componentPath,
  gateDecision,
  hasCommand,
  isCi,
  probe,
  registerComponent,
} from '../support/harness/component.js';

const present: ComponentStatus = { name: 'a', available: true };
const absent: ComponentStatus = { name: 'moto_server', available: false, reason: 'moto_server not found on PATH' };

describe('component detection', () => {
  it('finds executables on PATH', () => {
    expect(hasCommand('sh')).toMatch(/\/sh$/);
    expect(hasCommand('fedlogin-selftest-missing-tool')).toBeUndefined();
    expect(hasCommand('sh', '')).toBeUndefined();
  });

  it('describes ad hoc commands and npm packages', () => {
    expect(component('cmd:sh')).toMatchObject({ available: true });
    expect(component('cmd:fedlogin-selftest-missing-tool')).toEqual({
      name: 'cmd:fedlogin-selftest-missing-tool',
      available: false,
      reason: 'fedlogin-selftest-missing-tool not found on PATH',
    });
    expect(component('npm:jose')).toMatchObject({ available: true });
    expect(component('npm:fedlogin-no-such-package')).toMatchObject({ available: false });
    expect(componentPath('npm:jose')).toMatch(/node_modules\/jose$/);
    expect(() => componentPath('cmd:fedlogin-selftest-missing-tool')).toThrow(
      /missing: fedlogin-selftest-missing-tool not found/,
    );
  });

  it('tells a slow probe from a failing one', () => {
    expect(probe('sh', ['-c', 'echo hi'])).toEqual({ outcome: 'ok', output: 'hi\n' });
    expect(probe('sh', ['-c', 'echo broken >&2; exit 3'])).toEqual({ outcome: 'failed', detail: 'exit 3: broken' });
    // a probe that outlives its bound is slow (a loaded machine), which detectors count as present
    expect(probe(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 200 })).toEqual({
      outcome: 'slow',
    });
  });

  it('detects once per process', () => {
    let detections = 0;
    registerComponent('selftest-counted', () => {
      detections += 1;
      return { name: 'selftest-counted', available: true };
    });
    for (let i = 0; i < 3; i += 1) expect(component('selftest-counted' as 'cmd:x').available).toBe(true);
    expect(detections).toBe(1);
  });

  it('takes registered detectors', () => {
    registerComponent('selftest-thing', () => ({ name: 'selftest-thing', available: false, reason: 'not today' }));
    expect(component('selftest-thing' as 'cmd:x')).toMatchObject({ available: false, reason: 'not today' });
  });
});

describe('gating', () => {
  it('runs when everything is present', () => {
    expect(gateDecision([present], false)).toEqual({ action: 'run' });
    expect(gateDecision([present], true)).toEqual({ action: 'run' });
  });

  it('skips on a laptop and fails under CI, naming what is missing', () => {
    expect(gateDecision([present, absent], false)).toEqual({ action: 'skip', reason: 'moto_server not found on PATH' });
    expect(gateDecision([absent], true)).toEqual({ action: 'fail', reason: 'moto_server not found on PATH' });
  });

  it('CI is CI set, and not false or 0', () => {
    for (const ci of ['true', '1', 'TRUE', 'yes', 'github-actions']) expect(isCi({ CI: ci }), ci).toBe(true);
    for (const ci of ['false', 'FALSE', '0', '', ' ']) expect(isCi({ CI: ci }), JSON.stringify(ci)).toBe(false);
    expect(isCi({})).toBe(false);
  });

  it('a component CI cannot have skips under CI too, saying why', () => {
    expect(gateDecision([absent], true, { optionalInCi: 'not in Debian' })).toEqual({
      action: 'skip',
      reason: 'moto_server not found on PATH (not in Debian)',
    });
    expect(gateDecision([present], true, { optionalInCi: 'not in Debian' })).toEqual({ action: 'run' });
  });

  // The guarantee that matters: under CI a missing component is a red test, never a skip.
  it('describeWith / itWith: skipped with a printed reason on a laptop, failing under CI', async () => {
    const config = fileURLToPath(new URL('./fixtures/vitest.fixture.config.ts', import.meta.url));
    const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
    const runFixture = (ci: string | undefined) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
        delete env.CI;
        delete env.VITEST;
        delete env.VITEST_WORKER_ID;
        delete env.VITEST_POOL_ID;
        if (ci !== undefined) env.CI = ci;
        execFile(
          process.execPath,
          [vitest, 'run', '--config', config],
          { env, timeout: 120_000 },
          (error, stdout, stderr) => {
            resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, output: stdout + stderr });
          },
        );
      });
    const [laptop, ci] = await Promise.all([runFixture(undefined), runFixture('true')]);

    expect(laptop.code, laptop.output).toBe(0);
    expect(laptop.output).toContain(
      'skipping "needs a missing tool": fedlogin-selftest-missing-tool not found on PATH',
    );
    expect(laptop.output).toMatch(/1 passed \| 2 skipped/);

    expect(ci.code, ci.output).toBe(1);
    expect(ci.output).toContain('missing under CI: fedlogin-selftest-missing-tool not found on PATH');
    expect(ci.output).toMatch(/2 failed \| 1 passed/);
    expect(ci.output).not.toContain('must never run');
  }, 150_000);
});
