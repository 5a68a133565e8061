// A consumer in fedlogin's interop matrix: the JS SDK v3 in its own process, as an application
// would run it. Resolves a profile's credentials with fromIni or fromProcess (both read
// AWS_CONFIG_FILE; the profile's credential_process runs fedlogin), calls STS GetCallerIdentity at
// the given endpoint, and prints one JSON line.
//
// Usage: node callerid.mjs ini|process PROFILE ENDPOINT_URL
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const [provider, profile, endpoint] = process.argv.slice(2);
if (!['ini', 'process'].includes(provider ?? '') || !profile || !endpoint) {
  console.error('usage: node callerid.mjs ini|process PROFILE ENDPOINT_URL');
  process.exit(2);
}
const credentials =
  provider === 'ini'
    ? (await import('@aws-sdk/credential-provider-ini')).fromIni({ profile })
    : (await import('@aws-sdk/credential-provider-process')).fromProcess({ profile });
const client = new STSClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });
try {
  const out = await client.send(new GetCallerIdentityCommand({}));
  // the client's memoized identity: what the SDK made of fedlogin's JSON
  const identity = await client.config.credentials();
  console.log(
    JSON.stringify({
      Account: out.Account,
      Arn: out.Arn,
      UserId: out.UserId,
      AccessKeyId: identity.accessKeyId,
      Expiration: identity.expiration?.toISOString(),
    }),
  );
} catch (error) {
  console.error(`${error?.name ?? 'Error'}: ${error?.message ?? error}`);
  process.exitCode = 1;
} finally {
  client.destroy();
}
