import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PACKED_ARN_WEIGHT, PACKED_LIMIT, type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { flowSettings, profileSection, writeAwsConfig } from '../support/harness/builders.js';
import { type SamlIdp, startSamlIdp } from '../support/idp/samlIdp.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

const PROVIDER = 'arn:aws:iam::123456789012:saml-provider/test-idp';
const DEV = 'arn:aws:iam::123456789012:role/dev';
const CI = 'arn:aws:iam::123456789012:role/ci';
const DEPLOY = 'arn:aws:iam::210987654321:role/deploy';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const OWN_POLICY = 'arn:aws:iam::123456789012:policy/team/logs-read';
const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::bucket/*' }],
};

let idp: SamlIdp;
let issuer: TokenIssuer;
let sts: StsEndpoint;
let home: TempHome;

beforeAll(async () => {
  idp = await startSamlIdp({ roles: [`${DEV},${PROVIDER}`] });
  issuer = await startTokenIssuer();
  sts = await startStsEndpoint({
    roles: {
      [DEV]: {},
      [CI]: { trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'] } },
      [DEPLOY]: {},
    },
  });
  addSamlToSts(sts, { providers: { [PROVIDER]: { certPem: idp.certPem } } });
});
afterAll(async () => {
  await Promise.all([idp?.close(), issuer?.close(), sts?.close()]);
});
beforeEach(async () => {
  home = await makeTempHome();
  sts.reset();
});
afterEach(async () => home.cleanup());

const cli = (args: string[]) =>
  runCli(args, { env: { ...home.env, AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: 'us-east-1' } });

async function file(name: string, text: string): Promise<string> {
  const path = join(home.home, name);
  await writeFile(path, text, { mode: 0o600 });
  return path;
}
const assertionFile = async () => file('response.b64', await idp.signedResponse('alice'));
const tokenFile = async () =>
  file('token', await issuer.sign({ sub: 'repo:octo/app:ref:refs/heads/main', aud: 'sts.amazonaws.com' }));
/** a pretty-printed policy document: fedlogin sends it compact */
const policyFile = (doc: unknown = POLICY) => file('policy.json', JSON.stringify(doc, null, 2));

describe('session policies reach STS', () => {
  it('AssumeRoleWithSAML (--assertion-file): managed ARNs and the inline policy, compact', async () => {
    const result = await cli([
      'saml',
      '--assertion-file',
      await assertionFile(),
      '--policy-arn',
      READ_ONLY,
      '--policy-arn',
      OWN_POLICY,
      '--policy-file',
      await policyFile(),
    ]);
    expect(result.stderr).toMatch(/^Assumed arn:aws:iam::123456789012:role\/dev;/);
    expect(result.code).toBe(0);
    expect(sts.issued).toHaveLength(1);
    expect(sts.issued[0]!.action).toBe('AssumeRoleWithSAML');
    expect(sts.issued[0]!.policyArns).toEqual([READ_ONLY, OWN_POLICY]);
    expect(sts.issued[0]!.policy).toBe(JSON.stringify(POLICY));
  });

  it('AssumeRoleWithWebIdentity from a profile: fedlogin_policy_arns and fedlogin_policy_file', async () => {
    await writeAwsConfig(
      home,
      profileSection('ci', {
        ...flowSettings.webIdentity({ roleArn: CI, tokenFile: await tokenFile() }),
        fedlogin_policy_arns: `${READ_ONLY}, ${OWN_POLICY}`,
        fedlogin_policy_file: await policyFile(),
      }),
    );
    const result = await cli(['credential-process', '--profile', 'ci']);
    expect(result.code).toBe(0);
    expect(sts.issued.map((c) => [c.action, c.policyArns, c.policy])).toEqual([
      ['AssumeRoleWithWebIdentity', [READ_ONLY, OWN_POLICY], JSON.stringify(POLICY)],
    ]);
  });

  it('AssumeRole: with a chain, the policy narrows the last hop only', async () => {
    const result = await cli([
      'web-identity',
      '--token-file',
      await tokenFile(),
      '--role-arn',
      CI,
      '--chain-role-arn',
      DEPLOY,
      '--policy-arn',
      READ_ONLY,
      '--policy-file',
      await policyFile(),
    ]);
    expect(result.code).toBe(0);
    expect(sts.issued.map((c) => [c.action, c.policyArns, c.policy])).toEqual([
      ['AssumeRoleWithWebIdentity', [], undefined],
      ['AssumeRole', [READ_ONLY], JSON.stringify(POLICY)],
    ]);
  });

  it('editing the policy file misses the cached credentials (part of the cache key)', async () => {
    const policy = await policyFile();
    await writeAwsConfig(
      home,
      profileSection('ci', {
        ...flowSettings.webIdentity({ roleArn: CI, tokenFile: await tokenFile() }),
        fedlogin_policy_file: policy,
      }),
    );
    expect((await cli(['credential-process', '--profile', 'ci'])).code).toBe(0);
    expect((await cli(['credential-process', '--profile', 'ci'])).code).toBe(0);
    expect(sts.count('AssumeRoleWithWebIdentity')).toBe(1);
    const narrower = { ...POLICY, Statement: [{ ...POLICY.Statement[0], Action: ['s3:ListBucket'] }] };
    await writeFile(policy, JSON.stringify(narrower));
    expect((await cli(['credential-process', '--profile', 'ci'])).code).toBe(0);
    expect(sts.count('AssumeRoleWithWebIdentity')).toBe(2);
    expect(sts.issued.at(-1)!.policy).toBe(JSON.stringify(narrower));
  });
});

describe('session policies are checked before any call', () => {
  it('a malformed ARN: exit 2, no STS call', async () => {
    const result = await cli(['saml', '--assertion-file', await assertionFile(), '--policy-arn', 'ReadOnlyAccess']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--policy-arn: "ReadOnlyAccess" is not an IAM policy ARN/);
    expect(sts.requests).toHaveLength(0);
  });

  it('more than 10 ARNs: exit 2, no STS call', async () => {
    const arns = Array.from({ length: 11 }, (_, i) => ['--policy-arn', `arn:aws:iam::123456789012:policy/p${i}`]);
    const result = await cli(['saml', '--assertion-file', await assertionFile(), ...arns.flat()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/11 managed policies given; STS accepts at most 10/);
    expect(sts.requests).toHaveLength(0);
  });

  it('a file that is not JSON, and one that is too long once compact: exit 2, no STS call', async () => {
    const notJson = await cli([
      'saml',
      '--assertion-file',
      await assertionFile(),
      '--policy-file',
      await file('p', '{'),
    ]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/is not valid JSON/);
    const long = {
      Version: '2012-10-17',
      Statement: Array.from({ length: 40 }, (_, i) => ({ Effect: 'Allow', Action: `s3:Get${i}`, Resource: '*' })),
    };
    const tooLong = await cli([
      'saml',
      '--assertion-file',
      await assertionFile(),
      '--policy-file',
      await policyFile(long),
    ]);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toMatch(/characters without whitespace; STS accepts session policies of at most 2048/);
    const missing = await cli([
      'saml',
      '--assertion-file',
      await assertionFile(),
      '--policy-file',
      join(home.home, 'none'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read the session policy .*ENOENT/);
    expect(sts.requests).toHaveLength(0);
  });

  it("STS's PackedPolicyTooLarge (a policy within 2048 characters plus 10 ARNs) is reported clearly", async () => {
    const arns = Array.from({ length: 10 }, (_, i) => ['--policy-arn', `arn:aws:iam::123456789012:policy/p${i}`]);
    // compact length above what the ARNs leave of the packed space, below the plain-text limit
    const room = PACKED_LIMIT - 10 * PACKED_ARN_WEIGHT;
    const big = { Version: '2012-10-17', Statement: [] as { Effect: string; Action: string; Resource: string }[] };
    for (let i = 0; JSON.stringify(big).length <= room; i++)
      big.Statement.push({ Effect: 'Allow', Action: `s3:G${i}`, Resource: '*' });
    expect(JSON.stringify(big).length).toBeGreaterThan(room);
    expect(JSON.stringify(big).length).toBeLessThanOrEqual(2048);
    const result = await cli([
      'saml',
      '--assertion-file',
      await assertionFile(),
      ...arns.flat(),
      '--policy-file',
      await policyFile(big),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /session policies for .*dev are too large once packed: Packed policy consumes \d+% of allotted space/,
    );
    expect(result.stderr).toMatch(/drop some --policy-arn, or shorten the policy file/);
    expect(sts.issued).toHaveLength(0);
  });
});
