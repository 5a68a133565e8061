import type { ProfileValues } from '../../config/profileValues.js';
import { usageError } from '../../core/errors.js';
import { openProfileStore } from '../cachedLogin.js';
import { flowCallPolicy } from '../profileChain.js';
import type { ProfileProvider } from '../provider.js';
import { loginWithSaml } from './login.js';
import { resolveSamlSettings } from './resolveSettings.js';
import type { SamlRole } from './samlRole.js';
import { sharedBrowserSource } from './sharedAssertion.js';
import { stsForRole } from './stsForRole.js';

/** What a person has to run when a saml profile cannot renew without them. */
export function needsSignInError(profile: string): Error {
  return usageError(
    'SAML_NEEDS_SIGN_IN',
    `The profile ${profile} needs you to sign in at the IdP, and there is no terminal here to open a browser for.`,
    { hint: `Run: fedlogin login --profile ${profile}` },
  );
}

/**
 * A saml profile (its keys: resolveSamlSettings). Renews silently through the browser session
 * when it can, with a window when a person is there; an assertion another profile of the same IdP
 * got minutes ago is reused (sharedAssertion.ts).
 */
export function samlProvider(profile: ProfileValues): ProfileProvider {
  return {
    async login(context) {
      const { env, logger } = context;
      const settings = {
        ...resolveSamlSettings({}, profile),
        sessionPolicy: await flowCallPolicy(profile, env),
      };
      // without flags there is no assertion file: the resolver has insisted on fedlogin_idp_url
      const idpUrl = settings.idpUrl!;
      const stsFor = stsForRole({
        env,
        logger,
        regionFlag: context.regionFlag,
        profileRegion: profile.string('region'),
        profileCaBundle: profile.string('ca_bundle'),
      });
      const promptForRole = context.interactive ? (await import('./promptRole.js')).promptForRole : undefined;
      const prompt =
        promptForRole &&
        ((roles: readonly SamlRole[], aliases: ReadonlyMap<string, string>) =>
          promptForRole(roles, aliases, { noColor: context.noColor, env }));
      const result = await loginWithSaml(settings, {
        // one IdP round trip for every profile of this IdP renewing now (sharedAssertion.ts)
        source: sharedBrowserSource(
          { ...settings, idpUrl },
          { interactive: context.interactive, needsPerson: () => needsSignInError(profile.name) },
          { env, logger, clock: context.clock, store: await openProfileStore(profile.profile, env) },
        ),
        stsFor,
        prepare: () => stsFor.prepare(settings.roleArn),
        prompt,
        logger,
        clock: context.clock,
      });
      await result.closed;
      return result.credentials;
    },
  };
}
