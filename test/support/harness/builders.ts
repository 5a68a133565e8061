import { writeFile } from 'node:fs/promises';
import type { LauncherDeps } from '../../../src/cli/launcher.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { OidcLoginDeps } from '../../../src/flows/oidc/login.js';
import type { SecretStore } from '../../../src/store/secretStore.js';
import { FEDLOGIN_BIN } from '../cli/spawnCli.js';

/**
 * The small things many tests build: ~/.aws/config profiles for each flow, an in-memory secret
 * store, the dependencies of a run with no person at a terminal.
 */

// ---- profiles ------------------------------------------------------------------------------

/** Keys as they appear in ~/.aws/config; undefined and false-y optional values are left out. */
export type ProfileSettings = Record<string, string | number | boolean | undefined>;

export interface ProfileOptions {
  /**
   * The credential_process line first in the section: 'checkout' runs this checkout's
   * bin/fedlogin.js with this node (for consumers that really run it); 'installed' is the line
   * `fedlogin configure` writes (`fedlogin credential-process --profile NAME`). Default: none.
   */
  credentialProcess?: 'checkout' | 'installed';
}

/** The credential_process value that runs this checkout's CLI for `name`. */
export const checkoutCredentialProcess = (name: string) =>
  `${process.execPath} ${FEDLOGIN_BIN} credential-process --profile ${name}`;

/** One `[profile NAME]` section (lines, no trailing blank line). */
export function profileSection(name: string, settings: ProfileSettings, opts: ProfileOptions = {}): string[] {
  const lines = [name === 'default' ? '[default]' : `[profile ${name}]`];
  if (opts.credentialProcess === 'checkout') lines.push(`credential_process = ${checkoutCredentialProcess(name)}`);
  if (opts.credentialProcess === 'installed')
    lines.push(`credential_process = fedlogin credential-process --profile ${name}`);
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined || value === false) continue;
    lines.push(`${key} = ${value}`);
  }
  return lines;
}

/**
 * A profile for oidc-provider's pages: `fedlogin login` signs in there with the authorization code
 * (prompt=consent, which that provider needs before it issues a refresh token), `credential-process`
 * renews. The config line is the installed `fedlogin`.
 */
export function oidcRenewableProfile(
  name: string,
  idp: { issuer: string; clientId: string },
  roleArn: string,
): string[] {
  return profileSection(
    name,
    flowSettings.oidc({ issuer: idp.issuer, clientId: idp.clientId, roleArn, prompt: 'consent', device: false }),
    { credentialProcess: 'installed' },
  );
}

/** The text of an AWS file from sections (each a section's lines, or raw text lines), a blank line between them. */
export function awsConfigText(...sections: (string[] | string)[]): string {
  return `${sections.map((s) => (typeof s === 'string' ? s : s.join('\n'))).join('\n\n')}\n`;
}

/** Writes ~/.aws/config of a HOME from sections (see awsConfigText). */
export async function writeAwsConfig(
  home: { awsConfigFile: string },
  ...sections: (string[] | string)[]
): Promise<void> {
  await writeFile(home.awsConfigFile, awsConfigText(...sections));
}

/** The settings of each flow, by the names of ~/.aws/config. */
export const flowSettings = {
  webIdentity: (s: { roleArn: string; tokenFile: string }): ProfileSettings => ({
    fedlogin_flow: 'web-identity',
    fedlogin_role_arn: s.roleArn,
    fedlogin_token_file: s.tokenFile,
  }),
  /** prompt 'consent': oidc-provider issues refresh tokens in the auth-code flow only then */
  oidc: (s: {
    issuer: string;
    clientId: string;
    roleArn?: string;
    prompt?: string;
    device?: boolean;
  }): ProfileSettings => ({
    fedlogin_flow: 'oidc',
    fedlogin_issuer: s.issuer,
    fedlogin_client_id: s.clientId,
    fedlogin_role_arn: s.roleArn,
    fedlogin_prompt: s.prompt,
    fedlogin_device: s.device === undefined ? undefined : String(s.device),
  }),
  cognito: (s: {
    pool: string;
    issuer?: string;
    clientId?: string;
    login?: string;
    guest?: boolean;
    basicRoleArn?: string;
  }): ProfileSettings => ({
    fedlogin_flow: 'cognito',
    fedlogin_identity_pool_id: s.pool,
    fedlogin_issuer: s.issuer,
    fedlogin_client_id: s.clientId,
    fedlogin_login: s.login,
    fedlogin_guest: s.guest,
    fedlogin_basic: s.basicRoleArn !== undefined,
    fedlogin_role_arn: s.basicRoleArn,
  }),
  saml: (s: { idpUrl: string; roleArn?: string; browser?: string }): ProfileSettings => ({
    fedlogin_flow: 'saml',
    fedlogin_idp_url: s.idpUrl,
    fedlogin_role_arn: s.roleArn,
    fedlogin_browser: s.browser,
  }),
};

// ---- secret stores ---------------------------------------------------------------------------

/** A SecretStore in memory; `entries` shows what was stored. */
export function memorySecretStore(
  initial: Record<string, string> = {},
): SecretStore & { entries: Map<string, string> } {
  const entries = new Map(Object.entries(initial));
  return {
    kind: 'file',
    entries,
    get: async (key) => entries.get(key),
    set: async (key, value) => void entries.set(key, value),
    delete: async (key) => entries.delete(key),
  };
}

// ---- runs without a person -----------------------------------------------------------------

/**
 * The OIDC dependencies of a run with no person at a terminal (credential_process under a CI
 * runner): not interactive, no browser, and STS, a browser or a prompt fail the test if reached.
 */
export function noPersonOidcDeps(secrets: SecretStore, overrides: Partial<OidcLoginDeps> = {}): OidcLoginDeps {
  return {
    logger: silentLogger,
    secrets,
    sts: () => Promise.reject(new Error('STS must not be reached')),
    interactive: false,
    silentFirst: true,
    canOpenBrowser: false,
    openUrl: () => Promise.reject(new Error('no browser may be opened')),
    openPerson: () => {
      throw new Error('nobody is there');
    },
    singleFlight: (_key, renewal) => renewal(),
    ...overrides,
  };
}

// ---- the machine credential_process runs on -------------------------------------------------

/**
 * A machine for src/cli/launcher.ts without touching the disk: this fedlogin at
 * /opt/fedlogin/bin/fedlogin.js, node at /usr/bin/node, `links` symlinks (path -> target) and
 * `executables` other runnable files; `PATH` as the AWS tools would search it.
 */
export function launcherMachine(
  PATH: string,
  links: Record<string, string> = {},
  executables: string[] = [],
): LauncherDeps {
  const files = new Set(['/opt/fedlogin/bin/fedlogin.js', '/usr/bin/node', ...executables]);
  const realpath = (file: string) => {
    const target = links[file] ?? file;
    return files.has(target) ? target : undefined;
  };
  return {
    env: { PATH },
    launcher: '/opt/fedlogin/bin/fedlogin.js',
    nodePath: '/usr/bin/node',
    platform: 'linux',
    isExecutable: (file) => realpath(file) !== undefined,
    realpath,
  };
}
