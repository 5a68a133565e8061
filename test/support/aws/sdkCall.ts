import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput, STSClient } from '@aws-sdk/client-sts';

/**
 * Calls made with the real AWS SDK v3, to prove that credentials fedlogin hands out work for an
 * actual consumer (against the local STS endpoint or moto).
 */

export interface SdkCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/** An STSClient for a local endpoint; one attempt unless told, so refusals surface at once. */
export function stsClient(
  endpointUrl: string,
  credentials?: SdkCredentials,
  opts: { region?: string; maxAttempts?: number } = {},
): STSClient {
  return new STSClient({
    region: opts.region ?? 'us-east-1',
    endpoint: endpointUrl,
    maxAttempts: opts.maxAttempts ?? 1,
    ...(credentials ? { credentials } : {}),
  });
}

export async function getCallerIdentity(
  credentials: SdkCredentials,
  endpointUrl: string,
  region = 'us-east-1',
): Promise<GetCallerIdentityCommandOutput> {
  const client = stsClient(endpointUrl, credentials, { region });
  try {
    return await client.send(new GetCallerIdentityCommand({}));
  } finally {
    client.destroy();
  }
}
