import { performance } from 'node:perf_hooks';
import type { SessionPolicy } from '../../aws/sessionPolicy.js';
import type { StsApi } from '../../aws/stsClient.js';
import type { Clock } from '../../core/clock.js';
import type { Credentials } from '../../core/credentials.js';
import { isFedloginError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { checkAssertion } from './checkAssertion.js';
import { pickRole, roleChoiceNeeded } from './chooseRole.js';
import { exchangeAssertion, samlDuration } from './exchange.js';
import { parseSamlResponse, type SamlAssertionInfo } from './parseAssertion.js';
import type { SamlRole } from './samlRole.js';

/** Where the SAMLResponse comes from: a file or stdin (once), or the browser (again when asked). */
export interface AssertionSource {
  description: string;
  /** whether asking again can give a fresh assertion (the browser can; a file cannot) */
  renewable: boolean;
  get(): Promise<{ samlResponse: string; capturedAt?: number | undefined; closed?: Promise<void> | undefined }>;
}

export interface SamlLoginSettings {
  roleArn?: string | undefined;
  durationSeconds?: number | undefined;
  aliases: ReadonlyMap<string, string>;
  /** session policies for AssumeRoleWithSAML, already read and checked */
  sessionPolicy?: SessionPolicy | undefined;
}

export interface SamlLoginDeps {
  source: AssertionSource;
  /** an STS client in the role's partition and region */
  stsFor: (role: SamlRole) => Promise<StsApi>;
  /** asks a person to choose; undefined when nobody can be asked */
  prompt?: ((roles: readonly SamlRole[], aliases: ReadonlyMap<string, string>) => Promise<SamlRole>) | undefined;
  logger: Logger;
  clock: Clock;
  /** started while the browser runs: load what the exchange needs (the STS client) ahead of time */
  prepare?: (() => void) | undefined;
}

export interface SamlLoginResult {
  credentials: Credentials;
  role: SamlRole;
  info: SamlAssertionInfo;
  /** performance.now() when the assertion was captured in the browser */
  capturedAt: number | undefined;
  /** the browser closes while STS is asked and the credentials are delivered: await it before exiting */
  closed: Promise<void>;
}

/** Gets, parses and checks an assertion: the shared first half of a login and of --all-roles. */
export async function readAssertion(source: AssertionSource, logger: Logger, clock: Clock) {
  const { samlResponse, capturedAt, closed = Promise.resolve() } = await source.get();
  logger.addSecret(samlResponse);
  try {
    const info = parseSamlResponse(samlResponse);
    logger.debug(
      `SAML assertion from ${source.description}: issuer=${info.issuer ?? '?'} subject=${info.subject ?? '?'} roles=${info.roles.length} notOnOrAfter=${info.notOnOrAfter?.toISOString() ?? '?'}`,
    );
    checkAssertion(info, clock.now());
    if (capturedAt !== undefined)
      logger.debug(
        `timing: assertion parsed and checked ${Math.round(performance.now() - capturedAt)} ms after the capture`,
      );
    return { samlResponse, info, capturedAt, closed };
  } catch (error) {
    await closed;
    throw error;
  }
}

/**
 * SAML login: assertion -> role (named, the only one, or chosen) -> AssumeRoleWithSAML. When STS
 * says the assertion expired and the source can give a new one, signs in once more.
 */
export async function loginWithSaml(settings: SamlLoginSettings, deps: SamlLoginDeps): Promise<SamlLoginResult> {
  const { logger } = deps;
  let chosen: SamlRole | undefined;
  for (let attempt = 1; ; attempt++) {
    deps.prepare?.();
    const { samlResponse, info, capturedAt, closed } = await readAssertion(deps.source, logger, deps.clock);
    // the browser closes while the role is chosen and STS is asked; the profile must be free before a retry or exit
    try {
      return { ...(await exchangeFor(samlResponse, info, capturedAt)), closed };
    } catch (error) {
      await closed;
      const expired = isFedloginError(error) && error.code === 'TOKEN_EXPIRED';
      if (!expired || !deps.source.renewable || attempt > 1) throw error;
      logger.notice('STS says the SAML assertion has expired; signing in once more for a fresh one.');
    }
  }

  async function exchangeFor(
    samlResponse: string,
    info: SamlAssertionInfo,
    capturedAt: number | undefined,
  ): Promise<Omit<SamlLoginResult, 'closed'>> {
    let role = chosen
      ? pickRole(info.roles, chosen.roleArn, settings.aliases)
      : pickRole(info.roles, settings.roleArn, settings.aliases);
    if (!role) {
      if (!deps.prompt) throw roleChoiceNeeded(info.roles, settings.aliases);
      role = await deps.prompt(info.roles, settings.aliases);
    }
    chosen = role;
    const sts = await deps.stsFor(role);
    if (capturedAt !== undefined)
      logger.debug(`timing: STS client ready ${Math.round(performance.now() - capturedAt)} ms after the capture`);
    const startedExchange = performance.now();
    const credentials = await exchangeAssertion(
      sts,
      role,
      samlResponse,
      samlDuration(settings.durationSeconds, info, logger),
      logger,
      settings.sessionPolicy,
    );
    logger.debug(`timing: AssumeRoleWithSAML took ${Math.round(performance.now() - startedExchange)} ms`);
    return { credentials, role, info, capturedAt };
  }
}
