import type { Credentials } from '../core/credentials.js';
import { formatRfc3339Seconds } from './rfc3339.js';

/**
 * The body a container-credentials endpoint answers with, as the ECS agent does and as every SDK
 * reads it: {"AccessKeyId","SecretAccessKey","Token","Expiration"} (note `Token`, not
 * `SessionToken`), plus "AccountId" when known. Expiration is RFC 3339 UTC in whole seconds, the
 * shape the JS SDK's strict parser accepts.
 */
export function formatContainerCredentialsJson(creds: Credentials): string {
  const body: Record<string, string> = {
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
  };
  if (creds.sessionToken) body.Token = creds.sessionToken;
  body.Expiration = formatRfc3339Seconds(creds.expiration);
  if (creds.accountId) body.AccountId = creds.accountId;
  return JSON.stringify(body);
}
