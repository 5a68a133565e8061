import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FederationEndpoint, startFederationEndpoint } from '../support/aws/federationEndpoint.js';
import { runCli } from '../support/cli/runCli.js';
import { PROFILE, startWebIdentityProfile, type WebIdentityProfile } from './exec.support.js';

describe('fedlogin console', () => {
  const others: WebIdentityProfile[] = [];
  const extraIssued = () => others.flatMap((o) => o.sts.issued);
  let setup: WebIdentityProfile;
  let federation: FederationEndpoint;
  let env: Record<string, string>;

  beforeAll(async () => {
    setup = await startWebIdentityProfile();
    // Valid sessions are the ones the STS double issued, as the real endpoint accepts only real ones.
    federation = await startFederationEndpoint({
      acceptSession: (s) =>
        [...setup.sts.issued, ...extraIssued()].some(
          (c) =>
            c.accessKeyId === s.sessionId && c.secretAccessKey === s.sessionKey && c.sessionToken === s.sessionToken,
        ),
    });
    env = { ...setup.env, FEDLOGIN_SIGNIN_ENDPOINT: federation.url };
  });
  afterAll(async () => {
    await Promise.allSettled([federation?.close(), setup?.close()]);
  });

  it('--print prints a login URL made from the sign-in token of the role session', async () => {
    const result = await runCli(['console', '--profile', PROFILE, '--print', '--duration', '2h'], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const issued = setup.sts.issued.at(-1)!;
    const tokenRequest = federation.requests.find((r) => r.action === 'getSigninToken')!;
    expect(tokenRequest).toMatchObject({ method: 'GET', sessionDuration: '7200', status: 200 });
    expect(tokenRequest.session).toEqual({
      sessionId: issued.accessKeyId,
      sessionKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken,
    });

    expect(result.stdout.endsWith('\n')).toBe(true);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const url = new URL(lines[0]!);
    expect(`${url.origin}${url.pathname}`).toBe(federation.url);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      Action: 'login',
      Issuer: 'fedlogin',
      Destination: 'https://console.aws.amazon.com/console/home?region=us-east-1',
      SigninToken: federation.signinTokens.at(-1),
    });
    // The link works at the stand-in: it signs in and sends the browser on to the destination.
    const login = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('https://console.aws.amazon.com/console/home?region=us-east-1');
    expect(result.stdout).not.toContain(issued.secretAccessKey);
  });

  it('takes a destination path, and sends the default one-hour duration', async () => {
    const result = await runCli(['console', '--profile', PROFILE, '--print', '--destination', '/s3/home'], { env });
    expect(result.code).toBe(0);
    expect(federation.requests.filter((r) => r.action === 'getSigninToken').at(-1)).toMatchObject({
      sessionDuration: '3600',
      status: 200,
    });
    expect(new URL(result.stdout.trim()).searchParams.get('Destination')).toBe(
      'https://console.aws.amazon.com/s3/home',
    );
  });

  it('logs neither the getSigninToken URL nor the credentials, even with --debug', async () => {
    const result = await runCli(['console', '--profile', PROFILE, '--print', '--debug'], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('Session=');
    expect(result.stderr).not.toContain('getSigninToken&');
    for (const secret of setup.sts.secrets()) expect(result.stderr).not.toContain(secret);
    for (const token of federation.signinTokens) expect(result.stderr).not.toContain(token);
  });

  it('uses the console host of the role partition (aws-cn)', async () => {
    const cn = await startWebIdentityProfile({ roleArn: 'arn:aws-cn:iam::123456789012:role/dev' });
    others.push(cn);
    try {
      const result = await runCli(['console', '--profile', PROFILE, '--region', 'cn-north-1', '--print'], {
        env: { ...cn.env, FEDLOGIN_SIGNIN_ENDPOINT: federation.url },
      });
      expect(result.stderr).toBe('');
      expect(new URL(result.stdout.trim()).searchParams.get('Destination')).toBe(
        'https://console.amazonaws.cn/console/home?region=cn-north-1',
      );
    } finally {
      await cn.close();
    }
  });

  it('refuses a duration out of range before asking anyone', async () => {
    const before = federation.requests.length;
    const result = await runCli(['console', '--profile', PROFILE, '--print', '--duration', '60'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--duration must be between 900 seconds');
    expect(federation.requests.length).toBe(before);
  });

  it('exits 3 with a hint when the federation endpoint refuses the session', async () => {
    const refusing = await startFederationEndpoint({ acceptSession: () => false });
    try {
      const result = await runCli(['console', '--profile', PROFILE, '--print'], {
        env: { ...env, FEDLOGIN_SIGNIN_ENDPOINT: refusing.url },
      });
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('refused the credentials of profile dev (HTTP 400)');
      for (const secret of setup.sts.secrets()) expect(result.stderr).not.toContain(secret);
    } finally {
      await refusing.close();
    }
  });
});
