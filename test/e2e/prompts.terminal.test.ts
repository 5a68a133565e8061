/**
 * Issue 15 item 6, the prompts, through a real terminal (spawnCli's pseudo-terminal): --no-color
 * reaches configure's prompts and the SAML role picker; Esc aborts a list as Ctrl-C does (exit
 * 130, nothing written, no "^C" after the abort line); "-" clears an optional value that a prompt
 * offers; guided Cognito offers the OIDC sign-in and takes the region from the identity pool ID.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { addSamlToSts } from '../support/aws/stsSaml.js';
import { hermeticEnv, type TempHome } from '../support/cli/runCli.js';
import { describeWith } from '../support/harness/component.js';
import { type SamlIdp, startSamlIdp } from '../support/idp/samlIdp.js';
import { COLOUR_SEQUENCE, CTRL_C, ENTER, ESC, PtySession, ROLE, tempHomesForFile } from './configure.support.js';

const PROVIDER = 'arn:aws:iam::123456789012:saml-provider/test-idp';
const DEV = 'arn:aws:iam::123456789012:role/dev';
const OPS_PROVIDER = 'arn:aws:iam::210987654321:saml-provider/test-idp';
const OPS = 'arn:aws:iam::210987654321:role/team/ops';
const POOL = 'eu-west-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f';

const sessions: PtySession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

const freshHome = tempHomesForFile();

function start(args: string[], home: TempHome, extra: Record<string, string | undefined> = {}): PtySession {
  const pty = PtySession.start(args, { ...hermeticEnv(home.home, home.env), ...extra });
  sessions.push(pty);
  return pty;
}

const ABORTED = 'Configuration aborted; nothing was written.';

describeWith(['cmd:script'], "configure's prompts on a terminal", () => {
  it('Esc at a list aborts like Ctrl-C: exit 130, nothing written', async () => {
    const home = await freshHome();
    const pty = start(['configure', '--profile', 'x'], home);
    await pty.waitFor('navigate', await pty.waitFor('Login flow'));
    pty.type(ESC);
    expect(await pty.exitCode()).toBe(130);
    expect(pty.text).toContain(`fedlogin: ${ABORTED}`);
    await expect(readFile(home.awsConfigFile, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('Ctrl-C at a prompt aborts, and the abort line is the last thing on the terminal (no ^C after it)', async () => {
    const home = await freshHome();
    for (const [args, prompt] of [
      [['configure'], 'Profile name'],
      [['configure', '--profile', 'x'], 'navigate'],
    ] as const) {
      const pty = start([...args], home);
      await pty.waitFor(prompt);
      pty.type(CTRL_C);
      expect(await pty.exitCode()).toBe(130);
      const after = pty.text.slice(pty.text.indexOf(ABORTED));
      expect(after.trim()).toBe(ABORTED);
    }
    await expect(readFile(home.awsConfigFile, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('--no-color reaches the prompts (as NO_COLOR does); without either they are coloured', async () => {
    const home = await freshHome();
    const runs: [string[], Record<string, string | undefined>, boolean][] = [
      [['configure', '--profile', 'x'], { NO_COLOR: undefined }, true],
      [['--no-color', 'configure', '--profile', 'x'], { NO_COLOR: undefined }, false],
      [['configure', '--profile', 'x'], { NO_COLOR: '1' }, false],
    ];
    for (const [args, env, coloured] of runs) {
      const pty = start(args, home, env);
      await pty.waitFor('navigate', await pty.waitFor('Login flow'));
      expect(COLOUR_SEQUENCE.test(pty.raw), `${args.join(' ')} ${JSON.stringify(env)}`).toBe(coloured);
      pty.type(ESC);
      expect(await pty.exitCode()).toBe(130);
    }
  });

  it('"-" clears an optional value the prompt offers, as its help line says', async () => {
    const home = await freshHome();
    await writeFile(
      home.awsConfigFile,
      `[profile sso]\nfedlogin_flow = saml\nfedlogin_idp_url = https://idp.example.com/sso\nfedlogin_role_arn = ${ROLE}\nfedlogin_browser = chromium\n`,
    );
    const pty = start(['configure', '--profile', 'sso'], home);
    let at = await pty.waitFor('Login flow');
    pty.type(ENTER); // saml, the profile's
    at = await pty.waitFor("The AWS app's IdP-initiated sign-on URL", at);
    pty.type(ENTER);
    at = await pty.waitFor('IAM role ARN ("-": choose at sign-in)', at);
    pty.type(`-${ENTER}`);
    at = await pty.waitFor('Browser', at);
    pty.type(ENTER);
    at = await pty.waitFor('AWS region', at);
    pty.type(ENTER);
    expect(await pty.exitCode()).toBe(0);
    expect(pty.text).toContain('fedlogin_role_arn (removed)');
    const config = await readFile(home.awsConfigFile, 'utf8');
    expect(config).not.toContain('fedlogin_role_arn');
    expect(config).toContain('fedlogin_browser = chromium');
  });

  it('guided Cognito offers the OIDC sign-in and offers the identity pool ID region', async () => {
    const home = await freshHome();
    const pty = start(['configure', '--profile', 'app', '--flow', 'cognito'], home);
    let at = await pty.waitFor('Identity pool ID');
    pty.type(POOL + ENTER);
    at = await pty.waitFor('Guest (unauthenticated) access?', at);
    pty.type(`n${ENTER}`);
    at = await pty.waitFor('How do users sign in?', at);
    await pty.waitFor('fedlogin signs in at an OpenID Provider', at);
    pty.type(ENTER); // oidc, the first
    at = await pty.waitFor('OIDC issuer URL', at);
    pty.type(`https://login.example.com${ENTER}`);
    at = await pty.waitFor('OIDC client ID', at);
    pty.type(`fedlogin-cli${ENTER}`);
    at = await pty.waitFor('Use the device flow', at);
    pty.type(`n${ENTER}`);
    at = await pty.waitFor('Basic flow', at);
    pty.type(`n${ENTER}`);
    at = await pty.waitFor("AWS region (the identity pool ID's is eu-west-1)", at);
    pty.type(ENTER); // the offered pool region
    expect(await pty.exitCode()).toBe(0);
    expect(pty.text).not.toMatch(/partition/);
    const config = await readFile(home.awsConfigFile, 'utf8');
    expect(config).toContain(`fedlogin_identity_pool_id = ${POOL}`);
    expect(config).toContain('fedlogin_issuer = https://login.example.com');
    expect(config).toContain('fedlogin_client_id = fedlogin-cli');
    expect(config).toContain('region = eu-west-1');
    expect(config).not.toContain('fedlogin_login');
  });
});

describeWith(['cmd:script'], 'the SAML role picker on a terminal', () => {
  let idp: SamlIdp;
  let sts: StsEndpoint;
  beforeAll(async () => {
    idp = await startSamlIdp({ roles: [`${DEV},${PROVIDER}`] });
    sts = await startStsEndpoint({ roles: { [DEV]: {}, [OPS]: {} } });
    addSamlToSts(sts, {
      providers: { [PROVIDER]: { certPem: idp.certPem }, [OPS_PROVIDER]: { certPem: idp.certPem } },
    });
  });
  afterAll(async () => {
    await idp?.close();
    await sts?.close();
  });

  async function picker(home: TempHome, flags: string[], env: Record<string, string | undefined>) {
    const file = join(home.home, 'response.b64');
    await writeFile(
      file,
      await idp.signedResponse('alice', { roles: [`${DEV},${PROVIDER}`, `${OPS_PROVIDER},${OPS}`] }),
    );
    const pty = start([...flags, 'saml', '--assertion-file', file], home, { AWS_ENDPOINT_URL_STS: sts.url, ...env });
    await pty.waitFor('team/ops', await pty.waitFor('Choose a role'));
    return pty;
  }

  it('Esc aborts the role picker (exit 130, no role assumed); --no-color reaches it', async () => {
    const home = await freshHome();
    const before = sts.count('AssumeRoleWithSAML');
    const coloured = await picker(home, [], { NO_COLOR: undefined });
    expect(COLOUR_SEQUENCE.test(coloured.raw)).toBe(true);
    coloured.type(ESC);
    expect(await coloured.exitCode()).toBe(130);
    expect(coloured.text).toContain('fedlogin: No role chosen.');

    const plain = await picker(home, ['--no-color'], { NO_COLOR: undefined });
    expect(COLOUR_SEQUENCE.test(plain.raw)).toBe(false);
    plain.type(CTRL_C);
    expect(await plain.exitCode()).toBe(130);
    expect(plain.text.slice(plain.text.indexOf('No role chosen.')).trim()).toBe('No role chosen.');
    expect(sts.count('AssumeRoleWithSAML')).toBe(before);
  });
});
