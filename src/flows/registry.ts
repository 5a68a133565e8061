import { usageError } from '../core/errors.js';
import type { FlowName } from '../config/profileValues.js';
import type { ProfileValues } from '../config/profileValues.js';
import type { ProfileProvider } from './provider.js';

/**
 * Each flow plugs in here with a lazy import, so credential-process loads only the flow the
 * profile uses, and only on a cache miss.
 */
const FACTORIES: Partial<Record<FlowName, () => Promise<(profile: ProfileValues) => ProfileProvider>>> = {
  'web-identity': async () => (await import('./webIdentity/profileProvider.js')).webIdentityProvider,
  saml: async () => (await import('./saml/profileProvider.js')).samlProvider,
  oidc: async () => (await import('./oidc/profileProvider.js')).oidcProvider,
  cognito: async () => (await import('./cognito/profileProvider.js')).cognitoProvider,
};

/** Flows whose full login needs a person (a browser or a prompt). */
export const INTERACTIVE_FLOWS: ReadonlySet<FlowName> = new Set(['saml', 'oidc']);

export async function providerFor(flow: FlowName, profile: ProfileValues): Promise<ProfileProvider> {
  const factory = FACTORIES[flow];
  if (!factory) {
    throw usageError(
      'FLOW_NOT_AVAILABLE',
      `The ${flow} flow is not available in this version of fedlogin (${profile.profile.file} [${profile.profile.section}] fedlogin_flow).`,
      'See the CHANGELOG for the flows this version supports.',
    );
  }
  return (await factory())(profile);
}
