/** AWS session credentials as fedlogin passes them between its parts. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  /** when STS says they stop working */
  expiration: Date;
  /** the account of the role, when known (credential_process may carry it) */
  accountId?: string | undefined;
  /** when fedlogin received them (kept in the cache: the session's real length sets the refresh window) */
  obtainedAt?: Date | undefined;
}

/** Milliseconds left before the credentials expire, per the given clock. */
export function msUntilExpiry(credentials: Pick<Credentials, 'expiration'>, now: number): number {
  return credentials.expiration.getTime() - now;
}

/** The secret values of a credential set, for redaction and leak scans. */
export function secretsOf(credentials: Credentials): string[] {
  return [credentials.secretAccessKey, credentials.sessionToken ?? ''].filter((s) => s.length > 0);
}
