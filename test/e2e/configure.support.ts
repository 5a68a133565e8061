import { realpathSync } from 'node:fs';
import { afterAll } from 'vitest';
import { credentialProcessLine } from '../../src/output/credentialProcessLine.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { makeTempHome, type TempHome } from '../support/cli/runCli.js';
import { FEDLOGIN_BIN, type RunningCli, spawnCli } from '../support/cli/spawnCli.js';
import { forSuite } from '../support/harness/suite.js';
import { startTokenIssuer, type TokenIssuer } from '../support/idp/tokenIssuer.js';

/**
 * What the `fedlogin configure` suites (configure.test.ts, security.files.test.ts) share: the role
 * they configure, the issuer and STS a configured profile logs in against, and the arguments of a
 * scripted `configure --flow oidc`.
 */

export const ROLE = 'arn:aws:iam::123456789012:role/ci';

/** A token issuer and an STS double whose ROLE trusts it (audience sts.amazonaws.com, subjects repo:octo/*), for the file or describe block. */
export function issuerAndStsForSuite(): { readonly issuer: TokenIssuer; readonly sts: StsEndpoint } {
  return forSuite(
    'the token issuer and STS',
    async () => {
      const issuer = await startTokenIssuer();
      try {
        const sts = await startStsEndpoint({
          roles: {
            [ROLE]: { trust: { issuer: issuer.url, audiences: ['sts.amazonaws.com'], subjects: ['repo:octo/*'] } },
          },
        });
        return { issuer, sts };
      } catch (error) {
        await issuer.close();
        throw error;
      }
    },
    ({ issuer, sts }) => Promise.all([sts.close(), issuer.close()]),
  );
}

/** `fedlogin configure --profile <profile> --flow oidc --issuer <issuer>`, then the rest of the flags. */
export const configureOidc = (profile: string, issuer: string, ...rest: string[]) => [
  'configure',
  '--profile',
  profile,
  '--flow',
  'oidc',
  '--issuer',
  issuer,
  ...rest,
];

/**
 * The credential_process line configure writes when run from this checkout with no `fedlogin` of
 * it on PATH (the hermetic PATH of the tests): the checkout's launcher by its absolute path.
 */
export const checkoutCredentialProcessLine = (profile: string) =>
  `credential_process = ${credentialProcessLine(profile, realpathSync(FEDLOGIN_BIN))}`;

export const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
/** SGR sequences: colours and bold/dim (cursor movement is not colour) */
export const COLOUR_SEQUENCE = /\x1b\[[0-9;]*m/;

export const ENTER = '\r';
export const ESC = '\x1b';
export const CTRL_C = '\x03';
export const CLEAR_LINE = '\x15';

/**
 * The built CLI under a pseudo-terminal (spawnCli's `terminal`: util-linux `script`, so /dev/tty
 * exists), driven by typing into the terminal once a prompt's text has appeared. Used by the
 * configure and prompt suites.
 */
export class PtySession {
  private constructor(private readonly cli: RunningCli) {}

  /** `env` needs HOME; TERM is xterm; `undefined` removes a variable (NO_COLOR, to see colours) */
  static start(args: string[], env: Record<string, string | undefined>): PtySession {
    return new PtySession(
      spawnCli(args, { home: env.HOME!, env: { ...env, TERM: 'xterm' }, terminal: true, stdin: 'pipe' }),
    );
  }

  /** what the terminal showed, escape sequences and all */
  get raw(): string {
    return this.cli.stderr();
  }

  get text(): string {
    return stripAnsi(this.cli.stderr());
  }

  /** Waits (bounded) until `text` has appeared after `from` characters of output; returns where it ended. */
  waitFor(text: string, from = 0, timeoutMs = 20_000): Promise<number> {
    return this.cli.waitUntil(
      () => {
        const at = this.text.indexOf(text, from);
        return at >= 0 ? at + text.length : undefined;
      },
      timeoutMs,
      `"${text}" on the terminal`,
    );
  }

  type(keys: string): void {
    this.cli.write(keys);
  }

  async exitCode(timeoutMs = 15_000): Promise<number | null> {
    return (await this.cli.exited(timeoutMs)).code;
  }

  kill(): void {
    this.cli.kill();
  }
}

/** A fresh HOME per call, all removed after the file's tests. */
export function tempHomesForFile(): () => Promise<TempHome> {
  const homes: TempHome[] = [];
  afterAll(async () => {
    await Promise.all(homes.map((h) => h.cleanup()));
  });
  return async () => {
    const home = await makeTempHome();
    homes.push(home);
    return home;
  };
}
