import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsFault, type AwsProtocolServer, startAwsProtocolServer } from '../support/aws/awsProtocolServer.js';

/** The dispatch that Cognito Identity (JSON 1.1 via X-Amz-Target) will plug into. */
describe('startAwsProtocolServer', () => {
  let server: AwsProtocolServer;
  beforeAll(async () => {
    server = await startAwsProtocolServer({ xmlns: 'urn:test', apiVersion: '2020-01-01', secretParams: ['Logins'] });
    server.onJson('AWSCognitoIdentityService.GetId', (req) => {
      if (req.input.IdentityPoolId === 'bad') throw new AwsFault('ResourceNotFoundException', 'IdentityPool not found');
      return { IdentityId: `us-east-1:${String(req.input.IdentityPoolId)}` };
    });
    server.onQuery('Echo', (req) => ({
      Value: req.params.Value,
      List: ['a', 'b'],
      When: new Date(Date.UTC(2026, 0, 1)),
    }));
  });
  afterAll(() => server.close());

  const json = (target: string, body: unknown) =>
    fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body: JSON.stringify(body),
    });

  it('dispatches JSON targets and answers JSON 1.1', async () => {
    const res = await json('AWSCognitoIdentityService.GetId', {
      IdentityPoolId: 'p1',
      Logins: { 'issuer.example': 'secret-token' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await res.json()).toEqual({ IdentityId: 'us-east-1:p1' });
    expect(server.count('GetId')).toBe(1);
    expect(server.requests.at(-1)).toMatchObject({
      protocol: 'json',
      action: 'GetId',
      params: { Logins: '[redacted]' },
    });
  });

  it('serialises JSON errors with __type and x-amzn-ErrorType; unknown targets too', async () => {
    const res = await json('AWSCognitoIdentityService.GetId', { IdentityPoolId: 'bad' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await res.json()).toEqual({ __type: 'ResourceNotFoundException', message: 'IdentityPool not found' });
    const unknown = await json('AWSCognitoIdentityService.Nope', {});
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });

  it('injects faults per action in the JSON protocol as well', async () => {
    server.failNext(1, { code: 'TooManyRequestsException', message: 'Rate exceeded', action: 'GetId' });
    const res = await json('AWSCognitoIdentityService.GetId', { IdentityPoolId: 'p1' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ __type: 'TooManyRequestsException', message: 'Rate exceeded' });
  });

  it('serialises Query results: nested elements, member lists, timestamps without milliseconds', async () => {
    const res = await fetch(`${server.url}/?Action=Echo&Value=%3Cx%26y%3E`);
    const body = await res.text();
    expect(body).toContain('<EchoResponse xmlns="urn:test">');
    expect(body).toContain('<Value>&lt;x&amp;y&gt;</Value>');
    expect(body).toMatch(/<List>\s*<member>a<\/member>\s*<member>b<\/member>\s*<\/List>/);
    expect(body).toContain('<When>2026-01-01T00:00:00Z</When>');
    expect(body).toMatch(/<ResponseMetadata>\s*<RequestId>[0-9a-f-]{36}<\/RequestId>/);
  });
});
