import { stsEndpointFor } from '../../../aws/stsEndpoint.js';
import { loadProfile, type ProfileSettings } from '../../../config/profileSettings.js';
import { ProfileValues } from '../../../config/profileValues.js';
import { isFedloginError } from '../../../core/errors.js';
import { plural } from '../../../core/plural.js';
import { configFilePath, credentialsFilePath, findShadowingStaticKeys, readAwsFile } from '../../../store/awsFiles.js';
import type { IniDocument } from '../../../store/iniDocument.js';
import { listProfiles } from '../../../store/iniDocument.js';
import type { ProfileStatus } from '../../profileStatus.js';
import { chainChecks, isChained, leadsToFedlogin } from './chainChecks.js';
import { type Check, fail, ok, warn } from './check.js';
import { clockSkewCheck, skewFromDate } from './clockSkew.js';
import { credentialsPermissionsCheck } from './credentialsPermissions.js';
import { checkFlowSettings, type FlowTargets } from './flowSettings.js';
import type { ProbeResult } from './httpProbe.js';
import { type NetworkCheckDeps, networkChecks, throughProxy, tlsInspectionCheck } from './networkChecks.js';
import {
  browserCheck,
  credentialProcessCheck,
  idpReachableCheck,
  type ProfileCheckDeps,
  profileKeysCheck,
  secretStoreCheck,
  tokenCheck,
} from './profileChecks.js';

/** A profile's cached credentials, as status shows them. */
export type CachedState = Pick<ProfileStatus, 'state' | 'expiration' | 'store'>;

export interface DoctorDeps extends ProfileCheckDeps, Partial<Pick<NetworkCheckDeps, 'proxyAnswers' | 'tlsIssuer'>> {
  /** --profile / AWS_PROFILE; undefined checks every fedlogin profile */
  profile: string | undefined;
  regionFlag: string | undefined;
  /** mode bits of a file, undefined when it does not exist */
  fileMode: (file: string) => number | undefined;
  cachedState: (profile: ProfileSettings) => Promise<CachedState>;
}

/** Runs every check that applies and returns them in order; never throws for a setup problem. */
export async function runDoctor(deps: DoctorDeps): Promise<Check[]> {
  const { env } = deps;
  const checks: Check[] = [];
  const configFile = configFilePath(env);
  const credentialsFile = credentialsFilePath(env);

  const parsed = (file: string, id: string): IniDocument | undefined => {
    try {
      const doc = readAwsFile(file);
      checks.push(
        ok(
          id,
          `${file} ${deps.fileMode(file) === undefined ? 'does not exist' : 'parses'} (${plural(listProfiles(doc, id === 'config-file' ? 'config' : 'credentials').length, 'profile')}).`,
        ),
      );
      return doc;
    } catch (error) {
      if (!isFedloginError(error)) throw error;
      checks.push(fail(id, error.message, error.hint ?? null));
      return undefined;
    }
  };
  checks.push(...(await networkChecks(deps)));
  const configDoc = parsed(configFile, 'config-file');
  const credentialsDoc = parsed(credentialsFile, 'credentials-file');
  checks.push(credentialsPermissionsCheck(credentialsFile, deps.fileMode(credentialsFile), deps.platform));
  if (!configDoc) return checks;

  // fedlogin's profiles, and the chained ones (role_arn with source_profile) that lead to one
  const load = (name: string) => loadProfile(env, name);
  const names = deps.profile
    ? [deps.profile]
    : listProfiles(configDoc, 'config').filter((name) => {
        const profile = load(name);
        return profile !== undefined && leadsToFedlogin(profile, load);
      });
  if (names.length === 0) {
    checks.push(
      warn('profile', `No fedlogin profile in ${configFile}.`, 'Create one with: fedlogin configure --profile NAME'),
    );
    return checks;
  }
  const shadowed = credentialsDoc ? findShadowingStaticKeys(configDoc, credentialsDoc) : [];
  const keychain = memo(deps.probeKeychain);
  const probe = memoProbe(deps.probe);
  // a chained profile's source is checked too (once), after it: the queue grows as chains are followed
  const queue = [...names];
  const checked = new Set<string>();
  for (const name of queue) {
    if (checked.has(name)) continue;
    checked.add(name);
    const profile = loadProfile(env, name);
    if (!profile) {
      checks.push(
        fail(
          'profile',
          `No profile "${name}" in ${configFile}.`,
          `Create it with: fedlogin configure --profile ${name}`,
          name,
        ),
      );
      continue;
    }
    const source = await checkProfile(
      profile,
      { ...deps, probe, probeKeychain: keychain },
      shadowed,
      credentialsFile,
      checks,
    );
    if (source) queue.push(source);
  }
  return checks;
}

/** The checks of one profile; returns its source profile's name when it is chained through one. */
async function checkProfile(
  profile: ProfileSettings,
  deps: DoctorDeps,
  shadowed: string[],
  credentialsFile: string,
  checks: Check[],
): Promise<string | undefined> {
  const name = profile.name;
  const values = new ProfileValues(profile);
  const chained = isChained(profile) ? chainChecks(profile, deps.env) : undefined;
  const source = chained?.chain && chained.chain.root !== profile ? chained.chain.profiles[1]!.name : undefined;
  if (values.string('source_profile') !== undefined && values.string('fedlogin_flow') === undefined) {
    // the AWS CLI's chain: its flow, IdP and STS are the source profile's, checked with it
    checks.push(...chained!.checks);
    checks.push(await secretStoreCheck(profile, deps));
    checks.push(await cachedCheck(profile, deps));
    return source;
  }
  const settings = checkFlowSettings(values, deps.env, deps.regionFlag);
  checks.push(settings.check);
  if (chained) checks.push(...chained.checks);
  const keys = profileKeysCheck(values);
  if (keys) checks.push(keys);
  checks.push(credentialProcessCheck(values, deps.launcher));
  checks.push(shadowingCheck(name, shadowed, credentialsFile));
  checks.push(await secretStoreCheck(profile, deps));
  const targets = settings.targets;
  if (targets) {
    if (targets.flow === 'saml') checks.push(browserCheck(targets, deps, name));
    const idp = await idpReachableCheck(targets, deps, name);
    if (idp) checks.push(idp.check);
    checks.push(...(await stsChecks(targets, deps, name, idp)));
    const token = tokenCheck(targets, deps, name);
    if (token) checks.push(token);
  }
  checks.push(await cachedCheck(profile, deps));
  return undefined;
}

function shadowingCheck(name: string, shadowed: string[], credentialsFile: string): Check {
  return shadowed.includes(name)
    ? fail(
        'shadowing',
        `[${name}] in ${credentialsFile} holds long-term keys; the AWS tools use them instead of credential_process.`,
        `Remove the [${name}] section from ${credentialsFile}, or rename the profile.`,
        name,
      )
    : ok('shadowing', `No long-term keys in ${credentialsFile} shadow this profile.`, name);
}

async function stsChecks(
  targets: FlowTargets,
  deps: DoctorDeps,
  name: string,
  idp: { date?: string; sentAt?: number; receivedAt?: number } | undefined,
): Promise<Check[]> {
  const url = stsEndpointFor(targets.region, deps.env);
  const answer = await deps.probe(url, deps.timeoutMs);
  const checks: Check[] = [];
  let skew: number | undefined;
  let against = `STS (${url})`;
  if (answer.reachable) {
    checks.push(ok('sts-reachable', `STS answers at ${url}${throughProxy(url)}.`, name));
    if (answer.date) skew = skewFromDate(answer.date, answer.sentAt, answer.receivedAt);
  } else {
    checks.push(
      fail(
        'sts-reachable',
        `Cannot reach STS at ${url} (${answer.reason}).`,
        answer.fix ?? 'Check your network, VPN or proxy, and AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL if set.',
        name,
      ),
    );
  }
  // whether TLS to STS is re-signed on the way (a TLS-inspecting proxy): an info line
  // (only when STS answered, or its certificate was refused: an unreachable host is not asked twice)
  const inspection =
    answer.reachable || answer.fix !== undefined ? await tlsInspectionCheck(url, deps, name) : undefined;
  if (inspection) checks.push(inspection);
  if (skew === undefined && idp?.date && idp.sentAt !== undefined && idp.receivedAt !== undefined) {
    skew = skewFromDate(idp.date, idp.sentAt, idp.receivedAt);
    against = 'the IdP';
  }
  if (skew !== undefined) checks.push(clockSkewCheck(skew, against, name));
  return checks;
}

async function cachedCheck(profile: ProfileSettings, deps: DoctorDeps): Promise<Check> {
  const name = profile.name;
  try {
    const { state, expiration, store } = await deps.cachedState(profile);
    const login = `fedlogin login --profile ${name}`;
    switch (state) {
      case 'valid':
        return ok('cached-credentials', `Cached credentials (${store} store) are valid until ${expiration}.`, name);
      case 'refresh-due':
        return ok(
          'cached-credentials',
          `Cached credentials (${store} store) expire at ${expiration}; the next use refreshes them.`,
          name,
        );
      case 'expired':
        return warn(
          'cached-credentials',
          `Cached credentials (${store} store) expired at ${expiration}; the next use logs in again.`,
          `To log in now: ${login}`,
          name,
        );
      case 'none':
        return ok('cached-credentials', `No cached credentials yet (${store} store); the first use logs in.`, name);
    }
  } catch (error) {
    if (!isFedloginError(error)) throw error;
    return fail('cached-credentials', error.message, error.hint ?? null, name);
  }
}

function memo<T>(get: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= get());
}

function memoProbe(probe: ProfileCheckDeps['probe']): ProfileCheckDeps['probe'] {
  const seen = new Map<string, Promise<ProbeResult>>();
  return (url, timeoutMs) => {
    let result = seen.get(url);
    if (!result) {
      result = probe(url, timeoutMs);
      seen.set(url, result);
    }
    return result;
  };
}
