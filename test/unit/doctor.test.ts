import { describe, expect, it } from 'vitest';
import { doctorExitCode, fail, ok, warn } from '../../src/cli/commands/doctor/check.js';
import { clockSkewCheck, skewFromDate } from '../../src/cli/commands/doctor/clockSkew.js';
import { credentialsPermissionsCheck } from '../../src/cli/commands/doctor/credentialsPermissions.js';
import { checkFlowSettings } from '../../src/cli/commands/doctor/flowSettings.js';
import type { HttpProbe } from '../../src/cli/commands/doctor/httpProbe.js';
import {
  browserCheck,
  credentialProcessCheck,
  idpReachableCheck,
  profileKeysCheck,
} from '../../src/cli/commands/doctor/profileChecks.js';
import { formatJson, formatReport } from '../../src/cli/commands/doctor/report.js';
import { webIdentityTokenCheck } from '../../src/cli/commands/doctor/webIdentityToken.js';
import { ProfileValues } from '../../src/config/profileValues.js';
import { launcherMachine } from '../support/harness/builders.js';

const ROLE = 'arn:aws:iam::123456789012:role/ci';
const profileOf = (values: Record<string, string>, name = 'dev') =>
  new ProfileValues({ name, file: '/home/u/.aws/config', section: `profile ${name}`, values });

describe('clock skew', () => {
  it('reads the skew from a Date header against the middle of the request, rounding the lost half second', () => {
    const sent = Date.parse('2030-01-01T00:00:00.000Z');
    expect(skewFromDate('Tue, 01 Jan 2030 00:10:00 GMT', sent, sent + 200)).toBe(10 * 60_000 + 500 - 100);
    expect(skewFromDate('not a date', sent, sent)).toBeUndefined();
  });

  it('is ok within a minute, warns above one minute and fails above five, either way', () => {
    expect(clockSkewCheck(59_000, 'STS').status).toBe('ok');
    expect(clockSkewCheck(-61_000, 'STS').status).toBe('warn');
    expect(clockSkewCheck(5 * 60_000, 'STS').status).toBe('warn');
    const ahead = clockSkewCheck(-(5 * 60_000 + 1), 'STS');
    expect(ahead.status).toBe('fail');
    expect(ahead.message).toContain('ahead of STS');
    const behind = clockSkewCheck(10 * 60_000, 'STS', 'ci');
    expect(behind).toMatchObject({ id: 'clock-skew', profile: 'ci', status: 'fail' });
    expect(behind.message).toContain('10.0 min behind STS');
    expect(behind.fix).toMatch(/NTP/);
  });
});

describe('credentials file permissions', () => {
  it('fails for group or other bits with the chmod that fixes it', () => {
    const check = credentialsPermissionsCheck('/h/.aws/credentials', 0o100644, 'linux');
    expect(check).toMatchObject({ status: 'fail', fix: 'chmod 600 /h/.aws/credentials' });
    expect(check.message).toContain('mode 644');
    expect(credentialsPermissionsCheck('/f', 0o100640, 'linux').status).toBe('fail');
    expect(credentialsPermissionsCheck('/f', 0o100600, 'linux').status).toBe('ok');
    expect(credentialsPermissionsCheck('/f', 0o100400, 'linux').status).toBe('ok');
    expect(credentialsPermissionsCheck('/f', undefined, 'linux').status).toBe('ok');
    expect(credentialsPermissionsCheck('/f', 0o100666, 'win32').status).toBe('ok');
  });
});

describe('web identity token', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  const base = { source: 'token file /t', roleArn: ROLE, expectedAudience: 'sts.amazonaws.com', now };

  it('shows iss, aud, sub and exp against the role', () => {
    const check = webIdentityTokenCheck({
      ...base,
      claims: { iss: 'https://idp', aud: 'sts.amazonaws.com', sub: 'repo:o/r', exp: now / 1000 + 600 },
    });
    expect(check.status).toBe('ok');
    expect(check.message).toBe(
      `token file /t: iss=https://idp, aud=sts.amazonaws.com, sub=repo:o/r, exp=2030-01-01T00:10:00.000Z -> ${ROLE}`,
    );
  });

  it('warns when expired, or when aud is not the STS audience', () => {
    const expired = webIdentityTokenCheck({
      ...base,
      claims: { iss: 'https://idp', aud: 'sts.amazonaws.com', exp: now / 1000 - 1 },
    });
    expect(expired.status).toBe('warn');
    expect(expired.message).toContain('expired');
    const audience = webIdentityTokenCheck({
      ...base,
      claims: { iss: 'https://idp', aud: ['api://x'], exp: now / 1000 + 60 },
    });
    expect(audience.status).toBe('warn');
    expect(audience.message).toContain('aud does not include sts.amazonaws.com');
    expect(audience.fix).toContain('fedlogin_audience');
  });
});

describe('flow settings', () => {
  it('accepts complete settings and finds the region and targets', () => {
    const result = checkFlowSettings(
      profileOf({
        fedlogin_flow: 'oidc',
        fedlogin_issuer: 'https://login.example.com',
        fedlogin_client_id: 'c',
        fedlogin_role_arn: ROLE,
        region: 'eu-west-1',
      }),
      {},
      undefined,
    );
    expect(result.check.status).toBe('ok');
    expect(result.targets).toMatchObject({
      flow: 'oidc',
      region: 'eu-west-1',
      issuer: 'https://login.example.com/',
      audience: 'sts.amazonaws.com',
    });
  });

  it('fails with the file, section and key of what is wrong', () => {
    const bad = checkFlowSettings(
      profileOf({
        fedlogin_flow: 'web-identity',
        fedlogin_role_arn: 'arn:aws:iam::1:role/x',
        fedlogin_token_file: '/t',
      }),
      {},
      undefined,
    );
    expect(bad.check.status).toBe('fail');
    expect(bad.check.message).toContain('/home/u/.aws/config [profile dev] fedlogin_role_arn');
    const missing = checkFlowSettings(profileOf({ fedlogin_flow: 'saml' }), {}, undefined);
    expect(missing.check.message).toContain('fedlogin_idp_url');
    const pool = checkFlowSettings(
      profileOf({ fedlogin_flow: 'cognito', fedlogin_identity_pool_id: 'eu-west-1:nope', fedlogin_guest: 'true' }),
      {},
      undefined,
    );
    expect(pool.check.status).toBe('fail');
    const noFlow = checkFlowSettings(profileOf({ region: 'us-east-1' }), {}, undefined);
    expect(noFlow.check.fix).toBe('Run: fedlogin configure --profile dev');
  });

  it("takes a cognito profile's region from its pool", () => {
    const result = checkFlowSettings(
      profileOf({
        fedlogin_flow: 'cognito',
        fedlogin_identity_pool_id: 'eu-west-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f',
        fedlogin_guest: 'true',
      }),
      {},
      undefined,
    );
    expect(result.targets?.region).toBe('eu-west-1');
  });
});

describe('browser, credential_process and IdP checks', () => {
  it('finds no browser at a path that does not exist, and says how to fix it', () => {
    const check = browserCheck(
      { flow: 'saml', region: 'us-east-1', browser: '/nonexistent/chrome' },
      { env: { PATH: '/usr/bin' }, platform: 'linux', isExecutable: () => false },
      'sso',
    );
    expect(check).toMatchObject({ id: 'browser', status: 'fail', profile: 'sso' });
    expect(check.fix).toContain('--browser');
    const found = browserCheck(
      { flow: 'saml', region: 'us-east-1' },
      { env: { PATH: '/opt/bin' }, platform: 'linux', isExecutable: (f) => f === '/opt/bin/chromium' },
      'sso',
    );
    expect(found).toMatchObject({ status: 'ok', message: 'Signs in with chromium at /opt/bin/chromium.' });
  });

  const machine = launcherMachine;
  const line = (credential_process: string) => profileOf({ credential_process });

  it('warns about a profile the AWS tools would not send to fedlogin', () => {
    const deps = machine('/usr/bin');
    expect(credentialProcessCheck(profileOf({}), deps).status).toBe('warn');
    expect(credentialProcessCheck(line('other-tool --profile dev'), deps).status).toBe('warn');
  });

  it('fails a bare fedlogin that is not on PATH, naming the line that runs this one', () => {
    const check = credentialProcessCheck(line('fedlogin credential-process --profile dev'), machine('/usr/bin:/bin'));
    expect(check).toMatchObject({ status: 'fail', profile: 'dev' });
    expect(check.message).toContain('"fedlogin", which is not on PATH');
    expect(check.fix).toBe(
      'Run: fedlogin configure --profile dev  (or set: credential_process = /opt/fedlogin/bin/fedlogin.js credential-process --profile dev)',
    );
    const gone = credentialProcessCheck(
      line('/old/bin/fedlogin credential-process --profile dev'),
      machine('/usr/bin'),
    );
    expect(gone.status).toBe('fail');
    expect(gone.message).toContain('is not an executable file');
    expect(
      credentialProcessCheck(line("'/opt/x credential-process --profile dev"), machine('/usr/bin')).message,
    ).toMatch(/unterminated quote/);
  });

  it('is ok when PATH (or the path, or node and the script) leads to this fedlogin; warns for another installation', () => {
    const onPath = machine('/usr/local/bin:/usr/bin', { '/usr/local/bin/fedlogin': '/opt/fedlogin/bin/fedlogin.js' });
    expect(credentialProcessCheck(line('fedlogin credential-process --profile dev'), onPath)).toMatchObject({
      status: 'ok',
      message: 'credential_process = fedlogin credential-process --profile dev (starts /usr/local/bin/fedlogin)',
    });
    const bare = machine('/usr/bin');
    expect(
      credentialProcessCheck(line('/opt/fedlogin/bin/fedlogin.js credential-process --profile dev'), bare).status,
    ).toBe('ok');
    expect(
      credentialProcessCheck(line('node /opt/fedlogin/bin/fedlogin.js credential-process --profile dev'), bare).status,
    ).toBe('ok');
    const other = machine('/usr/bin', { '/usr/bin/fedlogin': '/srv/old/bin/fedlogin.js' }, [
      '/srv/old/bin/fedlogin.js',
    ]);
    const check = credentialProcessCheck(line('fedlogin credential-process --profile dev'), other);
    expect(check.status).toBe('warn');
    expect(check.message).toContain('another fedlogin installation');
    const notFedlogin = machine('/usr/bin', {}, ['/usr/bin/true']);
    expect(credentialProcessCheck(line('true credential-process --profile dev'), notFedlogin)).toMatchObject({
      status: 'fail',
      message: 'credential_process starts /usr/bin/true, which is not fedlogin.',
    });
  });

  it('checks the OIDC discovery document names the configured issuer', async () => {
    const targets = { flow: 'oidc' as const, region: 'us-east-1', issuer: 'https://idp.example/' };
    const answer =
      (status: number, body: unknown): HttpProbe =>
      async (url) => {
        expect(url).toBe('https://idp.example/.well-known/openid-configuration');
        return { reachable: true, status, date: undefined, body: JSON.stringify(body), sentAt: 0, receivedAt: 0 };
      };
    const deps = (probe: HttpProbe) => ({ probe, timeoutMs: 3000 });
    expect(
      (await idpReachableCheck(targets, deps(answer(200, { issuer: 'https://idp.example' })), 'dev'))?.check.status,
    ).toBe('ok');
    const other = await idpReachableCheck(targets, deps(answer(200, { issuer: 'https://other' })), 'dev');
    expect(other?.check).toMatchObject({ status: 'fail', fix: 'Set fedlogin_issuer = https://other' });
    expect((await idpReachableCheck(targets, deps(answer(404, {})), 'dev'))?.check.status).toBe('fail');
    const down = await idpReachableCheck(
      targets,
      deps(async () => ({ reachable: false, reason: 'no answer within 3 s' })),
      'dev',
    );
    expect(down?.check.message).toContain('no answer within 3 s');
  });
});

describe('report', () => {
  const checks = [
    ok('config-file', 'parses'),
    warn('secret-store', 'file store', 'set fedlogin_store = file', 'dev'),
    fail('clock-skew', 'skewed', 'sync the clock', 'dev'),
  ];

  it('exits 2 only when a check fails', () => {
    expect(doctorExitCode(checks)).toBe(2);
    expect(doctorExitCode(checks.slice(0, 2))).toBe(0);
  });

  it('prints a plain table with the fix under each problem, colours only when asked', () => {
    const table = formatReport(checks, { colour: false });
    expect(table).toBe(
      [
        'STATUS  CHECK              MESSAGE',
        'ok      config-file        parses',
        'warn    dev: secret-store  file store',
        '                           fix: set fedlogin_store = file',
        'FAIL    dev: clock-skew    skewed',
        '                           fix: sync the clock',
        '',
        '1 ok, 1 warning(s), 1 failed.',
        '',
      ].join('\n'),
    );
    expect(table).not.toContain('\x1b[');
    expect(formatReport(checks, { colour: true })).toContain('\x1b[31mFAIL');
  });

  it('prints JSON with id, profile, status, message and fix', () => {
    expect(JSON.parse(formatJson(checks))).toEqual({
      checks: [
        { id: 'config-file', profile: null, status: 'ok', message: 'parses', fix: null },
        { id: 'secret-store', profile: 'dev', status: 'warn', message: 'file store', fix: 'set fedlogin_store = file' },
        { id: 'clock-skew', profile: 'dev', status: 'fail', message: 'skewed', fix: 'sync the clock' },
      ],
    });
  });
});

describe('keys the flow does not read (issue 15 item 6)', () => {
  it("warns about another flow's keys and unknown fedlogin_* keys; native keys are not judged", () => {
    const saml = profileOf({
      fedlogin_flow: 'saml',
      fedlogin_idp_url: 'https://idp.example.com/sso',
      fedlogin_token_file: '/var/run/token',
      fedlogin_rolearn: ROLE,
      region: 'eu-west-1',
      output: 'json',
    });
    const check = profileKeysCheck(saml)!;
    expect(check).toMatchObject({ id: 'profile-keys', status: 'warn', profile: 'dev' });
    expect(check.message).toBe(
      '[profile dev] has keys the saml flow ignores: fedlogin_token_file (read by other flows, not saml); fedlogin_rolearn (not a fedlogin setting: misspelt?).',
    );
    expect(check.fix).toBe(
      "Remove them from /home/u/.aws/config, or run: fedlogin configure --profile dev (a flow change drops the old flow's keys).",
    );
    const clean = profileOf({
      fedlogin_flow: 'cognito',
      fedlogin_issuer: 'https://x',
      fedlogin_store: 'file',
      region: 'x',
    });
    expect(profileKeysCheck(clean)!.status).toBe('ok');
    expect(profileKeysCheck(profileOf({ fedlogin_flow: 'nope' }))).toBeUndefined();
  });
});
