// What every yardstick script prints: the credential_process JSON of STS's Credentials.
export function printCredentialJson(c) {
  process.stdout.write(
    `${JSON.stringify({
      Version: 1,
      AccessKeyId: c.AccessKeyId,
      SecretAccessKey: c.SecretAccessKey,
      SessionToken: c.SessionToken,
      Expiration: c.Expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    })}\n`,
  );
}
