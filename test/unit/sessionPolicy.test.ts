import { describe, expect, it } from 'vitest';
import {
  describeSessionPolicy,
  parsePolicyArns,
  parsePolicyDocument,
  sessionPolicyParams,
} from '../../src/aws/sessionPolicy.js';
import { placeSessionPolicy } from '../../src/flows/roleChain.js';

const arn = (i: number) => `arn:aws:iam::123456789012:policy/p${i}`;

describe('session policy checks (STS limits, before any call)', () => {
  it('accepts customer and AWS managed policy ARNs in every partition, refuses other ARNs', () => {
    expect(
      parsePolicyArns(['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws-cn:iam::123456789012:policy/a/b'], 'x'),
    ).toHaveLength(2);
    expect(() => parsePolicyArns(['arn:aws:iam::123456789012:role/dev'], '--policy-arn')).toThrow(
      /--policy-arn: "arn:aws:iam::123456789012:role\/dev" is not an IAM policy ARN/,
    );
    expect(() => parsePolicyArns(['arn:aws:iam::12345:policy/x'], 'k')).toThrow(/not an IAM policy ARN/);
  });

  it('at most 10 ARNs', () => {
    expect(
      parsePolicyArns(
        Array.from({ length: 10 }, (_, i) => arn(i)),
        'k',
      ),
    ).toHaveLength(10);
    expect(() =>
      parsePolicyArns(
        Array.from({ length: 11 }, (_, i) => arn(i)),
        'k',
      ),
    ).toThrow(/at most 10/);
  });

  it('a policy document: JSON with a Statement, sent compact, at most 2048 characters compact', () => {
    expect(parsePolicyDocument('{\n  "Statement": [ ]\n}', 'f')).toBe('{"Statement":[]}');
    expect(() => parsePolicyDocument('{"Statement": [', 'f')).toThrow(/f is not valid JSON/);
    expect(() => parsePolicyDocument('["Statement"]', 'f')).toThrow(/not a policy document/);
    const exactly = `{"Statement":"${'x'.repeat(2048 - 16)}"}`;
    expect(parsePolicyDocument(exactly, 'f')).toHaveLength(2048);
    expect(() => parsePolicyDocument(`{"Statement":"${'x'.repeat(2048 - 15)}"}`, 'f')).toThrow(
      /2049 characters without whitespace/,
    );
  });

  it('maps to the SDK parameters, leaving out what is absent', () => {
    expect(sessionPolicyParams(undefined)).toEqual({});
    expect(sessionPolicyParams({ policyArns: [] })).toEqual({});
    expect(sessionPolicyParams({ policyArns: [arn(1)], policy: '{}' })).toEqual({
      PolicyArns: [{ arn: arn(1) }],
      Policy: '{}',
    });
    expect(describeSessionPolicy({ policyArns: [arn(1), arn(2)], policy: '{"a":1}' })).toBe(
      '2 managed policies and an inline policy of 7 characters',
    );
  });

  it('goes on the flow call without a chain, on the last hop with one', () => {
    const policy = { policyArns: [arn(1)] };
    expect(placeSessionPolicy([], {}, policy)).toEqual({ firstCall: policy, hops: [] });
    const placed = placeSessionPolicy(
      [{ roleArn: 'a' }, { roleArn: 'b', externalId: 'x-1' }],
      { durationSeconds: 900 },
      policy,
    );
    expect(placed.firstCall).toBeUndefined();
    expect(placed.hops.map((h) => h.sessionPolicy)).toEqual([undefined, policy]);
    expect(placed.hops.every((h) => h.durationSeconds === 900)).toBe(true);
    expect(placed.hops.map((h) => h.externalId)).toEqual([undefined, 'x-1']);
  });
});
