// The yardstick for `fedlogin web-identity`: the same AssumeRoleWithWebIdentity done with nothing but
// @aws-sdk/client-sts, printing the same credential_process JSON. Usage:
//   node bench/plainSdk.mjs --token-file F --role-arn R
// The endpoint comes from AWS_ENDPOINT_URL_STS and the region from AWS_REGION, as for fedlogin.
import { readFileSync } from 'node:fs';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { printCredentialJson } from './credentialJson.mjs';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  if (i < 0 || !process.argv[i + 1])
    throw new Error(`usage: plainSdk.mjs --token-file F --role-arn R (missing ${name})`);
  return process.argv[i + 1];
};

const client = new STSClient({ region: process.env.AWS_REGION ?? 'us-east-1', maxAttempts: 1 });
const { Credentials: c } = await client.send(
  new AssumeRoleWithWebIdentityCommand({
    RoleArn: arg('--role-arn'),
    RoleSessionName: 'bench',
    WebIdentityToken: readFileSync(arg('--token-file'), 'utf8').trim(),
  }),
);
printCredentialJson(c);
