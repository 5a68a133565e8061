import { describe, expect, it } from 'vitest';
import { parseRoleArn } from '../../src/aws/arn.js';
import { isRegionName, partitionOfRegion } from '../../src/aws/partition.js';
import { backoffDelay, withRetries } from '../../src/aws/retry.js';
import { isTransient, serviceErrorInfo } from '../../src/aws/serviceError.js';
import { stsEndpointFor } from '../../src/aws/stsEndpoint.js';
import { translateStsError } from '../../src/aws/stsErrors.js';
import { parseRegion, resolveRegion } from '../../src/config/resolveRegion.js';
import { FedloginError } from '../../src/core/errors.js';

const sdkError = (name: string, status: number, message = 'msg') =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('role ARNs and partitions', () => {
  it('parses role ARNs of every partition, with paths', () => {
    expect(parseRoleArn('arn:aws:iam::123456789012:role/ci')).toMatchObject({
      accountId: '123456789012',
      roleName: 'ci',
    });
    expect(parseRoleArn('arn:aws-cn:iam::123456789012:role/a/b/deploy').partition.stsAudience).toBe(
      'sts.amazonaws.com.cn',
    );
    expect(parseRoleArn('arn:aws-us-gov:iam::123456789012:role/x').partition.signinHost).toBe(
      'signin.amazonaws-us-gov.com',
    );
  });

  it.each([
    'arn:aws:iam::123:role/x',
    'arn:aws:iam::123456789012:user/x',
    'arn:aws:sts::123456789012:role/x',
    'arn:nope:iam::123456789012:role/x',
    '',
  ])('refuses %j with a usage error', (value) => {
    expect(() => parseRoleArn(value)).toThrow(FedloginError);
  });

  it('maps regions to partitions and regional endpoints', () => {
    expect(partitionOfRegion('cn-northwest-1').name).toBe('aws-cn');
    expect(partitionOfRegion('us-gov-east-1').name).toBe('aws-us-gov');
    expect(partitionOfRegion('eu-west-1').name).toBe('aws');
    expect(stsEndpointFor('eu-west-1', {})).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(stsEndpointFor('cn-north-1', {})).toBe('https://sts.cn-north-1.amazonaws.com.cn');
    expect(stsEndpointFor('eu-west-1', { AWS_ENDPOINT_URL: 'http://b', AWS_ENDPOINT_URL_STS: 'http://a' })).toBe(
      'http://a',
    );
    expect(stsEndpointFor('eu-west-1', { AWS_ENDPOINT_URL: 'http://b' })).toBe('http://b');
  });

  it('resolves the region by precedence and checks its partition', () => {
    const aws = parseRoleArn('arn:aws:iam::123456789012:role/ci').partition;
    expect(resolveRegion({ flag: 'eu-west-1', env: { AWS_REGION: 'us-west-2' }, partition: aws })).toBe('eu-west-1');
    expect(resolveRegion({ env: { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-west-3' }, partition: aws })).toBe(
      'us-west-2',
    );
    expect(resolveRegion({ env: { AWS_DEFAULT_REGION: 'eu-west-3' }, profile: 'ap-south-1', partition: aws })).toBe(
      'eu-west-3',
    );
    expect(resolveRegion({ env: {}, profile: 'ap-south-1', partition: aws })).toBe('ap-south-1');
    expect(resolveRegion({ env: {}, partition: aws })).toBe('us-east-1');
    expect(() => resolveRegion({ flag: 'cn-north-1', env: {}, partition: aws })).toThrow(/partition aws-cn/);
    expect(() => resolveRegion({ flag: 'Frankfurt', env: {}, partition: aws })).toThrow(/not an AWS region/);
  });

  it.each([
    'us-east-1',
    'eu-central-2',
    'ap-southeast-4',
    'us-gov-west-1',
    'cn-northwest-1',
    'us-iso-east-1',
    'us-isob-east-1',
  ])('region %s is a region name', (region) => {
    expect(isRegionName(region)).toBe(true);
    expect(parseRegion(` ${region}\n`, '--region')).toBe(region);
  });

  it.each(['mars', 'Frankfurt', 'EU-WEST-1', 'eu-west', 'euwest1', 'eu-west-1a', 'e-west-1', ''])(
    '%j is refused with REGION_INVALID naming where it came from',
    (value) => {
      expect(isRegionName(value)).toBe(false);
      expect(() => parseRegion(value, 'AWS_REGION')).toThrow(
        expect.objectContaining({ code: 'REGION_INVALID', message: `AWS_REGION is not an AWS region: "${value}".` }),
      );
    },
  );
});

describe('retries', () => {
  it('backs off exponentially with full jitter under a cap', () => {
    const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(policy, a, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });

  it('retries transient errors until success and stops at once on others', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls <= 3) throw sdkError('Throttling', 400);
        return 'ok';
      },
      { attempts: 5, baseDelayMs: 10, maxDelayMs: 100 },
      {
        isRetryable: (e) => isTransient(serviceErrorInfo(e)),
        wait: async (ms) => void waits.push(ms),
        random: () => 0.5,
      },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(waits).toEqual([5, 10, 20]);

    let denied = 0;
    await expect(
      withRetries(
        async () => {
          denied++;
          throw sdkError('AccessDenied', 403);
        },
        { attempts: 5, baseDelayMs: 1, maxDelayMs: 1 },
        { isRetryable: (e) => isTransient(serviceErrorInfo(e)), wait: async () => {} },
      ),
    ).rejects.toThrow();
    expect(denied).toBe(1);
  });

  it('classifies errors', () => {
    expect(isTransient(serviceErrorInfo(sdkError('Throttling', 400)))).toBe(true);
    expect(isTransient(serviceErrorInfo(sdkError('IDPCommunicationErrorException', 400)))).toBe(true);
    expect(isTransient(serviceErrorInfo(sdkError('Whatever', 503)))).toBe(true);
    expect(isTransient(serviceErrorInfo(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })))).toBe(true);
    for (const name of [
      'AccessDenied',
      'IDPRejectedClaimException',
      'ExpiredTokenException',
      'InvalidIdentityTokenException',
    ]) {
      expect(isTransient(serviceErrorInfo(sdkError(name, 400)))).toBe(false);
    }
  });
});

describe('STS error translation', () => {
  const context = {
    action: 'AssumeRoleWithWebIdentity' as const,
    roleArn: 'arn:aws:iam::123456789012:role/ci',
    tokenClaims: {
      iss: 'https://token.actions.githubusercontent.com',
      aud: 'sts.amazonaws.com',
      sub: 'repo:o/r:ref:refs/heads/main',
      exp: 1_900_000_000,
    },
    endpoint: 'https://sts.us-east-1.amazonaws.com',
  };

  it.each([
    ['AccessDenied', 403, 'STS_ACCESS_DENIED', 'refused'],
    ['InvalidIdentityTokenException', 400, 'STS_INVALID_TOKEN', 'refused'],
    ['ExpiredTokenException', 400, 'TOKEN_EXPIRED', 'refused'],
    ['ExpiredToken', 400, 'TOKEN_EXPIRED', 'refused'],
    ['IDPRejectedClaimException', 403, 'STS_IDP_REJECTED_CLAIM', 'refused'],
    ['RegionDisabledException', 403, 'STS_REGION_DISABLED', 'refused'],
    ['IDPCommunicationErrorException', 400, 'STS_UNAVAILABLE', 'unreachable'],
    ['Throttling', 400, 'STS_THROTTLED', 'unreachable'],
    ['InternalFailure', 500, 'STS_UNAVAILABLE', 'unreachable'],
    ['ValidationError', 400, 'STS_VALIDATION', 'usage'],
  ])('%s -> %s (%s)', (name, status, code, kind) => {
    const error = translateStsError(sdkError(name, status), context);
    expect(error.code).toBe(code);
    expect(error.kind).toBe(kind);
  });

  it('shows the role and the token claims on a refusal, with a trust-policy hint', () => {
    const error = translateStsError(
      sdkError('AccessDenied', 403, 'Not authorized to perform sts:AssumeRoleWithWebIdentity'),
      context,
    );
    expect(error.message).toContain('arn:aws:iam::123456789012:role/ci');
    expect(error.message).toContain('aud=sts.amazonaws.com');
    expect(error.message).toContain('sub=repo:o/r:ref:refs/heads/main');
    expect(error.message).toContain('iss=https://token.actions.githubusercontent.com');
    expect(error.hint).toMatch(/trust policy/);
  });

  it('recognises a duration above the role maximum', () => {
    const error = translateStsError(
      sdkError(
        'ValidationError',
        400,
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      ),
      context,
    );
    expect(error.code).toBe('STS_DURATION_TOO_LONG');
  });

  it('reports network failures as unreachable with the endpoint', () => {
    const error = translateStsError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      context,
    );
    expect(error.code).toBe('STS_UNREACHABLE');
    expect(error.kind).toBe('unreachable');
    expect(error.message).toContain('https://sts.us-east-1.amazonaws.com');
  });
});

describe('the refresh window', () => {
  const profile = (values: Record<string, string>) => ({ name: 'p', file: 'f', section: 'profile p', values });
  it('is 15 minutes, capped at half of the session length the cache recorded, else of fedlogin_duration', async () => {
    const { refreshWindowMs, isFresh } = await import('../../src/config/cachePolicy.js');
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    expect(refreshWindowMs(profile({}))).toBe(15 * 60_000);
    expect(refreshWindowMs(profile({ fedlogin_duration: '900' }))).toBe(450_000);
    const short = { expiration: new Date(t0 + 90_000), obtainedAt: new Date(t0) };
    expect(refreshWindowMs(profile({}), short)).toBe(45_000);
    // a 90 s Cognito session is served from the cache for its first 45 s, not refreshed on every call
    expect(isFresh({ accessKeyId: 'a', secretAccessKey: 's', ...short }, profile({}), t0 + 10_000)).toBe(true);
    expect(isFresh({ accessKeyId: 'a', secretAccessKey: 's', ...short }, profile({}), t0 + 50_000)).toBe(false);
  });
});
