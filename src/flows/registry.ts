import type { FlowName, ProfileValues } from '../config/profileValues.js';
import type { ProfileProvider } from './provider.js';

/**
 * Each flow plugs in here with a lazy import, so credential-process loads only the flow the
 * profile uses, and only on a cache miss. A Record over FlowName: every flow the profile reader
 * accepts (fedlogin_flow) has a provider, which the compiler checks.
 */
const FACTORIES: Record<FlowName, () => Promise<(profile: ProfileValues) => ProfileProvider>> = {
  'web-identity': async () => (await import('./webIdentity/profileProvider.js')).webIdentityProvider,
  saml: async () => (await import('./saml/profileProvider.js')).samlProvider,
  oidc: async () => (await import('./oidc/profileProvider.js')).oidcProvider,
  cognito: async () => (await import('./cognito/profileProvider.js')).cognitoProvider,
  sso: async () => (await import('./sso/profileProvider.js')).ssoProvider,
};

export async function providerFor(flow: FlowName, profile: ProfileValues): Promise<ProfileProvider> {
  return (await FACTORIES[flow]())(profile);
}
