import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { makeTempHome, runCli, type TempHome } from '../support/cli/runCli.js';
import { type SamlIdp, startSamlIdp } from '../support/idp/samlIdp.js';

/**
 * A corpus of broken or refused SAML responses, each through `fedlogin saml --assertion-file` and
 * `fedlogin saml decode`: a clear one-line error, exit 2 or 3, nothing on stdout, nothing written,
 * STS never asked, no stack trace.
 */

const PROVIDER = 'arn:aws:iam::123456789012:saml-provider/test-idp';
const DEV = 'arn:aws:iam::123456789012:role/dev';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const RESPONSE_OPEN =
  '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_1" Version="2.0">';

let idp: SamlIdp;
let sts: StsEndpoint;
let home: TempHome;
const corpus: [name: string, content: string, exit: 2 | 3, message: RegExp][] = [];

beforeAll(async () => {
  idp = await startSamlIdp({ roles: [`${DEV},${PROVIDER}`] });
  sts = await startStsEndpoint({ roles: { [DEV]: {} } });
  addSamlToSts(sts, { providers: { [PROVIDER]: { certPem: idp.certPem } } });
  home = await makeTempHome();
  const signed = (o: Parameters<SamlIdp['signedResponse']>[1]) => idp.signedResponse('alice', o);
  const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>${RESPONSE_OPEN}&lol3;</samlp:Response>`;
  corpus.push(
    ['not base64', 'this is *not* base64 at all!', 2, /is not base64/],
    ['empty', '', 2, /is empty/],
    ['base64 of plain text', b64('hello, this is not XML at all'), 2, /not of XML/],
    ['raw XML instead of base64', `${RESPONSE_OPEN}</samlp:Response>`, 2, /is XML, not base64/],
    ['broken XML', b64(`${RESPONSE_OPEN}<saml:Assertion><unclosed></samlp:Response>`), 2, /not well-formed XML/],
    ['a DTD', b64(`<?xml version="1.0"?><!DOCTYPE r [<!ELEMENT r ANY>]>${RESPONSE_OPEN}</samlp:Response>`), 2, /DTD/],
    ['an entity bomb', b64(laughs), 2, /DTD/],
    [
      'an external entity (XXE)',
      b64(`<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${RESPONSE_OPEN}&x;</samlp:Response>`),
      2,
      /DTD/,
    ],
    ['200 KB', 'A'.repeat(200_000), 2, /200000 characters; STS accepts at most 100000/],
    [
      'XML that is not SAML',
      b64('<html><body>Sign in</body></html>'),
      2,
      /not a SAML 2\.0 Response \(root element <html>\)/,
    ],
    [
      'an encrypted assertion',
      b64(`${RESPONSE_OPEN}<saml:EncryptedAssertion/></samlp:Response>`),
      2,
      /encrypted assertion/,
    ],
    ['two assertions', b64(`${RESPONSE_OPEN}<saml:Assertion/><saml:Assertion/></samlp:Response>`), 2, /2 assertions/],
    [
      'no Role attribute',
      await signed({ roleAttribute: false }),
      3,
      /no https:\/\/aws\.amazon\.com\/SAML\/Attributes\/Role attribute/,
    ],
    ['a role without provider', await signed({ roles: [DEV] }), 2, /no usable role: .*no provider ARN/],
    [
      'a malformed role ARN',
      await signed({ roles: [`arn:aws:iam::123:role/dev,${PROVIDER}`] }),
      2,
      /is not an IAM role ARN/,
    ],
    [
      'role and provider in different accounts',
      await signed({ roles: [`arn:aws:iam::999999999999:role/dev,${PROVIDER}`] }),
      2,
      /not in the same account/,
    ],
    ['an expired NotOnOrAfter', await signed({ notOnOrAfter: new Date(Date.now() - 3_600_000) }), 3, /expired at/],
    [
      'a failed StatusCode',
      await signed({
        statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
        statusMessage: 'User is not assigned to this application',
      }),
      3,
      /status Responder: "User is not assigned to this application"/,
    ],
    [
      'a wrong Recipient',
      await signed({ recipient: 'https://sp.example.com/saml/acs' }),
      2,
      /is for https:\/\/sp\.example\.com\/saml\/acs, not an AWS sign-in endpoint/,
    ],
    ['a SessionDuration out of range', await signed({ sessionDuration: 60 }), 2, /SessionDuration "60"/],
  );
});
afterAll(async () => {
  await idp?.close();
  await sts?.close();
  await home?.cleanup();
});

function expectCleanFailure(result: Awaited<ReturnType<typeof runCli>>, exit: number, message: RegExp) {
  expect(result.stderr).toMatch(message);
  expect(result.code).toBe(exit);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^fedlogin: /);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
}

describe('malformed and refused SAML responses', () => {
  it('the corpus has at least 15 cases', () => expect(corpus.length).toBeGreaterThanOrEqual(15));

  it('each fails cleanly through saml --assertion-file and saml decode', async () => {
    const env = { ...home.env, AWS_ENDPOINT_URL_STS: sts.url };
    for (const [i, [name, content, exit, message]] of corpus.entries()) {
      const file = join(home.home, `case-${i}.b64`);
      await writeFile(file, content);
      const login = await runCli(['saml', '--assertion-file', file, '--output', 'credentials-file', '--profile', 'x'], {
        env,
      });
      const decode = await runCli(['saml', 'decode', file], { env });
      for (const [command, result] of [
        ['saml --assertion-file', login],
        ['saml decode', decode],
      ] as const) {
        try {
          expectCleanFailure(result, exit, message);
        } catch (error) {
          throw new Error(`${name} through ${command}: ${(error as Error).message}\nstderr: ${result.stderr}`);
        }
      }
    }
    expect(sts.count('AssumeRoleWithSAML')).toBe(0);
    expect(existsSync(home.awsCredentialsFile)).toBe(false);
  }, 180_000);

  it('decode --no-check still shows an expired assertion, marked expired', async () => {
    const file = join(home.home, 'expired.b64');
    await writeFile(file, await idp.signedResponse('alice', { notOnOrAfter: new Date(Date.now() - 3_600_000) }));
    const result = await runCli(['saml', 'decode', '--no-check', '--json', file], { env: home.env });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ expired: true, roles: [{ roleArn: DEV }] });
  });
});
