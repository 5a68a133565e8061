// The floor for `fedlogin web-identity --ci github`: the same exchange written plainly, the GitHub
// Actions ID-token request with node:http(s) and AssumeRoleWithWebIdentity with @aws-sdk/client-sts,
// printing the same credential_process JSON. Usage: node bench/plainCiGithub.mjs --role-arn R
// (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN, AWS_ENDPOINT_URL_STS and AWS_REGION from the environment).
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { printCredentialJson } from './credentialJson.mjs';

const roleArn = process.argv[process.argv.indexOf('--role-arn') + 1];
const url = new URL(`${process.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=sts.amazonaws.com`);
const token = await new Promise((resolve, reject) => {
  const send = url.protocol === 'https:' ? httpsRequest : request;
  send(url, { headers: { authorization: `Bearer ${process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` } }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => resolve(JSON.parse(body).value));
  })
    .on('error', reject)
    .end();
});
const client = new STSClient({ region: process.env.AWS_REGION ?? 'us-east-1', maxAttempts: 1 });
const { Credentials: c } = await client.send(
  new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'bench', WebIdentityToken: token }),
);
printCredentialJson(c);
