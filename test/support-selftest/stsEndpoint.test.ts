import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  type AssumeRoleWithWebIdentityCommandInput,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getCallerIdentity, stsClient } from '../support/aws/sdkCall.js';
import { STS_XMLNS, type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

const ACCOUNT = '123456789012';
const DEPLOY = `arn:aws:iam::${ACCOUNT}:role/deploy`;
const LONG = `arn:aws:iam::${ACCOUNT}:role/ci/long-sessions`;
const TARGET = `arn:aws:iam::${ACCOUNT}:role/target`;
const AUD = 'sts.amazonaws.com';
const SUB = 'repo:octo-org/octo-repo:ref:refs/heads/main';

/** The SDK error a rejected promise carries, with the fields the tests read. */
async function sdkError(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  )) as Error & { $metadata: { httpStatusCode?: number; requestId?: string } };
  return error;
}

describe('startStsEndpoint with the real AWS SDK', () => {
  let issuer: TokenIssuer;
  let other: TokenIssuer;
  let sts: StsEndpoint;

  beforeAll(async () => {
    [issuer, other] = await Promise.all([startTokenIssuer(), startTokenIssuer()]);
    sts = await startStsEndpoint({
      roles: {
        [DEPLOY]: { trust: { issuer: issuer.url, audiences: [AUD], subjects: ['repo:octo-org/octo-repo:*'] } },
        [LONG]: { trust: { issuer: issuer.url, audiences: [AUD] }, maxSessionDuration: 43200 },
        [TARGET]: {},
        // makes `other` a registered provider, so its tokens reach the trust check
        [`arn:aws:iam::${ACCOUNT}:role/other`]: { trust: { issuer: other.url, audiences: [AUD] } },
      },
    });
  });
  afterAll(async () => {
    await Promise.all([sts?.close(), issuer?.close(), other?.close()]);
  });
  beforeEach(() => sts.reset());

  const webIdentity = async (input: Partial<AssumeRoleWithWebIdentityCommandInput> & { WebIdentityToken: string }) => {
    const client = stsClient(sts.url);
    try {
      return await client.send(
        new AssumeRoleWithWebIdentityCommand({ RoleArn: DEPLOY, RoleSessionName: 'ci-run', ...input }),
      );
    } finally {
      client.destroy();
    }
  };
  const token = (claims: Record<string, unknown> = {}, expiresInSeconds?: number) =>
    issuer.sign({ aud: AUD, sub: SUB, ...claims }, { expiresInSeconds });

  it('AssumeRoleWithWebIdentity: unsigned, without any credentials, returns distinct working credentials', async () => {
    const before = Date.now();
    const first = await webIdentity({ WebIdentityToken: await token() });
    const second = await webIdentity({ WebIdentityToken: await token(), DurationSeconds: 900 });
    const after = Date.now();
    // issued between `before` and `after` (whole seconds on the wire), however slow the machine
    const issuedWithin = (expiration: Date, seconds: number) => {
      expect(expiration.getTime()).toBeGreaterThanOrEqual(before - 1000 + seconds * 1000);
      expect(expiration.getTime()).toBeLessThanOrEqual(after + 1000 + seconds * 1000);
    };

    const c = first.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(c.SecretAccessKey).toHaveLength(40);
    expect(c.SessionToken!.length).toBeGreaterThan(200);
    expect(c.Expiration).toBeInstanceOf(Date);
    issuedWithin(c.Expiration!, 3600);
    issuedWithin(second.Credentials!.Expiration!, 900);
    expect(second.Credentials!.AccessKeyId).not.toBe(c.AccessKeyId);
    expect(second.Credentials!.SecretAccessKey).not.toBe(c.SecretAccessKey);

    expect(first.SubjectFromWebIdentityToken).toBe(SUB);
    expect(first.Audience).toBe(AUD);
    expect(first.Provider).toBe(issuer.url);
    expect(first.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/deploy/ci-run`);
    expect(first.AssumedRoleUser!.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:ci-run$/);
    expect(first.$metadata.httpStatusCode).toBe(200);
    expect(first.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);

    expect(sts.issued).toHaveLength(2);
    expect(sts.issued[0]).toMatchObject({
      accessKeyId: c.AccessKeyId,
      roleArn: DEPLOY,
      roleSessionName: 'ci-run',
      subject: SUB,
      audience: AUD,
      issuer: issuer.url,
    });
    expect(sts.count('AssumeRoleWithWebIdentity')).toBe(2);
    // discovery and JWKS are fetched once per issuer, then cached
    expect(issuer.counts).toMatchObject({ discovery: 1, jwks: 1 });
    // the request log describes the token without holding it
    expect(sts.requests[0]!.params.WebIdentityToken).toBe('[redacted]');
    expect(sts.requests[0]!.notes.tokenClaims).toMatchObject({ iss: issuer.url, aud: AUD, sub: SUB });
    expect(JSON.stringify(sts.requests)).not.toContain(issuer.issued.at(-1)!);
  });

  it('AssumeRoleWithWebIdentity also works through a client that has (unused) credentials', async () => {
    const client = stsClient(sts.url, { accessKeyId: 'AKIADUMMYEXAMPLE0001', secretAccessKey: 'dummy' });
    try {
      const out = await client.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: DEPLOY,
          RoleSessionName: 'x1',
          WebIdentityToken: await token(),
        }),
      );
      expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    } finally {
      client.destroy();
    }
  });

  it('is reached through AWS_ENDPOINT_URL_STS, as the CLI under test will reach it', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.url);
    const client = new STSClient({ region: 'eu-west-1', maxAttempts: 1 });
    try {
      const out = await client.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: DEPLOY,
          RoleSessionName: 'via-env',
          WebIdentityToken: await token(),
        }),
      );
      expect(out.AssumedRoleUser?.Arn).toMatch(/assumed-role\/deploy\/via-env$/);
      expect(sts.count('AssumeRoleWithWebIdentity')).toBe(1);
    } finally {
      client.destroy();
      vi.unstubAllEnvs();
    }
  });

  it('the issued credentials identify as the assumed role (GetCallerIdentity, SigV4 verified)', async () => {
    const out = await webIdentity({ WebIdentityToken: await token(), RoleSessionName: 'who-am-i' });
    const c = out.Credentials!;
    const me = await getCallerIdentity(
      { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
      sts.url,
    );
    expect(me.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/deploy/who-am-i`);
    expect(me.Account).toBe(ACCOUNT);
    expect(me.UserId).toBe(out.AssumedRoleUser!.AssumedRoleId);
    expect(sts.requests.at(-1)!.notes.accessKeyId).toBe(c.AccessKeyId);
  });

  describe('refusals surface through the SDK with AWS names and statuses', () => {
    it('wrong audience: AccessDenied 403', async () => {
      const error = await sdkError(webIdentity({ WebIdentityToken: await token({ aud: 'someone-else' }) }));
      expect(error.name).toBe('AccessDenied');
      expect(error.message).toBe('Not authorized to perform sts:AssumeRoleWithWebIdentity');
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(sts.requests.at(-1)!.notes.denied).toMatch(/aud someone-else/);
    });

    it('subject outside the trust policy: AccessDenied 403', async () => {
      const error = await sdkError(
        webIdentity({ WebIdentityToken: await token({ sub: 'repo:evil/repo:ref:refs/heads/main' }) }),
      );
      expect(error.name).toBe('AccessDenied');
      expect(error.$metadata.httpStatusCode).toBe(403);
    });

    it('a registered issuer the role does not trust: AccessDenied 403', async () => {
      const foreign = await other.sign({ aud: AUD, sub: SUB });
      const error = await sdkError(webIdentity({ WebIdentityToken: foreign }));
      expect(error.name).toBe('AccessDenied');
      expect(sts.requests.at(-1)!.notes.denied).toMatch(/not the trusted issuer/);
    });

    it('an issuer no OIDC provider exists for: InvalidIdentityToken 400, nothing fetched', async () => {
      const stranger = await startTokenIssuer();
      try {
        const error = await sdkError(webIdentity({ WebIdentityToken: await stranger.sign({ aud: AUD, sub: SUB }) }));
        expect(error.name).toBe('InvalidIdentityTokenException');
        expect(error.message).toBe(`No OpenIDConnect provider found in your account for ${stranger.url}`);
        expect(error.$metadata.httpStatusCode).toBe(400);
        expect(stranger.counts.discovery + stranger.counts.jwks).toBe(0);
      } finally {
        await stranger.close();
      }
    });

    it('expired token: ExpiredTokenException 400 with AWS wording', async () => {
      const error = await sdkError(webIdentity({ WebIdentityToken: await token({}, -60) }));
      expect(error.name).toBe('ExpiredTokenException');
      expect(error.message).toMatch(
        /^Token expired: current date\/time \d+ must be before the expiration date\/time\d+$/,
      );
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it('bad signature: InvalidIdentityToken 400', async () => {
      const forged = await issuer.signWithUnknownKey({ aud: AUD, sub: SUB });
      const error = await sdkError(webIdentity({ WebIdentityToken: forged }));
      expect(error.name).toBe('InvalidIdentityTokenException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it('not a JWT: InvalidIdentityToken 400', async () => {
      const error = await sdkError(webIdentity({ WebIdentityToken: 'definitely-not-a-jwt' }));
      expect(error.name).toBe('InvalidIdentityTokenException');
    });

    it('issuer unreachable: IDPCommunicationError 400', async () => {
      const gone = await startTokenIssuer();
      const tok = await gone.sign({ aud: AUD, sub: SUB });
      await gone.close();
      const roleArn = `arn:aws:iam::${ACCOUNT}:role/gone`;
      sts.roles[roleArn] = { trust: { issuer: gone.url, audiences: [AUD] } };
      const error = await sdkError(webIdentity({ WebIdentityToken: tok, RoleArn: roleArn }));
      expect(error.name).toBe('IDPCommunicationErrorException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it('unknown role: AccessDenied 403', async () => {
      const error = await sdkError(
        webIdentity({ WebIdentityToken: await token(), RoleArn: `arn:aws:iam::${ACCOUNT}:role/nope` }),
      );
      expect(error.name).toBe('AccessDenied');
      expect(error.$metadata.httpStatusCode).toBe(403);
    });

    it('bad session name: ValidationError 400 naming the constraint', async () => {
      const error = await sdkError(webIdentity({ WebIdentityToken: await token(), RoleSessionName: 'has space' }));
      expect(error.name).toBe('ValidationError');
      expect(error.message).toBe(
        "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      );
      expect(error.$metadata.httpStatusCode).toBe(400);
      const short = await sdkError(webIdentity({ WebIdentityToken: await token(), RoleSessionName: 'a' }));
      expect(short.message).toMatch(/Member must have length greater than or equal to 2/);
    });

    it('duration over the role maximum: ValidationError; in range of a long role: fine', async () => {
      const error = await sdkError(webIdentity({ WebIdentityToken: await token(), DurationSeconds: 7200 }));
      expect(error.name).toBe('ValidationError');
      expect(error.message).toBe('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
      expect(error.$metadata.httpStatusCode).toBe(400);

      const out = await webIdentity({ WebIdentityToken: await token(), RoleArn: LONG, DurationSeconds: 43200 });
      expect(out.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/long-sessions/ci-run`);

      const below = await sdkError(webIdentity({ WebIdentityToken: await token(), DurationSeconds: 899 }));
      expect(below.message).toMatch(
        /'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900/,
      );
    });
  });

  describe('AssumeRole (role chaining, SigV4)', () => {
    const sourceCreds = async () => {
      const c = (await webIdentity({ WebIdentityToken: await token() })).Credentials!;
      return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    };

    it('works with credentials this endpoint issued', async () => {
      const source = await sourceCreds();
      const client = stsClient(sts.url, source);
      try {
        const out = await client.send(new AssumeRoleCommand({ RoleArn: TARGET, RoleSessionName: 'chained' }));
        expect(out.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/target/chained`);
        expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA/);
        expect(sts.issued.at(-1)).toMatchObject({ action: 'AssumeRole', sourceAccessKeyId: source.accessKeyId });
        const me = await getCallerIdentity(
          {
            accessKeyId: out.Credentials!.AccessKeyId!,
            secretAccessKey: out.Credentials!.SecretAccessKey!,
            sessionToken: out.Credentials!.SessionToken!,
          },
          sts.url,
        );
        expect(me.Arn).toBe(out.AssumedRoleUser!.Arn);
      } finally {
        client.destroy();
      }
    });

    it('caps role chaining at one hour like AWS', async () => {
      const client = stsClient(sts.url, await sourceCreds());
      try {
        const error = await sdkError(
          client.send(new AssumeRoleCommand({ RoleArn: TARGET, RoleSessionName: 'long', DurationSeconds: 7200 })),
        );
        expect(error.name).toBe('ValidationError');
        expect(error.message).toBe(
          'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
        );
      } finally {
        client.destroy();
      }
    });

    it('a tampered secret fails SignatureDoesNotMatch 403', async () => {
      const source = await sourceCreds();
      const tampered = {
        ...source,
        secretAccessKey: source.secretAccessKey.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
      };
      const client = stsClient(sts.url, tampered);
      try {
        const error = await sdkError(client.send(new AssumeRoleCommand({ RoleArn: TARGET, RoleSessionName: 'x1' })));
        expect(error.name).toBe('SignatureDoesNotMatch');
        expect(error.$metadata.httpStatusCode).toBe(403);
      } finally {
        client.destroy();
      }
    });

    it('an unknown key or a wrong session token fails InvalidClientTokenId 403', async () => {
      const source = await sourceCreds();
      for (const creds of [
        { ...source, accessKeyId: 'ASIAUNKNOWNEXAMPLE12' },
        { ...source, sessionToken: `${source.sessionToken}x` },
      ]) {
        const error = await sdkError(getCallerIdentity(creds, sts.url));
        expect(error.name).toBe('InvalidClientTokenId');
        expect(error.$metadata.httpStatusCode).toBe(403);
      }
    });

    it('expired issued credentials fail ExpiredToken', async () => {
      const source = await sourceCreds();
      sts.expire(source.accessKeyId);
      const error = await sdkError(getCallerIdentity(source, sts.url));
      expect(error.name).toBe('ExpiredToken');
      expect(error.message).toBe('The security token included in the request is expired');
    });

    it('an unsigned GetCallerIdentity is refused', async () => {
      const res = await fetch(sts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    });
  });

  describe('fault injection, delays, clock', () => {
    it('failNext(3, Throttling) answers three throttles, counted, then works', async () => {
      sts.failNext(3, { code: 'Throttling', message: 'Rate exceeded' });
      for (let i = 0; i < 3; i++) {
        const error = await sdkError(webIdentity({ WebIdentityToken: await token() }));
        expect(error.name).toBe('Throttling');
        expect(error.message).toBe('Rate exceeded');
        expect(error.$metadata.httpStatusCode).toBe(400);
      }
      const out = await webIdentity({ WebIdentityToken: await token() });
      expect(out.Credentials).toBeDefined();
      expect(sts.count('AssumeRoleWithWebIdentity')).toBe(4);
      expect(sts.requests.filter((r) => r.injected).map((r) => r.errorCode)).toEqual([
        'Throttling',
        'Throttling',
        'Throttling',
      ]);
    });

    it('the SDK retries injected throttles by itself', async () => {
      sts.throttleNext(1);
      const client = stsClient(sts.url, undefined, { maxAttempts: 2 });
      try {
        const out = await client.send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: DEPLOY,
            RoleSessionName: 'retry',
            WebIdentityToken: await token(),
          }),
        );
        expect(out.$metadata.attempts).toBe(2);
      } finally {
        client.destroy();
      }
      expect(sts.count('AssumeRoleWithWebIdentity')).toBe(2);
    });

    it('injected errors have the real STS error shape', async () => {
      sts.failNext(1, { code: 'IDPRejectedClaim', message: 'Claim rejected', action: 'AssumeRoleWithWebIdentity' });
      sts.failNextUnavailable(1, 'GetCallerIdentity');
      const res = await fetch(sts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=AssumeRoleWithWebIdentity&Version=2011-06-15',
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('text/xml');
      expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      const body = await res.text();
      expect(body).toBe(
        `<ErrorResponse xmlns="${STS_XMLNS}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>IDPRejectedClaim</Code>\n` +
          `    <Message>Claim rejected</Message>\n  </Error>\n  <RequestId>${res.headers.get('x-amzn-requestid')}</RequestId>\n</ErrorResponse>\n`,
      );
      // the GetCallerIdentity fault waits for its action
      const unavailable = await sdkError(
        getCallerIdentity({ accessKeyId: 'ASIAX', secretAccessKey: 'x', sessionToken: 'x' }, sts.url),
      );
      expect(unavailable.$metadata.httpStatusCode).toBe(503);
      expect(unavailable.name).toBe('ServiceUnavailable');
    });

    it('InternalFailure is a 500 the SDK sees as a server fault', async () => {
      sts.failNextInternal(1);
      const error = await sdkError(webIdentity({ WebIdentityToken: await token() }));
      expect(error.name).toBe('InternalFailure');
      expect(error.$metadata.httpStatusCode).toBe(500);
      expect((error as unknown as { $fault: string }).$fault).toBe('server');
    });

    it('delayNext holds the answer back (order of answers, not a stopwatch)', async () => {
      const c = (await webIdentity({ WebIdentityToken: await token() })).Credentials!;
      const answered: string[] = [];
      sts.delayNext(1, 5_000, 'AssumeRoleWithWebIdentity');
      const held = webIdentity({ WebIdentityToken: await token() }).then(() =>
        answered.push('held AssumeRoleWithWebIdentity'),
      );
      // asked after it, answered before it: the other action is not held
      await getCallerIdentity(
        { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
        sts.url,
      );
      answered.push('GetCallerIdentity');
      await held;
      expect(answered).toEqual(['GetCallerIdentity', 'held AssumeRoleWithWebIdentity']);
      expect(sts.requests.map((r) => r.action).sort()).toEqual([
        'AssumeRoleWithWebIdentity',
        'AssumeRoleWithWebIdentity',
        'GetCallerIdentity',
      ]);
    });

    it('clock skew shows in the Date header; the SDK corrects a skewed signature from it', async () => {
      const c = (await webIdentity({ WebIdentityToken: await token() })).Credentials!;
      // beyond the 15-minute signature window, within the credentials' hour
      sts.setClockSkew(30 * 60 * 1000);
      try {
        const before = Date.now();
        const res = await fetch(sts.url, { method: 'POST', body: 'Action=Nope' });
        const after = Date.now();
        // the server's clock, half an hour ahead, read between `before` and `after` (whole seconds)
        const serverDate = Date.parse(res.headers.get('date')!);
        expect(serverDate).toBeGreaterThanOrEqual(before + 1800_000 - 1000);
        expect(serverDate).toBeLessThanOrEqual(after + 1800_000 + 1000);

        const client = stsClient(
          sts.url,
          { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
          { maxAttempts: 2 },
        );
        try {
          const me = await client.send(new GetCallerIdentityCommand({}));
          expect(me.Arn).toMatch(/assumed-role\/deploy/);
        } finally {
          client.destroy();
        }
        const refused = sts.requests.filter((r) => r.errorCode === 'SignatureDoesNotMatch');
        expect(refused).toHaveLength(1);
      } finally {
        sts.setClockSkew(0);
      }
    });

    it('unknown actions answer InvalidAction and are counted', async () => {
      const res = await fetch(sts.url, { method: 'POST', body: 'Action=AssumeRoleWithMagic&Version=2011-06-15' });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('Could not find operation AssumeRoleWithMagic for version 2011-06-15');
      expect(sts.count('AssumeRoleWithMagic')).toBe(1);
    });

    it('reset() clears counters, log, issued list and pending faults; issued keys keep working', async () => {
      const c = (await webIdentity({ WebIdentityToken: await token() })).Credentials!;
      sts.throttleNext(5);
      sts.reset();
      expect(sts.counts).toEqual({});
      expect(sts.requests).toEqual([]);
      expect(sts.issued).toEqual([]);
      const me = await getCallerIdentity(
        { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
        sts.url,
      );
      expect(me.Account).toBe(ACCOUNT);
      expect(sts.secrets()).toContain(c.SecretAccessKey);
    });
  });
});
