/** The scope the AWS CLI registers for: access to the accounts and roles of the portal. */
export const DEFAULT_SSO_SCOPES = ['sso:account:access'];

/** Where and how one IAM Identity Center sign-in happens: an [sso-session NAME] (or a legacy profile). */
export interface SsoSession {
  /** the sso-session name; undefined for a legacy profile with sso_start_url and no sso_session */
  name: string | undefined;
  startUrl: string;
  /** sso_region: where SSO-OIDC and the portal are called */
  region: string;
  scopes: string[];
  /** the token cache file's name: sha1 hex of the session name (of the start URL for a legacy profile) */
  cacheKey: string;
  /** who needs the sign-in, for messages: "sso-session corp" */
  label: string;
  /** what a person runs to sign in */
  signInCommand: string;
}

/** An SSO profile: a session plus the account and role whose credentials it gets. */
export interface SsoRoleSettings {
  session: SsoSession;
  accountId: string;
  roleName: string;
}
