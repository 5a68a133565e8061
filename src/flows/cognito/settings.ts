import type { OidcSignInSettings } from '../oidc/settings.js';
import type { IdentityPoolId } from './identityPoolId.js';
import type { LoginSpec } from './loginSpec.js';

/** Everything the Cognito flow needs, resolved from flags or profile keys. */
export interface CognitoSettings {
  pool: IdentityPoolId;
  /** logins read from files; empty with guest access */
  logins: LoginSpec[];
  /** a login through the OIDC flow: its ID token goes under `key` (the issuer's host and path) */
  oidc?: { key: string; signIn: OidcSignInSettings } | undefined;
  guest: boolean;
  /** the basic (classic) flow: GetOpenIdToken, then AssumeRoleWithWebIdentity into roleArn */
  basic?: { roleArn: string; roleSessionName?: string | undefined; durationSeconds?: number | undefined } | undefined;
  /** enhanced flow: the role to choose when the pool's role rules allow several */
  customRoleArn?: string | undefined;
}
