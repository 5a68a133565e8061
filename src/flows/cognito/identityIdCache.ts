import { createHash } from 'node:crypto';
import type { SecretStore } from '../../store/secretStore.js';

/**
 * Where the IdentityId of a user in a pool is remembered, as the AWS SDKs do, so that GetId runs
 * once per user: keyed by the endpoint, the pool and who logs in (each login's key, plus iss and
 * sub of JWT logins), or by the pool alone for guests. The key is a hash; the value is the
 * IdentityId (not a secret, but the store keeps it private anyway).
 */
export function identityIdKey(endpoint: string, identityPoolId: string, who: string[]): string {
  const material = JSON.stringify([endpoint, identityPoolId, [...who].sort()]);
  return `cognito-identity-v1-${createHash('sha256').update(material).digest('hex').slice(0, 32)}`;
}

const IDENTITY_ID = /^[a-z]{2}(-[a-z]+)+-\d+:[0-9a-f-]{36}$/i;

export async function readIdentityId(store: SecretStore, key: string): Promise<string | undefined> {
  const value = (await store.get(key))?.trim();
  return value && IDENTITY_ID.test(value) ? value : undefined;
}
