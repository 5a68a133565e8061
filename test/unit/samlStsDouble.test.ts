import { AssumeRoleWithSAMLCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stsClient } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { type SamlIdp, startSamlIdp } from '../support/idp/samlIdp.js';

/** The STS double's AssumeRoleWithSAML refuses what AWS refuses, so e2e tests can trust it. */

const PROVIDER = 'arn:aws:iam::123456789012:saml-provider/test-idp';
const DEV = 'arn:aws:iam::123456789012:role/dev';
const OPS = 'arn:aws:iam::123456789012:role/ops';

let idp: SamlIdp;
let sts: StsEndpoint;
beforeAll(async () => {
  idp = await startSamlIdp({ roles: [`${DEV},${PROVIDER}`] });
  sts = await startStsEndpoint({ roles: { [DEV]: {}, [OPS]: {} } });
  addSamlToSts(sts, { providers: { [PROVIDER]: { certPem: idp.certPem } } });
});
afterAll(async () => {
  await idp?.close();
  await sts?.close();
});

async function call(assertion: string, roleArn = DEV, principalArn = PROVIDER) {
  const client = stsClient(sts.url);
  try {
    const out = await client.send(
      new AssumeRoleWithSAMLCommand({ RoleArn: roleArn, PrincipalArn: principalArn, SAMLAssertion: assertion }),
    );
    return { ok: true as const, arn: out.AssumedRoleUser?.Arn };
  } catch (error) {
    return {
      ok: false as const,
      name: (error as Error).name,
      message: (error as Error).message,
      denied: sts.requests.at(-1)?.notes.denied,
    };
  }
}

describe('AssumeRoleWithSAML in the STS double', () => {
  it('accepts a good assertion and issues role-session credentials', async () => {
    expect(await call(await idp.signedResponse('alice'))).toEqual({
      ok: true,
      arn: 'arn:aws:sts::123456789012:assumed-role/dev/alice',
    });
  });

  it('refuses a tampered assertion (the signature no longer matches)', async () => {
    const xml = Buffer.from(await idp.signedResponse('alice'), 'base64')
      .toString('utf8')
      .replace('role/dev,', 'role/ops,');
    expect(await call(Buffer.from(xml).toString('base64'), OPS)).toMatchObject({
      ok: false,
      name: 'InvalidIdentityTokenException',
      message: expect.stringMatching(/signature/),
    });
  });

  it('refuses unsigned, foreign-signed, expired and misdirected assertions', async () => {
    expect(await call(await idp.signedResponse('alice', { signWith: 'none' }))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not signed/),
    });
    expect(await call(await idp.signedResponse('alice', { signWith: 'other' }))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not valid/),
    });
    expect(await call(await idp.signedResponse('alice', { notOnOrAfter: new Date(Date.now() - 1000) }))).toMatchObject({
      ok: false,
      name: 'ExpiredTokenException',
    });
    expect(await call(await idp.signedResponse('alice', { recipient: 'https://sp.example/acs' }))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Recipient/),
    });
  });

  it('refuses a role the assertion does not pair with the provider, saying why', async () => {
    expect(await call(await idp.signedResponse('alice'), OPS)).toMatchObject({
      ok: false,
      name: 'AccessDenied',
      denied: expect.stringMatching(/does not pair .*role\/ops/),
    });
    expect(
      await call(await idp.signedResponse('alice'), DEV, 'arn:aws:iam::123456789012:saml-provider/other'),
    ).toMatchObject({ ok: false, name: 'InvalidIdentityTokenException' });
  });
});
