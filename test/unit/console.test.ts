import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSigninUrl } from '../../src/aws/consoleFederation.js';
import {
  consoleDestination,
  consoleLoginUrl,
  defaultConsoleDestination,
  federationBaseUrl,
  signinTokenUrl,
} from '../../src/aws/consoleUrls.js';
import { partitionByName, partitionOfRegion } from '../../src/aws/partition.js';
import type { Credentials } from '../../src/core/credentials.js';
import { FedloginError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { type FederationEndpoint, startFederationEndpoint } from '../support/aws/federationEndpoint.js';
import { startLoopbackServer } from '../support/harness/loopbackServer.js';

const creds: Credentials = {
  accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
  secretAccessKey: 'secret/key+with=odd&chars',
  sessionToken: 'token+with/slash=and&amp',
  expiration: new Date('2030-01-01T00:00:00Z'),
};
const partition = (name: string) => partitionByName(name)!;

describe('console sign-in URLs per partition', () => {
  it.each([
    [
      'aws',
      'us-east-1',
      'https://signin.aws.amazon.com/federation',
      'https://console.aws.amazon.com/console/home?region=us-east-1',
    ],
    [
      'aws-cn',
      'cn-north-1',
      'https://signin.amazonaws.cn/federation',
      'https://console.amazonaws.cn/console/home?region=cn-north-1',
    ],
    [
      'aws-us-gov',
      'us-gov-west-1',
      'https://signin.amazonaws-us-gov.com/federation',
      'https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1',
    ],
  ])('%s uses its own sign-in and console hosts', (name, region, federation, destination) => {
    expect(federationBaseUrl(partition(name))).toBe(federation);
    expect(defaultConsoleDestination(partition(name), region)).toBe(destination);
    expect(federationBaseUrl(partitionOfRegion(region))).toBe(federation);
  });

  it('resolves a destination path against the partition console host, and keeps full URLs', () => {
    expect(consoleDestination(partition('aws-cn'), '/s3/home?region=cn-north-1')).toBe(
      'https://console.amazonaws.cn/s3/home?region=cn-north-1',
    );
    expect(consoleDestination(partition('aws'), 'https://eu-west-1.console.aws.amazon.com/ec2/home')).toBe(
      'https://eu-west-1.console.aws.amazon.com/ec2/home',
    );
    expect(consoleDestination(partition('aws'), undefined, 'eu-west-1')).toBe(
      'https://console.aws.amazon.com/console/home?region=eu-west-1',
    );
    for (const bad of ['javascript:alert(1)', 'not a url', 'file:///etc/passwd']) {
      expect(() => consoleDestination(partition('aws'), bad)).toThrow(FedloginError);
    }
  });

  it('lets FEDLOGIN_SIGNIN_ENDPOINT override the federation URL, and refuses junk', () => {
    expect(federationBaseUrl(partition('aws'), 'http://127.0.0.1:8080/federation?x=1')).toBe(
      'http://127.0.0.1:8080/federation',
    );
    expect(() => federationBaseUrl(partition('aws'), 'ftp://x/federation')).toThrow(/FEDLOGIN_SIGNIN_ENDPOINT/);
    expect(() => federationBaseUrl(partition('aws'), 'nope')).toThrow(/FEDLOGIN_SIGNIN_ENDPOINT/);
  });

  it('encodes the Session JSON and the duration in the getSigninToken URL', () => {
    const url = new URL(signinTokenUrl('https://signin.aws.amazon.com/federation', creds, 3600));
    expect(url.searchParams.get('Action')).toBe('getSigninToken');
    expect(url.searchParams.get('SessionDuration')).toBe('3600');
    expect(JSON.parse(url.searchParams.get('Session')!)).toEqual({
      sessionId: creds.accessKeyId,
      sessionKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
    });
    expect(url.search).not.toContain('&amp');
  });

  it('refuses credentials without a session token', () => {
    expect(() =>
      signinTokenUrl('https://signin.aws.amazon.com/federation', { ...creds, sessionToken: undefined }),
    ).toThrow(/session token/);
  });

  it('builds the login URL with issuer, destination and token', () => {
    const url = new URL(
      consoleLoginUrl(
        'https://signin.amazonaws.cn/federation',
        'tok&en',
        'https://console.amazonaws.cn/s3/home?a=1&b=2',
      ),
    );
    expect(url.origin + url.pathname).toBe('https://signin.amazonaws.cn/federation');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      Action: 'login',
      Issuer: 'fedlogin',
      Destination: 'https://console.amazonaws.cn/s3/home?a=1&b=2',
      SigninToken: 'tok&en',
    });
  });
});

describe('consoleSigninUrl against the federation stand-in', () => {
  let federation: FederationEndpoint;
  const lines: string[] = [];
  const logger = createLogger({ debug: true, write: (line) => lines.push(line) });

  beforeAll(async () => {
    federation = await startFederationEndpoint({ acceptSession: (s) => s.sessionId === creds.accessKeyId });
  });
  afterAll(async () => {
    await federation?.close();
  });

  const input = (over: Partial<Parameters<typeof consoleSigninUrl>[0]> = {}) => ({
    credentials: creds,
    federationUrl: federation.url,
    destination: 'https://console.aws.amazon.com/console/home?region=us-east-1',
    sessionDurationSeconds: 7200,
    profile: 'dev',
    ...over,
  });

  it('trades the session for a token and returns the login URL', async () => {
    const url = new URL(await consoleSigninUrl(input(), { fetch, logger }));
    const request = federation.requests.at(-1)!;
    expect(request).toMatchObject({ action: 'getSigninToken', sessionDuration: '7200', status: 200 });
    expect(request.session).toEqual({
      sessionId: creds.accessKeyId,
      sessionKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
    });
    expect(url.searchParams.get('SigninToken')).toBe(federation.signinTokens.at(-1));
    expect(lines.join('\n')).not.toContain(creds.secretAccessKey);
    expect(lines.join('\n')).not.toContain('Session=');
  });

  it('reports a refusal as exit-3 refused, without the secret', async () => {
    const error = await consoleSigninUrl(input({ credentials: { ...creds, accessKeyId: 'ASIAOTHEREXAMPLE0001' } }), {
      fetch,
      logger,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FedloginError);
    expect(error).toMatchObject({ code: 'CONSOLE_SIGNIN_REFUSED', kind: 'refused' });
    expect(String((error as Error).message)).not.toContain(creds.secretAccessKey);
  });

  it('reports an unreachable endpoint and an answer without a token as unreachable', async () => {
    const closed = await startLoopbackServer(() => undefined);
    const url = `${closed.url}/federation`;
    await closed.close();
    await expect(consoleSigninUrl(input({ federationUrl: url }), { fetch, logger })).rejects.toMatchObject({
      code: 'CONSOLE_SIGNIN_UNREACHABLE',
      kind: 'unreachable',
    });

    const odd = await startLoopbackServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"nothing":1}');
    });
    try {
      await expect(
        consoleSigninUrl(input({ federationUrl: `${odd.url}/federation` }), { fetch, logger }),
      ).rejects.toMatchObject({ code: 'CONSOLE_SIGNIN_INVALID' });
    } finally {
      await odd.close();
    }
  });
});
