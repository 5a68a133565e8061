/**
 * Where fedlogin keeps secrets between runs (cached credentials, refresh tokens): the OS keychain
 * or private files. Keys are not secret (cacheKey hashes); values are.
 */
export type SecretStoreKind = 'file' | 'keychain';

export interface SecretStore {
  readonly kind: SecretStoreKind;
  /** undefined when there is no entry (or it cannot be read back intact) */
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** true when an entry was removed */
  delete(key: string): Promise<boolean>;
}

/** The file store also reads synchronously, for credential-process's fast path. */
export interface SyncReadableSecretStore extends SecretStore {
  getSync(key: string): string | undefined;
}
