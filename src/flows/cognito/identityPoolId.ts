import { usageError } from '../../core/errors.js';

export interface IdentityPoolId {
  /** REGION:UUID, as given (trimmed) */
  id: string;
  /** the pool's region: the ID's prefix */
  region: string;
}

const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Validates an identity pool ID's shape (REGION:UUID) and reads its region. Pure. */
export function parseIdentityPoolId(value: string, origin = '--identity-pool-id'): IdentityPoolId {
  const id = value.trim();
  const match = POOL_ID.exec(id);
  if (!match) {
    throw usageError('IDENTITY_POOL_ID_INVALID', `${origin} is not a Cognito identity pool ID: "${value}".`, {
      hint: 'Expected REGION:UUID, e.g. us-east-1:0f3c9d2e-7a1b-4c5d-8e9f-0a1b2c3d4e5f (Cognito console > Identity pools).',
    });
  }
  return { id, region: match[1]!.toLowerCase() };
}
