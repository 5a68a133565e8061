import { requireProfile } from '../../../config/profileSettings.js';
import { ProfileValues } from '../../../config/profileValues.js';
import { requireDuration } from '../../../core/duration.js';
import { usageError } from '../../../core/errors.js';
import { escapeControl } from '../../../core/escapeControl.js';
import { SIGN_IN_TIMEOUT_SECONDS } from '../../../flows/oidc/resolveSettings.js';
import { accessTokenFor, DEFAULT_SSO_TIMEOUT_MS, loginToSso } from '../../../flows/sso/login.js';
import { nodeSsoDeps } from '../../../flows/sso/nodeSsoDeps.js';
import { resolveProfileSession, resolveSsoSession } from '../../../flows/sso/resolveSettings.js';
import type { SsoSession } from '../../../flows/sso/settings.js';
import { contextFor } from '../../../flows/sso/signIn.js';
import {
  checkTemplate,
  DEFAULT_SYNC_TEMPLATE,
  type SsoGrant,
  ssoPlanOptions,
  wantedSsoProfiles,
} from '../../../flows/sso/sync.js';
import { ssoTokenPath } from '../../../flows/sso/tokenCache.js';
import type { CliContext } from '../../context.js';
import { sessionCaBundle, signOutOfSsoSession } from '../../ssoSessions.js';
import { syncProfiles } from '../../syncProfiles.js';
import { hasTerminal } from '../../terminal.js';

interface SessionOption {
  ssoSession?: string;
}

/** --sso-session, else the session of --profile (or AWS_PROFILE). */
function sessionFrom(options: SessionOption, context: CliContext): SsoSession {
  if (options.ssoSession) return resolveSsoSession(context.env, options.ssoSession);
  if (context.profile)
    return resolveProfileSession(context.env, new ProfileValues(requireProfile(context.env, context.profile)));
  throw usageError(
    'SSO_SETTINGS_MISSING',
    'Say which sign-in: --sso-session NAME, or --profile P naming a profile of that session.',
    {
      hint: 'Example: fedlogin sso login --sso-session corp',
    },
  );
}

export interface SsoLoginOptions extends SessionOption {
  device?: boolean;
  /** false with --no-browser; a name or path with --browser */
  browser?: string | false;
  browserProfile?: string;
  timeout?: string;
}

export async function runSsoLogin(options: SsoLoginOptions, context: CliContext): Promise<void> {
  const session = sessionFrom(options, context);
  const browser = {
    browser: typeof options.browser === 'string' ? options.browser : undefined,
    profile: options.browserProfile,
  };
  const deps = nodeSsoDeps(session, {
    env: context.env,
    logger: context.logger,
    browser,
    caBundle: sessionCaBundle(session, context),
  });
  const timeoutMs =
    options.timeout !== undefined
      ? requireDuration(options.timeout, SIGN_IN_TIMEOUT_SECONDS, '--timeout', 'TIMEOUT_INVALID') * 1000
      : DEFAULT_SSO_TIMEOUT_MS;
  const entry = await loginToSso(
    session,
    { device: options.device, openBrowser: options.browser !== false, timeoutMs },
    deps,
  );
  context.logger.notice(
    `Signed in to ${session.label} (${escapeControl(session.startUrl)}); the token is valid until ${entry.expiresAt.toISOString()} and saved in ${ssoTokenPath(context.env, session)}.`,
  );
}

export async function runSsoLogout(options: SessionOption, context: CliContext): Promise<void> {
  await signOutOfSsoSession(sessionFrom(options, context), context);
}

export interface SsoSyncOptions extends SessionOption {
  template?: string;
  prune?: boolean;
  dryRun?: boolean;
}

export async function runSsoSync(options: SsoSyncOptions, context: CliContext): Promise<void> {
  const session = sessionFrom(options, context);
  if (!session.name) {
    throw usageError(
      'SSO_SETTINGS_MISSING',
      `sso sync writes profiles that name an sso-session; ${session.label} has none.`,
      {
        hint: 'Move sso_start_url and sso_region into an [sso-session NAME] section, or run fedlogin configure --flow sso.',
      },
    );
  }
  const template = checkTemplate(options.template ?? DEFAULT_SYNC_TEMPLATE);
  const deps = nodeSsoDeps(session, {
    env: context.env,
    logger: context.logger,
    caBundle: sessionCaBundle(session, context),
  });
  const token = await accessTokenFor(session, deps, hasTerminal());
  const portal = await deps.portal();
  const grants: SsoGrant[] = [];
  for (const account of await portal.listAccounts(token.accessToken, contextFor(session, 'ListAccounts'))) {
    const roles = await portal.listAccountRoles(token.accessToken, account.accountId, {
      ...contextFor(session, 'ListAccountRoles'),
      accountId: account.accountId,
    });
    for (const roleName of roles)
      grants.push({ accountId: account.accountId, accountName: account.accountName, roleName });
  }
  const settings = { session: session.name, template, region: context.region ?? session.region };
  await syncProfiles(
    wantedSsoProfiles(grants, settings),
    {
      ...ssoPlanOptions(session.name),
      prune: options.prune === true,
      dryRun: options.dryRun === true,
      label: session.label,
      count: grants.length,
    },
    context,
  );
}
