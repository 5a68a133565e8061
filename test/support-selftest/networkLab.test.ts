import { expect, it } from 'vitest';
import { motoForSuite } from '../support/aws/moto.js';
import { componentPath, describeWith } from '../support/harness/component.js';
import { runProcess } from '../support/harness/runProcess.js';
import { NETWORK_LAB_COMPONENTS, networkLabForSuite, PROXY_USER, STS_HOST } from '../support/network/lab.js';

/**
 * The lab proven with a client that is not fedlogin: pyenv's aws (v1, botocore) honours
 * HTTPS_PROXY and AWS_CA_BUNDLE, so these runs show the lab works before fedlogin is blamed.
 * No AWS_ENDPOINT_URL*: the CLI builds https://sts.us-east-1.amazonaws.com itself.
 */
describeWith(
  [...NETWORK_LAB_COMPONENTS, 'aws-cli-v1', 'moto_server'],
  'the network lab (squid + TLS front + private CA)',
  () => {
    const lab = networkLabForSuite();
    const moto = motoForSuite();

    const awsEnv = (extra: Record<string, string>) => ({
      PATH: process.env.PATH ?? '',
      HOME: lab.dir,
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLELABPROXY1',
      AWS_SECRET_ACCESS_KEY: 'lab-secret-EXAMPLE',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_STS_REGIONAL_ENDPOINTS: 'regional',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...extra,
    });
    const callerIdentity = (extra: Record<string, string>) =>
      runProcess(componentPath('aws-cli-v1'), ['sts', 'get-caller-identity', '--output', 'json'], {
        env: awsEnv(extra),
        timeoutMs: 60_000,
      });

    it('carries aws v1 to the stand-in through squid, trusting the private CA', async () => {
      lab.route(STS_HOST, moto.url);
      const result = await callerIdentity(lab.env());
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ Account: expect.any(String) });
      const connects = await lab.connects(STS_HOST);
      expect(connects.length).toBeGreaterThan(0);
      expect(connects.at(-1)).toMatchObject({ result: 'TCP_TUNNEL', status: 200, peer: lab.front.address });
      expect(lab.front.requestsFor(STS_HOST).at(-1)).toMatchObject({ method: 'POST', status: 200 });
    });

    it('without the proxy the name does not resolve, and without the CA the certificate is refused', async () => {
      const direct = await callerIdentity({ AWS_MAX_ATTEMPTS: '1', AWS_CA_BUNDLE: lab.caFile });
      expect(direct.code).not.toBe(0);
      expect(direct.stderr).toMatch(/Could not connect|Name or service|resolve/i);
      const untrusted = await callerIdentity({ ...lab.env({ ca: false }), AWS_MAX_ATTEMPTS: '1' });
      expect(untrusted.code).not.toBe(0);
      expect(untrusted.stderr).toMatch(/SSL|certificate/i);
    });

    it('asks for Basic authentication on the auth port: the right password passes, a wrong one gets 407', async () => {
      lab.route(STS_HOST, moto.url);
      const ok = await callerIdentity(lab.env({ proxyUrl: lab.authProxyUrl() }));
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect((await lab.connects(STS_HOST)).at(-1)).toMatchObject({ status: 200, user: PROXY_USER });

      const wrong = await callerIdentity({
        ...lab.env({ proxyUrl: lab.authProxyUrl('not-the-password') }),
        AWS_MAX_ATTEMPTS: '1',
      });
      expect(wrong.code).not.toBe(0);
      expect((await lab.connects(STS_HOST)).at(-1)).toMatchObject({ result: 'TCP_DENIED', status: 407 });
    });
  },
);
