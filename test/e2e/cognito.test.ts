import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCognitoIdentity, type CognitoIdentityDouble } from '../support/aws/cognitoIdentity.js';
import { motoForSuite } from '../support/aws/moto.js';
import { getCallerIdentity } from '../support/aws/sdkCall.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { makeTempHome, type RunCliResult, runCli } from '../support/cli/runCli.js';
import { describeWith } from '../support/harness/component.js';
import { freePort } from '../support/harness/freePort.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

const POOL = 'us-east-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f';
const NO_GUEST_POOL = 'us-east-1:11111111-2222-4333-8444-555555555555';
const NO_ROLE_POOL = 'us-east-1:66666666-7777-4888-9999-aaaaaaaaaaaa';
const UNKNOWN_POOL = 'us-east-1:bbbbbbbb-cccc-4ddd-8eee-ffffffffffff';
const GUEST_ROLE = 'arn:aws:iam::123456789012:role/cognito-guest';
const AUTH_ROLE = 'arn:aws:iam::123456789012:role/cognito-user';
const ADMIN_ROLE = 'arn:aws:iam::123456789012:role/cognito-admin';
const BASIC_ROLE = 'arn:aws:iam::123456789012:role/cognito-basic';
const CLIENT_ID = 'app-client-1';

let issuer: TokenIssuer;
let sts: StsEndpoint;
let cognito: CognitoIdentityDouble;
let scratch: string;
/** the login key of the test issuer: its URL without the scheme */
let loginKey: string;

beforeAll(async () => {
  issuer = await startTokenIssuer({ path: '/oauth2' });
  loginKey = issuer.url.replace(/^http:\/\//, '');
  sts = await startStsEndpoint({ roles: {} });
  // A second provider of the pool, to show that a token is only accepted under its own issuer's key.
  const providers = { [loginKey]: { clientIds: [CLIENT_ID] }, '127.0.0.1:9/other-idp': { clientIds: [CLIENT_ID] } };
  cognito = await addCognitoIdentity(sts, {
    [POOL]: {
      allowUnauthenticated: true,
      providers,
      roles: { authenticated: AUTH_ROLE, unauthenticated: GUEST_ROLE },
      customRoles: [ADMIN_ROLE],
    },
    [NO_GUEST_POOL]: { allowUnauthenticated: false, providers, roles: { authenticated: AUTH_ROLE } },
    [NO_ROLE_POOL]: { allowUnauthenticated: true, providers, roles: {} },
  });
  // The basic flow's role trusts Cognito's OpenID tokens for this pool, as an IAM role would trust cognito-identity.amazonaws.com.
  sts.roles[BASIC_ROLE] = { trust: { issuer: cognito.openIdIssuer.url, audiences: [POOL] } };
  scratch = await mkdtemp(path.join(tmpdir(), 'fedlogin-cognito-'));
});

afterAll(async () => {
  await Promise.all([cognito?.close(), sts?.close(), issuer?.close()]);
  await rm(scratch, { recursive: true, force: true });
});

const endpoints = () => ({
  AWS_ENDPOINT_URL_COGNITO_IDENTITY: sts.url,
  AWS_ENDPOINT_URL_STS: sts.url,
  FEDLOGIN_STORE: 'file',
});

async function idTokenFile(
  claims: Record<string, unknown> = {},
  file = path.join(scratch, `id-${Math.random().toString(36).slice(2)}`),
) {
  await writeFile(file, await issuer.sign({ sub: 'user-1', aud: CLIENT_ID, token_use: 'id', ...claims }), {
    mode: 0o600,
  });
  return file;
}

function expectNoSecrets(result: RunCliResult) {
  for (const secret of [...sts.secrets(), ...issuer.issued, ...cognito.openIdIssuer.issued]) {
    expect(result.stderr).not.toContain(secret);
    if (result.code !== 0) expect(result.stdout).not.toContain(secret);
  }
}

function credentialsOf(result: RunCliResult) {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const json = JSON.parse(result.stdout) as Record<string, string>;
  expect(json.Version).toBe(1);
  return { accessKeyId: json.AccessKeyId!, secretAccessKey: json.SecretAccessKey!, sessionToken: json.SessionToken! };
}

/** exit code, `fedlogin: ...` plus at most a hint line, nothing on stdout, no secret anywhere */
function expectFailure(result: RunCliResult, code: number, message: RegExp) {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  const lines = result.stderr
    .trimEnd()
    .split('\n')
    .filter((l) => !/retrying in/.test(l));
  expect(lines[0]).toMatch(/^fedlogin: /);
  expect(lines[0]).toMatch(message);
  expect(lines.length).toBeLessThanOrEqual(2);
  expectNoSecrets(result);
}

describe('fedlogin cognito: enhanced flow against the Cognito Identity double', () => {
  it("guest access: GetId without logins, then the pool's unauthenticated role", async () => {
    sts.reset();
    const result = await runCli(['cognito', '--identity-pool-id', POOL, '--guest'], { env: endpoints() });
    const identity = await getCallerIdentity(credentialsOf(result), sts.url);
    expect(identity.Arn).toBe('arn:aws:sts::123456789012:assumed-role/cognito-guest/CognitoIdentityCredentials');
    expect(sts.count('GetId')).toBe(1);
    expect(sts.requests.find((r) => r.action === 'GetId')!.params.Logins).toBeUndefined();
  });

  it('--login KEY=@FILE: the token is verified by its issuer, and the IdentityId is reused across runs', async () => {
    sts.reset();
    const home = await makeTempHome();
    try {
      const file = await idTokenFile();
      const args = ['cognito', '--identity-pool-id', POOL, '--login', `${loginKey}=@${file}`];
      const first = await runCli(args, { env: { ...endpoints(), ...home.env } });
      expect((await getCallerIdentity(credentialsOf(first), sts.url)).Arn).toContain('assumed-role/cognito-user/');
      // A fresh token in the same file (re-read each time), same user, same HOME: no second GetId.
      await idTokenFile({}, file);
      const second = await runCli(args, { env: { ...endpoints(), ...home.env } });
      credentialsOf(second);
      expect(sts.count('GetId')).toBe(1);
      expect(sts.count('GetCredentialsForIdentity')).toBe(2);
      const [a, b] = sts.requests.filter((r) => r.action === 'GetCredentialsForIdentity');
      expect(a!.params.IdentityId).toBe(b!.params.IdentityId);
      expect(a!.params.Logins).toBe('[redacted]');
      expectNoSecrets(second);
    } finally {
      await home.cleanup();
    }
  });

  it("--custom-role-arn picks a role the pool's rules allow", async () => {
    const file = await idTokenFile({ sub: 'admin-1' });
    const result = await runCli(
      [
        'cognito',
        '--identity-pool-id',
        POOL,
        '--login',
        `https://${loginKey}/=@${file}`,
        '--custom-role-arn',
        ADMIN_ROLE,
      ],
      { env: endpoints() },
    );
    expect((await getCallerIdentity(credentialsOf(result), sts.url)).Arn).toContain('assumed-role/cognito-admin/');
  });

  it('a cognito profile works as a credential_process (fedlogin_login re-read on a cache miss)', async () => {
    const home = await makeTempHome();
    try {
      const file = await idTokenFile({ sub: 'profile-user' });
      await writeFile(
        home.awsConfigFile,
        `[profile app]\nfedlogin_flow = cognito\nfedlogin_identity_pool_id = ${POOL}\nfedlogin_login = ${loginKey}=@${file}\n`,
      );
      const result = await runCli(['credential-process', '--profile', 'app'], { env: { ...endpoints(), ...home.env } });
      expect((await getCallerIdentity(credentialsOf(result), sts.url)).Arn).toContain('assumed-role/cognito-user/');
    } finally {
      await home.cleanup();
    }
  });

  it('--output env prints shell exports', async () => {
    const result = await runCli(['cognito', '--identity-pool-id', POOL, '--guest', '--output', 'env'], {
      env: endpoints(),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='ASIA[A-Z0-9]{16}'$/m);
    expect(result.stdout).toMatch(/^export AWS_REGION='us-east-1'$/m);
  });
});

describe('fedlogin cognito --basic: GetOpenIdToken, then AssumeRoleWithWebIdentity', () => {
  it("exchanges Cognito's signed OpenID token for the given role", async () => {
    sts.reset();
    const file = await idTokenFile({ sub: 'basic-user' });
    const result = await runCli(
      ['cognito', '--identity-pool-id', POOL, '--login', `${loginKey}=@${file}`, '--basic', '--role-arn', BASIC_ROLE],
      { env: endpoints() },
    );
    expect((await getCallerIdentity(credentialsOf(result), sts.url)).Arn).toContain(
      'assumed-role/cognito-basic/us-east-1-',
    );
    expect(sts.count('GetOpenIdToken')).toBe(1);
    const exchange = sts.requests.find((r) => r.action === 'AssumeRoleWithWebIdentity')!;
    const identityId = sts.requests.find((r) => r.action === 'GetId')!.notes.identityId;
    expect(exchange.notes.tokenClaims).toMatchObject({ iss: cognito.openIdIssuer.url, aud: POOL, sub: identityId });
    expect(sts.count('GetCredentialsForIdentity')).toBe(0);

    // --debug describes every step and still prints no token, key or OpenID token.
    const debug = await runCli(
      [
        'cognito',
        '--identity-pool-id',
        POOL,
        '--login',
        `${loginKey}=@${file}`,
        '--basic',
        '--role-arn',
        BASIC_ROLE,
        '--debug',
      ],
      { env: endpoints() },
    );
    expect(debug.code).toBe(0);
    expect(debug.stderr).toMatch(/GetOpenIdToken us-east-1:/);
    expectNoSecrets(debug);
  });
});

describe('fedlogin cognito: every refusal is one line with the right exit code', () => {
  it('guest access disabled in the pool: exit 3', async () => {
    const result = await runCli(['cognito', '--identity-pool-id', NO_GUEST_POOL, '--guest'], { env: endpoints() });
    expectFailure(result, 3, /refused guest access.*Unauthenticated access is not supported/);
  });

  it('a token the pool rejects (wrong audience; unknown signing key; iss not the login key): exit 3, no token printed', async () => {
    const wrongAud = await idTokenFile({ aud: 'someone-else' });
    const result = await runCli(['cognito', '--identity-pool-id', POOL, '--login', `${loginKey}=@${wrongAud}`], {
      env: endpoints(),
    });
    expectFailure(result, 3, /rejected the login .*Incorrect token audience.*sub=user-1/);

    const forged = path.join(scratch, 'forged');
    await writeFile(forged, await issuer.signWithUnknownKey({ sub: 'user-1', aud: CLIENT_ID }));
    const forgedResult = await runCli(['cognito', '--identity-pool-id', POOL, '--login', `${loginKey}=@${forged}`], {
      env: endpoints(),
    });
    expectFailure(forgedResult, 3, /rejected the login .*Invalid login token/);

    const valid = await idTokenFile();
    const misfiled = await runCli(
      ['cognito', '--identity-pool-id', POOL, '--login', `127.0.0.1:9/other-idp=@${valid}`],
      { env: endpoints() },
    );
    expectFailure(misfiled, 3, /rejected the login for 127\.0\.0\.1:9\/other-idp .*Issuer doesn't match providerName/);
  });

  it('a pool that does not exist: exit 2 (ResourceNotFoundException)', async () => {
    const result = await runCli(['cognito', '--identity-pool-id', UNKNOWN_POOL, '--guest'], { env: endpoints() });
    expectFailure(result, 2, new RegExp(`no identity pool ${UNKNOWN_POOL}`));
  });

  it('a pool without a role for the identity: exit 3 (InvalidIdentityPoolConfigurationException)', async () => {
    const result = await runCli(['cognito', '--identity-pool-id', NO_ROLE_POOL, '--guest'], { env: endpoints() });
    expectFailure(result, 3, /not configured to hand out credentials/);
  });

  it('TooManyRequestsException is retried with backoff, and after five attempts is exit 4', async () => {
    sts.reset();
    sts.failNext(2, { code: 'TooManyRequestsException', message: 'Rate exceeded', action: 'GetId' });
    const retried = await runCli(['cognito', '--identity-pool-id', POOL, '--guest'], { env: endpoints() });
    expect(retried.code).toBe(0);
    expect(retried.stderr.match(/Cognito GetId: TooManyRequests .*retrying in/g)).toHaveLength(2);
    expect(sts.count('GetId')).toBe(3);

    sts.reset();
    sts.failNext(5, { code: 'TooManyRequestsException', message: 'Rate exceeded', action: 'GetId' });
    const exhausted = await runCli(['cognito', '--identity-pool-id', POOL, '--guest'], { env: endpoints() });
    expectFailure(exhausted, 4, /kept throttling GetId/);
    expect(sts.count('GetId')).toBe(5);
  });

  it('Cognito cannot be reached: exit 4', async () => {
    const port = await freePort();
    const result = await runCli(['cognito', '--identity-pool-id', POOL, '--guest', '-q'], {
      env: { ...endpoints(), AWS_ENDPOINT_URL_COGNITO_IDENTITY: `http://127.0.0.1:${port}` },
    });
    expectFailure(result, 4, /Could not reach Cognito Identity at http:\/\/127\.0\.0\.1/);
  });

  it('usage errors: a malformed pool ID, a token on the command line, --role-arn without --basic: exit 2', async () => {
    const badId = await runCli(['cognito', '--identity-pool-id', 'us-east-1_AbC', '--guest'], { env: endpoints() });
    expectFailure(badId, 2, /not a Cognito identity pool ID/);
    const token = await issuer.sign({ sub: 'x', aud: CLIENT_ID });
    const inline = await runCli(['cognito', '--identity-pool-id', POOL, '--login', `${loginKey}=${token}`], {
      env: endpoints(),
    });
    expectFailure(inline, 2, /must be KEY=@FILE/);
    const noBasic = await runCli(['cognito', '--identity-pool-id', POOL, '--guest', '--role-arn', BASIC_ROLE], {
      env: endpoints(),
    });
    expectFailure(noBasic, 2, /basic flow only/);
  });
});

describeWith(['moto_server'], 'fedlogin cognito against moto (interop)', () => {
  const moto = motoForSuite();

  it('enhanced guest flow against a pool created with the SDK', async () => {
    const sdk = await import('@aws-sdk/client-cognito-identity');
    const client = new sdk.CognitoIdentityClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 1,
    });
    const pool = await client.send(
      new sdk.CreateIdentityPoolCommand({ IdentityPoolName: 'fedlogin', AllowUnauthenticatedIdentities: true }),
    );
    client.destroy();
    expect(pool.IdentityPoolId).toMatch(/^us-east-1:/);
    const result = await runCli(
      ['cognito', '--identity-pool-id', pool.IdentityPoolId!, '--guest', '--output', 'json'],
      {
        env: { AWS_ENDPOINT_URL_COGNITO_IDENTITY: moto.url, FEDLOGIN_STORE: 'file' },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const env = JSON.parse(result.stdout) as Record<string, string>;
    expect(env.AWS_ACCESS_KEY_ID).toMatch(/^[A-Z0-9]{16,}$/);
    expect(env.AWS_SECRET_ACCESS_KEY).toBeTruthy();
  });
});

describe('fedlogin cognito --profile on a chained profile', () => {
  it('the guest sign-in of the source profile, then the hop; both cached for credential-process', async () => {
    const HOP = 'arn:aws:iam::210987654321:role/after-cognito';
    sts.roles[HOP] = {};
    sts.reset();
    const home = await makeTempHome();
    try {
      await writeFile(
        home.awsConfigFile,
        [
          '[profile pool]',
          'fedlogin_flow = cognito',
          `fedlogin_identity_pool_id = ${POOL}`,
          'fedlogin_guest = true',
          '',
          '[profile hop]',
          `role_arn = ${HOP}`,
          'source_profile = pool',
          '',
        ].join('\n'),
      );
      const env = { ...endpoints(), ...home.env };
      const result = await runCli(['cognito', '--profile', 'hop'], { env });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(
        /Profile hop: hop -> pool \(cognito\), then AssumeRole arn:aws:iam::210987654321:role\/after-cognito; cached for 2 profiles hop, pool\./,
      );
      const json = JSON.parse(result.stdout) as Record<string, string>;
      const identity = await getCallerIdentity(
        { accessKeyId: json.AccessKeyId!, secretAccessKey: json.SecretAccessKey!, sessionToken: json.SessionToken! },
        sts.url,
      );
      expect(identity.Arn).toMatch(/^arn:aws:sts::210987654321:assumed-role\/after-cognito\//);
      expectNoSecrets(result);
      const calls = sts.count('AssumeRole');
      const cached = await runCli(['credential-process', '--profile', 'hop'], { env });
      expect((JSON.parse(cached.stdout) as { AccessKeyId: string }).AccessKeyId).toBe(json.AccessKeyId);
      expect(sts.count('AssumeRole')).toBe(calls);
    } finally {
      delete sts.roles[HOP];
      await home.cleanup();
    }
  });
});
