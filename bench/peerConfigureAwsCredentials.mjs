// The peer for `fedlogin web-identity --ci github`: aws-actions/configure-aws-credentials is not on
// npm and cannot be fetched here, so this is its own libraries doing its own calls, as its source
// does (src/index.ts, src/assumeRole.ts): @actions/core's getIDToken for the GitHub OIDC token,
// then STSClient + AssumeRoleWithWebIdentityCommand from @aws-sdk/client-sts. It prints the same
// credential_process JSON (after the ::add-mask:: line getIDToken writes). Usage:
// node bench/peerConfigureAwsCredentials.mjs --role-arn R
import { getIDToken } from '@actions/core';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { printCredentialJson } from './credentialJson.mjs';

const roleArn = process.argv[process.argv.indexOf('--role-arn') + 1];
const token = await getIDToken('sts.amazonaws.com');
const client = new STSClient({ region: process.env.AWS_REGION ?? 'us-east-1', maxAttempts: 1 });
const { Credentials: c } = await client.send(
  new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'bench', WebIdentityToken: token }),
);
printCredentialJson(c);
