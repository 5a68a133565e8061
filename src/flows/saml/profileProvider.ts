import { usageError } from '../../core/errors.js';
import { profileKeyError } from '../../config/profileErrors.js';
import type { ProfileValues } from '../../config/profileValues.js';
import type { ProfileProvider } from '../provider.js';
import { parseAccountAliases } from './accountAliases.js';
import { compileAcsPattern } from './acsUrl.js';
import { samlResponseFromBrowser, type BrowserMode } from './browserLogin.js';
import { loginWithSaml } from './login.js';
import { stsForRole } from './stsForRole.js';

export const DEFAULT_LOGIN_TIMEOUT_SECONDS = 300;
export const SILENT_RENEWAL_TIMEOUT_MS = 10_000;

/** What a person has to run when a saml profile cannot renew without them. */
export function needsSignInError(profile: string): Error {
  return usageError(
    'SAML_NEEDS_SIGN_IN',
    `The profile ${profile} needs you to sign in at the IdP, and there is no terminal here to open a browser for.`,
    `Run: fedlogin login --profile ${profile}`,
  );
}

/**
 * A saml profile: fedlogin_idp_url, fedlogin_role_arn, fedlogin_browser, fedlogin_acs_url_pattern,
 * fedlogin_account_aliases, fedlogin_duration, fedlogin_browser_mode, fedlogin_login_timeout,
 * fedlogin_silent_timeout.
 * Renews silently through the browser session when it can, with a window when a person is there.
 */
export function samlProvider(profile: ProfileValues): ProfileProvider {
  return {
    needsPerson: true,
    async login(context) {
      const { env, logger } = context;
      const idpUrl = profile.string('fedlogin_idp_url');
      if (!idpUrl) {
        throw profileKeyError(profile.profile, 'fedlogin_idp_url', "is missing: set it to the AWS app's IdP-initiated sign-on URL.");
      }
      const pattern = profile.string('fedlogin_acs_url_pattern');
      if (pattern) profile.parsed('fedlogin_acs_url_pattern', compileAcsPattern);
      const aliases = profile.parsed('fedlogin_account_aliases', (v) => parseAccountAliases(v)) ?? new Map<string, string>();
      const mode = profile.choice<BrowserMode>('fedlogin_browser_mode', ['auto', 'headed', 'headless']) ?? 'auto';
      const timeoutSeconds = profile.seconds('fedlogin_login_timeout', 10, 3600) ?? DEFAULT_LOGIN_TIMEOUT_SECONDS;
      const stsFor = stsForRole({ env, logger, regionFlag: context.regionFlag, profileRegion: profile.string('region') });
      const roleArn = profile.string('fedlogin_role_arn');
      const prompt = context.interactive ? (await import('./promptRole.js')).promptForRole : undefined;
      const result = await loginWithSaml(
        {
          roleArn,
          durationSeconds: profile.seconds('fedlogin_duration', 900, 43_200),
          aliases,
        },
        {
          source: {
            description: `the browser (${idpUrl})`,
            renewable: true,
            get: () =>
              samlResponseFromBrowser(
                {
                  idpUrl,
                  browser: profile.string('fedlogin_browser'),
                  acsUrlPattern: pattern,
                  mode,
                  timeoutMs: timeoutSeconds * 1000,
                  silentTimeoutMs: (profile.seconds('fedlogin_silent_timeout', 1, 120) ?? SILENT_RENEWAL_TIMEOUT_MS / 1000) * 1000,
                  interactive: context.interactive,
                  needsPerson: () => needsSignInError(profile.name),
                },
                { env, logger },
              ),
          },
          stsFor,
          prepare: () => stsFor.prepare(roleArn),
          prompt,
          logger,
          clock: context.clock,
        },
      );
      await result.closed;
      return result.credentials;
    },
  };
}
