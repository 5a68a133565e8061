// The floor for fedlogin's OIDC refresh-token renewal: the same renewal written plainly, discovery
// and the refresh grant with node:http, then AssumeRoleWithWebIdentity with @aws-sdk/client-sts,
// printing the same credential_process JSON. The refresh token is read from (and the rotated one
// written back to) a 0600 file. Usage:
//   node bench/plainOidcRefresh.mjs --issuer URL --client-id ID --role-arn R --refresh-token-file F
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { printCredentialJson } from './credentialJson.mjs';

const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const call = (url, options = {}, body) =>
  new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode} ${text}`)),
      );
    });
    req.on('error', reject);
    req.end(body);
  });

const discovery = await call(`${arg('--issuer')}/.well-known/openid-configuration`);
const file = arg('--refresh-token-file');
const form = new URLSearchParams({
  grant_type: 'refresh_token',
  refresh_token: readFileSync(file, 'utf8').trim(),
  client_id: arg('--client-id'),
}).toString();
const tokens = await call(
  discovery.token_endpoint,
  {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(form) },
  },
  form,
);
if (tokens.refresh_token) writeFileSync(file, tokens.refresh_token, { mode: 0o600 });
const client = new STSClient({ region: process.env.AWS_REGION ?? 'us-east-1', maxAttempts: 1 });
const { Credentials: c } = await client.send(
  new AssumeRoleWithWebIdentityCommand({
    RoleArn: arg('--role-arn'),
    RoleSessionName: 'bench',
    WebIdentityToken: tokens.id_token,
  }),
);
printCredentialJson(c);
