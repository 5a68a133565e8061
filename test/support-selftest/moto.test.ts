import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { expect, it } from 'vitest';
import { startMoto } from '../support/aws/moto.js';
import { getCallerIdentity, stsClient } from '../support/aws/sdkCall.js';
import { describeWith } from '../support/harness/component.js';
import { startTokenIssuer } from '../support/idp/tokenIssuer.js';

describeWith(['moto_server'], 'startMoto', () => {
  it('starts, answers AssumeRoleWithWebIdentity and GetCallerIdentity through the SDK, and stops', async () => {
    const [moto, issuer] = await Promise.all([startMoto(), startTokenIssuer()]);
    try {
      expect(moto.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = stsClient(moto.url);
      const out = await client
        .send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: 'arn:aws:iam::123456789012:role/moto-role',
            RoleSessionName: 'moto-session',
            WebIdentityToken: await issuer.sign({ aud: 'sts.amazonaws.com', sub: 'x' }),
          }),
        )
        .finally(() => client.destroy());
      const c = out.Credentials!;
      expect(c.AccessKeyId).toMatch(/^ASIA/);
      const me = await getCallerIdentity(
        { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
        moto.url,
      );
      expect(me.Arn).toContain('moto-session');
      await moto.reset();
    } finally {
      await Promise.all([moto.close(), issuer.close()]);
    }
    // stopped: nothing answers any more
    await expect(fetch(moto.url, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });
});
