/**
 * A person's many roles at one SAML IdP: 12 roles over 6 accounts (read and admin in each), each
 * with its account's SAML provider and the profile name a test or bench gives it. For
 * `startSamlIdp({roles: ...})` (`role,provider` values) and the STS double's roles and providers.
 */
export const SAML_ACCOUNTS = [
  '111111111111',
  '222222222222',
  '333333333333',
  '444444444444',
  '555555555555',
  '666666666666',
] as const;

export interface SamlRoleGrant {
  profile: string;
  roleArn: string;
  provider: string;
}

export const TWELVE_SAML_ROLES: readonly SamlRoleGrant[] = SAML_ACCOUNTS.flatMap((account) =>
  ['read', 'admin'].map((name) => ({
    profile: `corp-${account}-${name}`,
    roleArn: `arn:aws:iam::${account}:role/${name}`,
    provider: `arn:aws:iam::${account}:saml-provider/corp`,
  })),
);

/** The IdP's Role attribute values for `grants`. */
export const roleAttributeValues = (grants: readonly SamlRoleGrant[]) =>
  grants.map((g) => `${g.roleArn},${g.provider}`);
