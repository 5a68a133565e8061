import { describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/core/credentials.js';
import { credentialEnvVariables } from '../../src/output/envVariables.js';

const creds: Credentials = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'secret/key+1',
  sessionToken: 'token==',
  expiration: new Date('2026-01-01T12:00:00.250Z'),
};

describe('credentialEnvVariables', () => {
  it('lists the SDK variables in order, expiration as RFC 3339 UTC', () => {
    expect(credentialEnvVariables(creds)).toEqual([
      ['AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE'],
      ['AWS_SECRET_ACCESS_KEY', 'secret/key+1'],
      ['AWS_SESSION_TOKEN', 'token=='],
      ['AWS_CREDENTIAL_EXPIRATION', '2026-01-01T12:00:00Z'],
    ]);
  });

  it('adds the account, both region variables and the profile marker when known', () => {
    expect(
      credentialEnvVariables({ ...creds, accountId: '123456789012' }, { region: 'eu-west-1', profile: 'dev' }),
    ).toEqual([
      ['AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE'],
      ['AWS_SECRET_ACCESS_KEY', 'secret/key+1'],
      ['AWS_SESSION_TOKEN', 'token=='],
      ['AWS_CREDENTIAL_EXPIRATION', '2026-01-01T12:00:00Z'],
      ['AWS_ACCOUNT_ID', '123456789012'],
      ['AWS_REGION', 'eu-west-1'],
      ['AWS_DEFAULT_REGION', 'eu-west-1'],
      ['FEDLOGIN_PROFILE', 'dev'],
    ]);
  });

  it('leaves out a missing session token and empty options, and never sets AWS_PROFILE', () => {
    const names = credentialEnvVariables({ ...creds, sessionToken: undefined }, { region: '', profile: 'dev' }).map(
      ([n]) => n,
    );
    expect(names).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_CREDENTIAL_EXPIRATION',
      'FEDLOGIN_PROFILE',
    ]);
    expect(names).not.toContain('AWS_PROFILE');
  });
});
