import { describe, expect, it } from 'vitest';
import { parseExternalId } from '../../src/aws/externalId.js';
import { profileCacheKey } from '../../src/config/profileCacheKey.js';
import { ProfileValues } from '../../src/config/profileValues.js';
import { parseChainExternalIds, resolveChainHops } from '../../src/flows/roleChain.js';

const APP = 'arn:aws:iam::210987654321:role/app';
const DEPLOY = 'arn:aws:iam::333333333333:role/deploy';
const values = (values: Record<string, string>) =>
  new ProfileValues({ name: 'ci', file: '/h/.aws/config', section: 'profile ci', values });

describe('external IDs', () => {
  it('accepts what STS accepts: 2 to 1224 characters of letters, digits and _+=,.@:/-', () => {
    for (const id of ['ab', 'partner-4711', 'a_b+c=d,e.f@g:h/i-j', 'x'.repeat(1224)]) {
      expect(parseExternalId(id, 'external_id')).toBe(id);
    }
  });

  it('refuses the rest, saying what is wrong without echoing the ID', () => {
    expect(() => parseExternalId('a', 'external_id')).toThrow(
      /external_id is 1 character long: an external ID is 2 to 1224/,
    );
    expect(() => parseExternalId('x'.repeat(1225), 'external_id')).toThrow(/is 1225 characters long/);
    expect(() => parseExternalId('secret id', 'external_id')).toThrow(/contains " ", which STS does not allow/);
    expect(() => parseExternalId('id#1', 'external_id')).toThrow(/contains "#"/);
    try {
      parseExternalId('s3cret!', 'external_id');
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cret');
      expect((error as { code: string }).code).toBe('EXTERNAL_ID_INVALID');
    }
  });

  it('fedlogin_chain_external_id gives one ID per hop, in order, - for a hop without one', () => {
    expect(parseChainExternalIds('partner-4711, -', 2)).toEqual(['partner-4711', undefined]);
    expect(parseChainExternalIds('- deploy-0815', 2)).toEqual([undefined, 'deploy-0815']);
    expect(() => parseChainExternalIds('partner-4711', 2)).toThrow(
      /1 external ID for 2 fedlogin_chain_role_arn hops: give one per hop, in order, with - for a hop without one/,
    );
    expect(() => parseChainExternalIds('a b', 1)).toThrow(/2 external IDs for 1 fedlogin_chain_role_arn hop:/);
    expect(() => parseChainExternalIds('ok-id x', 2)).toThrow(/the external ID of hop 2 is 1 character long/);
  });

  it('resolveChainHops pairs the profile hops with their IDs; the flag hops take none', () => {
    const profile = values({
      fedlogin_chain_role_arn: `${APP}, ${DEPLOY}`,
      fedlogin_chain_external_id: 'partner-4711 -',
    });
    expect(resolveChainHops(undefined, profile)).toEqual([
      { roleArn: APP, externalId: 'partner-4711' },
      { roleArn: DEPLOY, externalId: undefined },
    ]);
    expect(resolveChainHops([DEPLOY], profile)).toEqual([{ roleArn: DEPLOY, externalId: undefined }]);
    expect(resolveChainHops(undefined, values({ fedlogin_chain_role_arn: APP }))).toEqual([
      { roleArn: APP, externalId: undefined },
    ]);
    // the error names the file, section and key
    expect(() =>
      resolveChainHops(undefined, values({ fedlogin_chain_role_arn: APP, fedlogin_chain_external_id: 'a b' })),
    ).toThrow(/\/h\/\.aws\/config \[profile ci\].*fedlogin_chain_external_id.*2 external IDs for 1/);
    expect(() => resolveChainHops(undefined, values({ fedlogin_chain_external_id: 'ab' }))).toThrow(
      /1 external ID for 0 fedlogin_chain_role_arn hops/,
    );
  });
});

describe('the cache key of a profile with hops', () => {
  it('changes with the external IDs of its hops', () => {
    const key = (ids: string) =>
      profileCacheKey(values({ fedlogin_chain_role_arn: APP, fedlogin_chain_external_id: ids }).profile, {});
    expect(key('partner-4711')).not.toBe(key('partner-4712'));
    expect(key('partner-4711')).toBe(key('partner-4711'));
    expect(profileCacheKey(values({ role_arn: APP, source_profile: 'ci', external_id: 'a1' }).profile, {})).not.toBe(
      profileCacheKey(values({ role_arn: APP, source_profile: 'ci', external_id: 'a2' }).profile, {}),
    );
  });
});
