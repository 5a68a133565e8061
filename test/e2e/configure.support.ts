import { realpathSync } from 'node:fs';
import { credentialProcessLine } from '../../src/output/credentialProcessLine.js';
import { type StsEndpoint, startStsEndpoint } from '../support/aws/stsEndpoint.js';
import { FEDLOGIN_BIN } from '../support/cli/spawnCli.js';
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
