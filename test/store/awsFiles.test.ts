import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/config/profileSettings.js';
import type { Credentials } from '../../src/core/credentials.js';
import type { FedloginError } from '../../src/core/errors.js';
import {
  configFilePath,
  credentialsFilePath,
  findShadowingStaticKeys,
  isFedloginManagedSection,
  readAwsFile,
  removeFedloginCredentialsProfile,
  updateAwsFile,
  writeCredentialsProfile,
} from '../../src/store/awsFiles.js';
import { getProfile, parseIniDocument } from '../../src/store/iniDocument.js';
import { itWith } from '../support/harness/component.js';
import { perms, rejection, tempDir } from './support/tempDir.js';

const creds = (n = 1): Credentials => ({
  accessKeyId: `ASIAEXAMPLE000000${n}`,
  secretAccessKey: `secret/${n}+abcdefghijklmnopqrstuvwxyz0123`,
  sessionToken: `FwoGZXIvYXdzE${n}//////////session+token=`,
  expiration: new Date(Date.UTC(2030, 0, 1, 12, 0, n)),
});

function setup() {
  const root = tempDir('awsfiles');
  const home = join(root, 'home');
  const env = { HOME: home, XDG_CACHE_HOME: join(root, 'cache') };
  return { root, home, env, credentials: join(home, '.aws', 'credentials'), config: join(home, '.aws', 'config') };
}

describe('paths', () => {
  it('honour AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, expanding ~', () => {
    const env = { HOME: '/home/u' };
    expect(configFilePath(env)).toBe('/home/u/.aws/config');
    expect(credentialsFilePath(env)).toBe('/home/u/.aws/credentials');
    expect(configFilePath({ ...env, AWS_CONFIG_FILE: '~/cfg/aws' })).toBe('/home/u/cfg/aws');
    expect(credentialsFilePath({ ...env, AWS_SHARED_CREDENTIALS_FILE: '/etc/c' })).toBe('/etc/c');
    expect(configFilePath({ ...env, AWS_CONFIG_FILE: '' })).toBe('/home/u/.aws/config');
  });
});

describe('readAwsFile', () => {
  it('reads a missing file as empty', () => {
    const { config } = setup();
    expect(readAwsFile(config).sections).toEqual([]);
  });

  it('refuses a file the AWS CLI refuses, naming the file and the line', () => {
    const { root } = setup();
    const path = join(root, 'config');
    writeFileSync(path, '[default]\nregion = x\nthis is not a setting\n');
    let error: FedloginError | undefined;
    try {
      readAwsFile(path);
    } catch (e) {
      error = e as FedloginError;
    }
    expect(error?.code).toBe('AWS_FILE_INVALID');
    expect(error?.kind).toBe('usage');
    expect(error?.message).toBe(`${path} line 3: expected "key = value", a [section] header or a comment.`);
  });

  it('says so when the path is a folder', () => {
    const { root } = setup();
    expect(() => readAwsFile(root)).toThrow(expect.objectContaining({ code: 'AWS_FILE_NOT_REGULAR' }));
  });

  it('is the reader of a profile too (credential-process): the same error for the same bad line', () => {
    const { config, env, home } = setup();
    mkdirSync(join(home, '.aws'), { recursive: true });
    writeFileSync(config, '[profile dev]\nregion = eu-west-1\nthis is not a setting\n');
    expect(() => loadProfile(env, 'dev')).toThrow(
      expect.objectContaining({
        code: 'AWS_FILE_INVALID',
        kind: 'usage',
        message: `${config} line 3: expected "key = value", a [section] header or a comment.`,
      }),
    );
    writeFileSync(config, '[profile dev]\nregion = eu-west-1\n');
    expect(loadProfile(env, 'dev')).toEqual({
      name: 'dev',
      file: config,
      section: 'profile dev',
      values: { region: 'eu-west-1' },
    });
    expect(loadProfile({ ...env, AWS_CONFIG_FILE: join(home, 'missing') }, 'dev')).toBeUndefined();
    expect(() => loadProfile({ ...env, AWS_CONFIG_FILE: home }, 'dev')).toThrow(
      expect.objectContaining({ code: 'AWS_FILE_NOT_REGULAR' }),
    );
  });
});

describe('updateAwsFile', () => {
  it('creates the file 0600 inside a new 0700 ~/.aws', async () => {
    const { config, home, env } = setup();
    expect(await updateAwsFile(config, 'config', (t) => t + '[default]\nregion = x\n', { env })).toBe(true);
    expect(readFileSync(config, 'utf8')).toBe('[default]\nregion = x\n');
    expect(perms(statSync(config).mode)).toBe(0o600);
    expect(perms(statSync(join(home, '.aws')).mode)).toBe(0o700);
  });

  it('keeps an existing file’s mode, and does not write when nothing changes', async () => {
    const { config, env } = setup();
    mkdirSync(join(config, '..'), { recursive: true });
    writeFileSync(config, '[default]\n');
    chmodSync(config, 0o644);
    const before = statSync(config);
    expect(await updateAwsFile(config, 'config', (t) => t, { env })).toBe(false);
    expect(statSync(config).ino).toBe(before.ino);
    await updateAwsFile(config, 'config', (t) => t + 'region = x\n', { env });
    expect(perms(statSync(config).mode)).toBe(0o644);
    expect(await updateAwsFile(join(config, '..', 'never'), 'config', (t) => t, { env })).toBe(false);
    expect(existsSync(join(config, '..', 'never'))).toBe(false);
  });

  it('writes nothing when the edit throws, or would make the file invalid', async () => {
    const { config, env } = setup();
    await expect(
      updateAwsFile(
        config,
        'config',
        () => {
          throw new Error('refused');
        },
        { env },
      ),
    ).rejects.toThrow('refused');
    expect(existsSync(config)).toBe(false);
    expect((await rejection(updateAwsFile(config, 'config', () => 'junk\n', { env }))).code).toBe(
      'AWS_FILE_EDIT_INVALID',
    );
    expect(existsSync(config)).toBe(false);
  });
});

describe('writeCredentialsProfile', () => {
  it('writes the four keys to a new file, readable back', async () => {
    const { credentials, env } = setup();
    await writeCredentialsProfile(credentials, 'dev', creds(), { env });
    expect(readFileSync(credentials, 'utf8')).toBe(
      [
        '[dev]',
        `aws_access_key_id = ${creds().accessKeyId}`,
        `aws_secret_access_key = ${creds().secretAccessKey}`,
        `aws_session_token = ${creds().sessionToken}`,
        'x_security_token_expires = 2030-01-01T12:00:01.000Z',
        '',
      ].join('\n'),
    );
    expect(perms(statSync(credentials).mode)).toBe(0o600);
  });

  it('refreshes its own section in place, keeping other keys, comments and other profiles', async () => {
    const { credentials, env } = setup();
    mkdirSync(join(credentials, '..'), { recursive: true });
    const other = '[static]\naws_access_key_id = AKIASTATIC\naws_secret_access_key = s\n';
    writeFileSync(credentials, `${other}\n# fedlogin writes this one\n[dev]\nregion = eu-west-1\n`);
    await writeCredentialsProfile(credentials, 'dev', creds(1), { env });
    await writeCredentialsProfile(credentials, 'dev', { ...creds(2), sessionToken: undefined }, { env });
    const text = readFileSync(credentials, 'utf8');
    expect(text.startsWith(`${other}\n# fedlogin writes this one\n[dev]\nregion = eu-west-1\n`)).toBe(true);
    const dev = { ...getProfile(parseIniDocument(text), 'credentials', 'dev') };
    expect(dev).toEqual({
      region: 'eu-west-1',
      aws_access_key_id: creds(2).accessKeyId,
      aws_secret_access_key: creds(2).secretAccessKey,
      x_security_token_expires: '2030-01-01T12:00:02.000Z',
    });
  });

  it('refuses to overwrite long-term keys, or a profile that appears twice', async () => {
    const { credentials, env } = setup();
    mkdirSync(join(credentials, '..'), { recursive: true });
    const text = '[dev]\naws_access_key_id = AKIASTATIC\naws_secret_access_key = s\n[twice]\n[twice]\n';
    writeFileSync(credentials, text);
    const staticError = await rejection(writeCredentialsProfile(credentials, 'dev', creds(), { env }));
    expect(staticError.code).toBe('CREDENTIALS_PROFILE_STATIC');
    expect(staticError.message).toContain(`${credentials} line 1`);
    expect(staticError.message).not.toContain('AKIASTATIC');
    const twice = await rejection(writeCredentialsProfile(credentials, 'twice', creds(), { env }));
    expect(twice.code).toBe('CREDENTIALS_PROFILE_DUPLICATE');
    expect(twice.message).toContain('lines 4, 5');
    expect(readFileSync(credentials, 'utf8')).toBe(text);
  });

  itWith(['botocore'], 'writes what botocore reads (the AWS CLI and boto3 resolve the profile)', async () => {
    const { credentials, env, config } = setup();
    mkdirSync(join(config, '..'), { recursive: true });
    writeFileSync(config, '[profile dev]\nregion = eu-west-1\n');
    writeFileSync(credentials, '[other]\r\naws_access_key_id = AKIAOTHER\r\naws_secret_access_key = o\r\n');
    await writeCredentialsProfile(credentials, 'dev', creds(), { env });
    const script = `
import botocore.session, json
s = botocore.session.Session(profile='dev')
c = s.get_credentials().get_frozen_credentials()
print(json.dumps([c.access_key, c.secret_key, c.token]))`;
    const run = spawnSync('python3', ['-c', script], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: env.HOME,
        AWS_CONFIG_FILE: config,
        AWS_SHARED_CREDENTIALS_FILE: credentials,
      },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([creds().accessKeyId, creds().secretAccessKey, creds().sessionToken]);
  });
});

describe('removeFedloginCredentialsProfile', () => {
  it('removes only sections with x_security_token_expires, and refuses long-term keys', async () => {
    const { credentials, env } = setup();
    mkdirSync(join(credentials, '..'), { recursive: true });
    writeFileSync(
      credentials,
      '[a]\nx = 1\n\n[dev]\naws_access_key_id = A\nx_security_token_expires = 2030\n\n[static]\naws_access_key_id = AKIA\n',
    );
    expect(await removeFedloginCredentialsProfile(credentials, 'dev', { env })).toBe(true);
    expect(readFileSync(credentials, 'utf8')).toBe('[a]\nx = 1\n\n[static]\naws_access_key_id = AKIA\n');
    expect((await rejection(removeFedloginCredentialsProfile(credentials, 'static', { env }))).code).toBe(
      'CREDENTIALS_PROFILE_STATIC',
    );
    expect(await removeFedloginCredentialsProfile(credentials, 'a', { env })).toBe(false);
    expect(await removeFedloginCredentialsProfile(credentials, 'absent', { env })).toBe(false);
    expect(readFileSync(credentials, 'utf8')).toBe('[a]\nx = 1\n\n[static]\naws_access_key_id = AKIA\n');
  });

  it('does not create a missing file', async () => {
    const { credentials, env } = setup();
    expect(await removeFedloginCredentialsProfile(credentials, 'dev', { env })).toBe(false);
    expect(existsSync(credentials)).toBe(false);
  });
});

describe('section helpers', () => {
  it('isFedloginManagedSection looks for x_security_token_expires, in entries or a key map', () => {
    expect(isFedloginManagedSection({ aws_access_key_id: 'a', x_security_token_expires: 't' })).toBe(true);
    expect(isFedloginManagedSection([{ key: 'X_Security_Token_Expires' }])).toBe(true);
    expect(isFedloginManagedSection({ aws_access_key_id: 'a' })).toBe(false);
  });

  it('findShadowingStaticKeys: credential_process profiles hidden by long-term keys of the same name', () => {
    const config = parseIniDocument(
      [
        '[default]',
        'credential_process = fedlogin credential-process --profile default',
        '[profile dev]',
        'credential_process = x',
        '[profile prod]',
        'credential_process = x',
        '[profile plain]',
        'region = x',
        '',
      ].join('\n'),
    );
    const credentials = parseIniDocument(
      [
        '[default]',
        'aws_access_key_id = AKIA',
        '[dev]',
        'aws_access_key_id = ASIA',
        'x_security_token_expires = 2030',
        '[plain]',
        'aws_access_key_id = AKIA',
        '',
      ].join('\n'),
    );
    expect(findShadowingStaticKeys(config, credentials)).toEqual(['default']);
  });
});
