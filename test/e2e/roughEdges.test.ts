import { describe, expect, it } from 'vitest';
import { ENV_FORMATS } from '../../src/output/envFormat.js';
import { displayWidth } from '../../src/output/textTable.js';
import { makeTempHome, runCli } from '../support/cli/runCli.js';
import { flowSettings, profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { PROFILE, ROLE_ARN, webIdentityProfileForSuite } from './exec.support.js';

/**
 * Issue 15, item 6: rough edges a new user meets first, each through the built CLI: regions,
 * --format, a broken config header, status with wide profile names, counts in doctor.
 */

/** One HOME with the given ~/.aws/config text; runs fedlogin in it. */
async function inHome<T>(config: string, run: (cli: (args: string[]) => ReturnType<typeof runCli>) => Promise<T>) {
  const home = await makeTempHome();
  try {
    await writeAwsConfig(home, config);
    return await run((args) => runCli(args, { env: { ...home.env, FEDLOGIN_STORE: 'file' } }));
  } finally {
    await home.cleanup();
  }
}

const oneProfile = profileSection('dev', flowSettings.webIdentity({ roleArn: ROLE_ARN, tokenFile: '/nonexistent' }));

describe('regions are checked in one place, for every command', () => {
  it.each([['status'], ['login'], ['env'], ['doctor'], ['configure', '--non-interactive']])(
    '%s --region mars is a usage error before anything runs',
    async (...command) => {
      await inHome(oneProfile.join('\n'), async (cli) => {
        const result = await cli([...command, '--profile', 'dev', '--region', 'mars']);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe('fedlogin: --region is not an AWS region: "mars".\n  Example: --region eu-west-1\n');
      });
    },
  );

  it('a region in the shape of every AWS region is accepted', async () => {
    await inHome(oneProfile.join('\n'), async (cli) => {
      const result = await cli(['status', '--region', 'us-gov-west-1', '--json']);
      expect(result.code, result.stderr).toBe(0);
    });
  });
});

describe('--format: help and validation agree, and --format alone means --output env', () => {
  const setup = webIdentityProfileForSuite();
  const cli = (args: string[]) => runCli(args, { env: setup.env });

  it.each(['login', 'web-identity', 'saml', 'oidc', 'cognito', 'env', 'serve'])(
    '%s --help lists exactly the formats --format accepts',
    async (command) => {
      const help = (await cli([command, '--help'])).stdout.replace(/\s+/g, ' ');
      expect(help).toContain(ENV_FORMATS.join('|'));
    },
  );

  it('every listed format is accepted, an unlisted one is refused before any login', async () => {
    for (const format of ENV_FORMATS) {
      const result = await cli(['env', '--profile', PROFILE, '--format', format]);
      expect(result.code, `${format}: ${result.stderr}`).toBe(0);
    }
    const before = setup.sts.count('AssumeRoleWithWebIdentity');
    const bad = await cli(['login', '--profile', PROFILE, '--format', 'csh']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`fedlogin: Unknown --format value "csh".\n  Use one of: ${ENV_FORMATS.join(', ')}.\n`);
    expect(setup.sts.count('AssumeRoleWithWebIdentity')).toBe(before);
  });

  it('login --format fish without --output writes fish lines (--format implies --output env)', async () => {
    const result = await cli(['login', '--profile', PROFILE, '--format', 'fish']);
    expect(result.code, result.stderr).toBe(0);
    const issued = setup.sts.issued.at(-1)!;
    expect(result.stdout).toContain(`set -gx AWS_ACCESS_KEY_ID '${issued.accessKeyId}'\n`);
  });

  it('--format with another --output is refused before any login, on every command that delivers', async () => {
    const before = setup.sts.count('AssumeRoleWithWebIdentity');
    for (const args of [
      ['login', '--profile', PROFILE, '--output', 'json', '--format', 'fish'],
      ['web-identity', '--token-file', '/nonexistent', '--role-arn', ROLE_ARN, '--output', 'github', '--format', 'sh'],
      ['saml', '--assertion-file', '/nonexistent', '--output', 'credential-process', '--format', 'sh'],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(
        /^fedlogin: --format is for --output env; --output \S+ has no format\.\n/,
      );
    }
    expect(setup.sts.count('AssumeRoleWithWebIdentity')).toBe(before);
  });
});

describe('~/.aws/config with a broken section header', () => {
  it('"[profile ci" is reported as an unclosed header at its line', async () => {
    await inHome('[profile ci\nregion = eu-west-1\n', async (cli) => {
      for (const command of ['status', 'doctor']) {
        const result = await cli([command]);
        expect(result.code, command).toBe(2);
        expect(result.stdout + result.stderr).toMatch(
          /config line 1: the section header "\[profile ci" has no closing "\]"/,
        );
        expect(result.stdout + result.stderr).not.toContain('before the first [section] header');
      }
    });
  });
});

describe('status and doctor with what people really name profiles', () => {
  it('status aligns wide (CJK) profile names by terminal columns', async () => {
    const config = [
      profileSection('本番環境', flowSettings.webIdentity({ roleArn: ROLE_ARN, tokenFile: '/t' })),
      profileSection('dev', flowSettings.webIdentity({ roleArn: ROLE_ARN, tokenFile: '/t' })),
    ]
      .map((s) => s.join('\n'))
      .join('\n\n');
    await inHome(config, async (cli) => {
      const result = await cli(['status']);
      expect(result.code, result.stderr).toBe(0);
      // the header, the sign-in both profiles share (the tree of fedlogin status), the two profiles
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[1]!.trim()).toBe('token file /t');
      lines.splice(1, 1);
      // FLOW starts at the same terminal column on every line
      const flowColumn = (line: string) => displayWidth(line.slice(0, line.search(/FLOW|web-identity/)));
      expect(lines.map(flowColumn)).toEqual([19, 19, 19]);
    });
  });

  it('doctor counts "1 profile", not "1 profiles"', async () => {
    await inHome(oneProfile.join('\n'), async (cli) => {
      const result = await cli(['doctor']);
      expect(result.stdout).toMatch(/config parses \(1 profile\)\./);
      expect(result.stdout).not.toContain('1 profiles');
    });
  });
});
