/**
 * The AWS files on a hostile machine (issue 14, items 4 and 5): files others can read or write,
 * files and folders of another user, links planted by another user (the sudo attack), and FIFOs
 * where a file or the lock should be. Each attack is refused with its own code and leaves every
 * file as it was; a FIFO is refused at once, never waited on.
 *
 * "Another user" is uid 65534 (nobody): the ownership cases need root to chown and run only as
 * root (the project's CI and this machine run the tests as root); the others run everywhere.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/core/credentials.js';
import { lockNameFor, updateAwsFile, writeCredentialsProfile } from '../../src/store/awsFiles.js';
import { setKeys } from '../../src/store/iniEdit.js';
import { lockPathFor } from '../../src/store/lock.js';
import { compiledStoreDir } from './support/compileStore.js';
import { perms, rejection, tempDir } from './support/tempDir.js';

const ROOT = process.getuid?.() === 0;
const NOBODY = 65534;
const root = tempDir('hostile');
let n = 0;

const credentials: Credentials = {
  accessKeyId: 'ASIAHOSTILEEXAMPLE01',
  secretAccessKey: 'hostileSecretEXAMPLEkey0000000000000000',
  sessionToken: 'hostileSessionTokenEXAMPLE',
  expiration: new Date('2030-01-01T00:00:00Z'),
};

/** A private HOME-like folder with .aws (0700) and the env pointing the files and cache inside it. */
function home(): { dir: string; aws: string; env: NodeJS.ProcessEnv } {
  const dir = join(root, `h${++n}`);
  const aws = join(dir, '.aws');
  mkdirSync(aws, { recursive: true, mode: 0o700 });
  const env = {
    HOME: dir,
    XDG_CACHE_HOME: join(dir, '.cache'),
    AWS_CONFIG_FILE: join(aws, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(aws, 'credentials'),
  };
  return { dir, aws, env };
}

const ORIGINAL = '[other]\naws_access_key_id = AKIAOTHEREXAMPLE0001\n';

describe('credentials into readable files', () => {
  it('attack: ~/.aws/credentials at 0644 gets secret keys written into it -> the write makes it 0600 first and says so', async () => {
    const h = home();
    const file = join(h.aws, 'credentials');
    writeFileSync(file, ORIGINAL, { mode: 0o644 });
    chmodSync(file, 0o644);
    const notices: string[] = [];
    await writeCredentialsProfile(file, 'dev', credentials, { env: h.env, notice: (line) => notices.push(line) });
    expect(perms(statSync(file).mode)).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(ORIGINAL);
    expect(readFileSync(file, 'utf8')).toContain(credentials.accessKeyId);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/could be read by group or others \(mode 0644\); fedlogin wrote it 0600/);
    // a private file: nothing to say
    await writeCredentialsProfile(file, 'dev', credentials, { env: h.env, notice: (line) => notices.push(line) });
    expect(notices).toHaveLength(1);
  });

  it('the config file keeps its mode (no secrets there), a new credentials file is 0600', async () => {
    const h = home();
    const config = join(h.aws, 'config');
    writeFileSync(config, '[default]\nregion = eu-west-1\n', { mode: 0o644 });
    chmodSync(config, 0o644);
    await updateAwsFile(config, 'config', (t) => setKeys(t, 'config', 'dev', { region: 'us-east-1' }), { env: h.env });
    expect(perms(statSync(config).mode)).toBe(0o644);
    const creds = join(h.aws, 'credentials');
    await writeCredentialsProfile(creds, 'dev', credentials, { env: h.env });
    expect(perms(statSync(creds).mode)).toBe(0o600);
  });

  it('a credentials file writable by others (0666) is refused: AWS_FILE_OPEN_TO_OTHERS, file unchanged', async () => {
    const h = home();
    const file = join(h.aws, 'credentials');
    writeFileSync(file, ORIGINAL);
    chmodSync(file, 0o666);
    const error = await rejection(writeCredentialsProfile(file, 'dev', credentials, { env: h.env }));
    expect(error.code).toBe('AWS_FILE_OPEN_TO_OTHERS');
    expect(error.kind).toBe('usage');
    expect(error.message).toContain(file);
    expect(error.message).toContain('mode 0666');
    expect(error.hint).toMatch(/chmod/);
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
    expect(perms(statSync(file).mode)).toBe(0o666);
  });

  it('a folder writable by others (0777, reached through AWS_SHARED_CREDENTIALS_FILE) is refused, nothing written in it', async () => {
    const h = home();
    const shared = join(h.dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const file = join(shared, 'credentials');
    const error = await rejection(
      writeCredentialsProfile(file, 'dev', credentials, { env: { ...h.env, AWS_SHARED_CREDENTIALS_FILE: file } }),
    );
    expect(error.code).toBe('AWS_FILE_OPEN_TO_OTHERS');
    expect(error.message).toContain(shared);
    expect(error.hint).toMatch(/chmod go-w/);
    expect(existsSync(file)).toBe(false);
  });

  it.runIf(ROOT)(
    'attack: a 0666 credentials file owned by another user, reached through AWS_SHARED_CREDENTIALS_FILE -> refused: AWS_FILE_NOT_OWNED, unchanged',
    async () => {
      const h = home();
      const theirs = join(h.dir, 'theirs');
      mkdirSync(theirs, { mode: 0o700 });
      const file = join(theirs, 'credentials');
      writeFileSync(file, ORIGINAL);
      chmodSync(file, 0o666);
      chownSync(file, NOBODY, NOBODY);
      const error = await rejection(
        writeCredentialsProfile(file, 'dev', credentials, { env: { ...h.env, AWS_SHARED_CREDENTIALS_FILE: file } }),
      );
      expect(error.code).toBe('AWS_FILE_NOT_OWNED');
      expect(error.message).toContain(`belongs to uid ${NOBODY}, not to you (uid 0)`);
      expect(error.hint).toMatch(/chown/);
      expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
      expect(statSync(file).uid).toBe(NOBODY);
    },
  );

  it.runIf(ROOT)("a folder owned by another user is refused (root does not write into a user's ~/.aws)", async () => {
    const h = home();
    chownSync(h.aws, NOBODY, NOBODY);
    const file = join(h.aws, 'credentials');
    const error = await rejection(writeCredentialsProfile(file, 'dev', credentials, { env: h.env }));
    expect(error.code).toBe('AWS_FILE_NOT_OWNED');
    expect(error.message).toContain(h.aws);
    expect(error.hint).toMatch(/not under sudo/);
    expect(existsSync(file)).toBe(false);
  });
});

/** A root-only file outside the home, and at the home's ~/.aws/credentials a symbolic link to it that nobody owns. */
function plantLinkToRootOwnedFile(h: { aws: string }): { rootOwned: string; link: string } {
  const rootOwned = join(root, `root-owned-${n}`);
  writeFileSync(rootOwned, '# root only\n', { mode: 0o600 });
  const link = join(h.aws, 'credentials');
  symlinkSync(rootOwned, link);
  lchownSync(link, NOBODY, NOBODY);
  return { rootOwned, link };
}

describe('links', () => {
  it.runIf(ROOT)(
    'attack: under sudo, a user-planted ~/.aws/credentials -> a root-owned file -> refused: AWS_FILE_LINK_UNSAFE, the target unchanged',
    async () => {
      // the user's home and ~/.aws, as sudo with HOME kept would see them
      const h = home();
      const { rootOwned, link } = plantLinkToRootOwnedFile(h);
      chownSync(h.aws, NOBODY, NOBODY);
      chownSync(h.dir, NOBODY, NOBODY);
      const error = await rejection(writeCredentialsProfile(link, 'dev', credentials, { env: h.env }));
      expect(error.code).toBe('AWS_FILE_LINK_UNSAFE');
      expect(error.message).toContain(
        `the symbolic link ${link} belongs to uid ${NOBODY} but points at something of uid 0`,
      );
      expect(readFileSync(rootOwned, 'utf8')).toBe('# root only\n');
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
    },
  );

  it.runIf(ROOT)(
    'a link planted by another user is refused even in a folder of yours, and a dangling one too (nothing created)',
    async () => {
      const h = home();
      const { rootOwned, link } = plantLinkToRootOwnedFile(h);
      expect((await rejection(writeCredentialsProfile(link, 'dev', credentials, { env: h.env }))).code).toBe(
        'AWS_FILE_LINK_UNSAFE',
      );
      expect(readFileSync(rootOwned, 'utf8')).toBe('# root only\n');

      const h2 = home();
      const nowhere = join(root, `not-yet-${n}`);
      const dangling = join(h2.aws, 'credentials');
      symlinkSync(nowhere, dangling);
      lchownSync(dangling, NOBODY, NOBODY);
      expect((await rejection(writeCredentialsProfile(dangling, 'dev', credentials, { env: h2.env }))).code).toBe(
        'AWS_FILE_LINK_UNSAFE',
      );
      expect(existsSync(nowhere)).toBe(false);
    },
  );

  it('a link of your own to a file of your own (dotfiles) is written through and stays a link', async () => {
    const h = home();
    const dotfiles = join(h.dir, 'dotfiles');
    mkdirSync(dotfiles, { mode: 0o700 });
    const real = join(dotfiles, 'credentials');
    writeFileSync(real, ORIGINAL, { mode: 0o600 });
    const link = join(h.aws, 'credentials');
    symlinkSync(real, link);
    await writeCredentialsProfile(link, 'dev', credentials, { env: h.env });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain(credentials.accessKeyId);
  });
});

/**
 * A FIFO is opened in a child process with a bound: if a FIFO were ever opened blocking, the
 * child would hang, not the test worker, and the bound turns that into a failure.
 */
function inChild(script: string, env: NodeJS.ProcessEnv): { code: string | undefined; message: string | undefined } {
  const store = pathToFileURL(join(compiledStoreDir(), 'store')).href;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script.replaceAll('STORE', store)], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(run.error, 'the child was still waiting after 20 s (a FIFO opened blocking?)').toBeUndefined();
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { code: string | undefined; message: string | undefined };
}

const CATCH = `.then(() => ({ code: undefined }), (e) => ({ code: e.code, message: e.message })).then((r) => process.stdout.write(JSON.stringify(r)))`;

describe('special files: a FIFO is refused at once, never waited on', () => {
  it('attack: a FIFO at ~/.aws/credentials -> writing credentials fails at once with AWS_FILE_NOT_REGULAR', () => {
    const h = home();
    const fifo = join(h.aws, 'credentials');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const result = inChild(
      `import('STORE/awsFiles.js').then((m) => m.writeCredentialsProfile(process.env.AWS_SHARED_CREDENTIALS_FILE, 'dev', { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'x', sessionToken: 'y', expiration: new Date() }, { env: process.env }))${CATCH}`,
      h.env,
    );
    expect(result.code).toBe('AWS_FILE_NOT_REGULAR');
    expect(result.message).toContain('is a FIFO (named pipe), not a regular file');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a FIFO at ~/.aws/config -> reading it fails at once with AWS_FILE_NOT_REGULAR', () => {
    const h = home();
    expect(spawnSync('mkfifo', [join(h.aws, 'config')]).status).toBe(0);
    const result = inChild(
      `import('STORE/awsFiles.js').then((m) => m.readAwsFile(process.env.AWS_CONFIG_FILE))${CATCH}`,
      h.env,
    );
    expect(result.code).toBe('AWS_FILE_NOT_REGULAR');
    // and editing it
    const edit = inChild(
      `import('STORE/awsFiles.js').then((m) => m.updateAwsFile(process.env.AWS_CONFIG_FILE, 'config', (t) => t + '[x]\\n', { env: process.env }))${CATCH}`,
      h.env,
    );
    expect(edit.code).toBe('AWS_FILE_NOT_REGULAR');
  });

  it('attack: a FIFO at the lock path -> the write fails at once with LOCK_NOT_REGULAR (no 10 s wait, no hang)', () => {
    const h = home();
    const file = join(h.aws, 'credentials');
    writeFileSync(file, ORIGINAL, { mode: 0o600 });
    // the lock updateAwsFile takes for this file
    const path = lockPathFor(h.env, lockNameFor(file));
    expect(spawnSync('mkfifo', [path]).status).toBe(0);
    const result = inChild(
      `import('STORE/awsFiles.js').then((m) => m.writeCredentialsProfile(process.env.AWS_SHARED_CREDENTIALS_FILE, 'dev', { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'x', sessionToken: 'y', expiration: new Date() }, { env: process.env }))${CATCH}`,
      h.env,
    );
    expect(result.code).toBe('LOCK_NOT_REGULAR');
    expect(result.message).toContain('is a FIFO (named pipe)');
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
  });
});
