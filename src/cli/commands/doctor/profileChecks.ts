import path from 'node:path';
import { storeChoice } from '../../../config/cachePolicy.js';
import { isKnownFedloginKey, keysForeignTo } from '../../../config/profileKeys.js';
import type { ProfileSettings } from '../../../config/profileSettings.js';
import type { FlowName, ProfileValues } from '../../../config/profileValues.js';
import { isFedloginError } from '../../../core/errors.js';
import { BROWSER_NAMES, findBrowser } from '../../../core/findBrowser.js';
import { decodeJwtClaims } from '../../../core/jwtClaims.js';
import { credentialProcessLine, splitCommandLine } from '../../../output/credentialProcessLine.js';
import type { KeychainProbe } from '../../../store/keychainStore.js';
import {
  isSomeFedlogin,
  isThisLauncher,
  type LauncherDeps,
  launcherWords,
  resolveCommandWord,
} from '../../launcher.js';
import { type Check, fail, ok, warn } from './check.js';
import type { FlowTargets } from './flowSettings.js';
import type { HttpProbe } from './httpProbe.js';
import { throughProxy } from './networkChecks.js';
import { webIdentityTokenCheck } from './webIdentityToken.js';

/** The few kinds of I/O the profile checks need, passed in. */
export interface ProfileCheckDeps {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  now: () => number;
  probe: HttpProbe;
  timeoutMs: number;
  isExecutable: (file: string) => boolean;
  readText: (file: string) => string;
  probeKeychain: () => Promise<KeychainProbe>;
  cacheDir: string;
  /** how this fedlogin is started, and the PATH lookup (credential_process) */
  launcher: LauncherDeps;
}

/**
 * The profile's credential_process as the AWS tools run it: split like botocore, the first word
 * looked up on this PATH. It must start fedlogin (this installation, or at least some fedlogin);
 * a bare `fedlogin` that is not on PATH is the classic "No such file or directory" of `aws`.
 */
export function credentialProcessCheck(values: ProfileValues, deps: LauncherDeps): Check {
  const line = values.string('credential_process');
  const configure = `fedlogin configure --profile ${values.name}`;
  const expected = `credential_process = ${credentialProcessLine(values.name, launcherWords(deps))}`;
  if (!line) {
    return warn(
      'credential-process',
      `[${values.profile.section}] has no credential_process, so the AWS tools do not ask fedlogin for credentials.`,
      `Run: ${configure}`,
      values.name,
    );
  }
  if (!/\bcredential-process\b/.test(line) || !line.includes(values.name)) {
    return warn(
      'credential-process',
      `credential_process = ${line} does not look like fedlogin's line for this profile.`,
      `Set: ${expected}`,
      values.name,
    );
  }
  const fix = `Run: ${configure}  (or set: ${expected})`;
  const words = splitCommandLine(line);
  if (!words || words.length === 0)
    return fail('credential-process', `credential_process = ${line} has an unterminated quote.`, fix, values.name);
  const first = words[0]!;
  const found = resolveCommandWord(first, deps);
  if (!found) {
    const where = first.includes('/') ? 'is not an executable file' : 'is not on PATH';
    return fail(
      'credential-process',
      `credential_process starts "${first}", which ${where}: the AWS tools fail to run it (No such file or directory).`,
      fix,
      values.name,
    );
  }
  // `node /path/bin/fedlogin.js ...`: the script is what counts
  const script = /^node(\.exe)?$/i.test(path.basename(found)) && words[1] ? words[1] : undefined;
  const runs = script ?? found;
  if (isThisLauncher(runs, deps))
    return ok('credential-process', `credential_process = ${line} (starts ${runs})`, values.name);
  if (isSomeFedlogin(runs, deps)) {
    return warn(
      'credential-process',
      `credential_process starts ${runs}, another fedlogin installation than this one (${deps.launcher}).`,
      `If that is not intended: ${fix}`,
      values.name,
    );
  }
  return fail('credential-process', `credential_process starts ${runs}, which is not fedlogin.`, fix, values.name);
}

/** fedlogin_* keys the profile's flow does not read: left from another flow, or misspelt. */
export function profileKeysCheck(values: ProfileValues): Check | undefined {
  let name: FlowName | undefined;
  try {
    name = values.flow();
  } catch {
    return undefined; // the settings check reports a bad fedlogin_flow
  }
  if (!name) return undefined;
  const foreign = keysForeignTo(name, Object.keys(values.profile.values));
  if (foreign.length === 0)
    return ok(
      'profile-keys',
      `Every fedlogin_* key of [${values.profile.section}] is one the ${name} flow reads.`,
      values.name,
    );
  const others = foreign.filter(isKnownFedloginKey);
  const unknown = foreign.filter((key) => !isKnownFedloginKey(key));
  const parts = [
    others.length > 0 ? `${others.join(', ')} (read by other flows, not ${name})` : '',
    unknown.length > 0 ? `${unknown.join(', ')} (not a fedlogin setting: misspelt?)` : '',
  ].filter(Boolean);
  return warn(
    'profile-keys',
    `[${values.profile.section}] has keys the ${name} flow ignores: ${parts.join('; ')}.`,
    `Remove ${foreign.length === 1 ? 'it' : 'them'} from ${values.profile.file}${others.length > 0 ? `, or run: fedlogin configure --profile ${values.name} (a flow change drops the old flow's keys)` : ''}.`,
    values.name,
  );
}

export function browserCheck(
  targets: FlowTargets,
  deps: Pick<ProfileCheckDeps, 'env' | 'platform' | 'isExecutable'>,
  profile: string,
): Check {
  try {
    const found = findBrowser({
      platform: deps.platform,
      env: deps.env,
      exists: deps.isExecutable,
      requested: targets.browser,
    });
    return ok('browser', `Signs in with ${found.name} at ${found.executablePath}.`, profile);
  } catch (error) {
    if (!isFedloginError(error)) throw error;
    if (!targets.browser) return fail('browser', error.message, error.hint ?? null, profile);
    // findBrowser speaks of the flag; here the value came from the profile
    return fail(
      'browser',
      error.message.replace(/^--browser "?/, 'fedlogin_browser = ').replace(/^(fedlogin_browser = [^"]*)"/, '$1'),
      `Set fedlogin_browser to an installed Chrome, Chromium, Edge or Brave (a path, or ${BROWSER_NAMES.join('|')}), or remove it to use the first found; --browser overrides it for one run.`,
      profile,
    );
  }
}

/** Memoized per run: one keychain probe serves every profile. */
export async function secretStoreCheck(
  profile: ProfileSettings,
  deps: Pick<ProfileCheckDeps, 'env' | 'probeKeychain' | 'cacheDir'>,
): Promise<Check> {
  const choice = storeChoice(profile, deps.env);
  const name = profile.name;
  if (choice === 'file') return ok('secret-store', `File store chosen: 0600 files under ${deps.cacheDir}.`, name);
  const probe = await deps.probeKeychain();
  if (probe.ok) return ok('secret-store', `The OS keychain answers (${Math.round(probe.ms)} ms).`, name);
  const reason = probe.error.message;
  if (choice === 'keychain') {
    return fail(
      'secret-store',
      `fedlogin_store = keychain, but ${reason}`,
      'Unlock or start the keychain (on Linux a Secret Service such as gnome-keyring), or set fedlogin_store = file.',
      name,
    );
  }
  return warn(
    'secret-store',
    `The OS keychain is not reachable (${reason}); credentials are cached in the file store (0600 files under ${deps.cacheDir}).`,
    'To use the keychain, start or unlock it (a Secret Service on Linux); to accept the file store, set fedlogin_store = file.',
    name,
  );
}

const DISCOVERY = '/.well-known/openid-configuration';

/** The IdP as the login will first meet it: the discovery document (oidc) or the SSO URL (saml). */
export async function idpReachableCheck(
  targets: FlowTargets,
  deps: Pick<ProfileCheckDeps, 'probe' | 'timeoutMs'>,
  profile: string,
): Promise<{ check: Check; date?: string; sentAt?: number; receivedAt?: number } | undefined> {
  const network = 'Check the URL, your network, VPN or proxy, then run fedlogin doctor again.';
  if (targets.flow === 'oidc' && targets.issuer) {
    const issuer = targets.issuer.replace(/\/+$/, '');
    const url = issuer + DISCOVERY;
    const answer = await deps.probe(url, deps.timeoutMs);
    if (!answer.reachable)
      return {
        check: fail(
          'idp-reachable',
          `Cannot reach the IdP's discovery document ${url} (${answer.reason}).`,
          answer.fix ?? network,
          profile,
        ),
      };
    const seen = { date: answer.date, sentAt: answer.sentAt, receivedAt: answer.receivedAt };
    if (answer.status !== 200)
      return {
        ...seen,
        check: fail(
          'idp-reachable',
          `${url} answered HTTP ${answer.status}, not the discovery document.`,
          'Check fedlogin_issuer: it must be the issuer exactly as the IdP names it.',
          profile,
        ),
      };
    let named: unknown;
    try {
      named = (JSON.parse(answer.body) as { issuer?: unknown }).issuer;
    } catch {
      return {
        ...seen,
        check: fail(
          'idp-reachable',
          `${url} is not JSON.`,
          'Check fedlogin_issuer: it must be the issuer exactly as the IdP names it.',
          profile,
        ),
      };
    }
    if (typeof named !== 'string' || named.replace(/\/+$/, '') !== issuer) {
      return {
        ...seen,
        check: fail(
          'idp-reachable',
          `The discovery document names issuer ${String(named)}, not ${targets.issuer}.`,
          `Set fedlogin_issuer = ${String(named)}`,
          profile,
        ),
      };
    }
    return {
      ...seen,
      check: ok('idp-reachable', `Discovery document of ${issuer} is served${throughProxy(url)}.`, profile),
    };
  }
  if (targets.flow === 'saml' && targets.idpUrl) {
    const answer = await deps.probe(targets.idpUrl, deps.timeoutMs);
    if (!answer.reachable)
      return {
        check: fail(
          'idp-reachable',
          `Cannot reach the SSO URL ${targets.idpUrl} (${answer.reason}).`,
          answer.fix ?? network,
          profile,
        ),
      };
    const seen = { date: answer.date, sentAt: answer.sentAt, receivedAt: answer.receivedAt };
    if (answer.status >= 500)
      return {
        ...seen,
        check: warn(
          'idp-reachable',
          `The SSO URL ${targets.idpUrl} answered HTTP ${answer.status}.`,
          'The IdP may be down; try again later or ask its administrators.',
          profile,
        ),
      };
    return {
      ...seen,
      check: ok(
        'idp-reachable',
        `The SSO URL answers (HTTP ${answer.status})${throughProxy(targets.idpUrl)}.`,
        profile,
      ),
    };
  }
  return undefined;
}

/** The web-identity token as STS will see it, when fedlogin can read it here (a file, a set variable). */
export function tokenCheck(
  targets: FlowTargets,
  deps: Pick<ProfileCheckDeps, 'env' | 'readText' | 'now'>,
  profile: string,
): Check | undefined {
  const spec = targets.token;
  if (!spec) return undefined;
  let token: string;
  let source: string;
  if (spec.kind === 'file') {
    source = `token file ${spec.path}`;
    try {
      token = deps.readText(spec.path);
    } catch (error) {
      return fail(
        'web-identity-token',
        `Cannot read the ${source} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
        `Check ${spec.origin}, and that whatever writes the token has run.`,
        profile,
      );
    }
    if (token.trim() === '')
      return fail(
        'web-identity-token',
        `The ${source} (from ${spec.origin}) is empty.`,
        `Check what writes the token to it, or the path given to ${spec.origin}.`,
        profile,
      );
  } else if (spec.kind === 'env') {
    source = `$${spec.name}`;
    const value = deps.env[spec.name];
    if (!value)
      return warn(
        'web-identity-token',
        `${source} is not set here; the token is read from it at login.`,
        `Check again where ${spec.name} is set (the CI job).`,
        profile,
      );
    token = value;
  } else {
    return ok(
      'web-identity-token',
      `The token is requested from the CI (${spec.kind === 'ci' ? spec.ci : spec.kind}) at login; not checked here.`,
      profile,
    );
  }
  try {
    const claims = decodeJwtClaims(token, source);
    return webIdentityTokenCheck({
      claims,
      source,
      roleArn: targets.roleArn,
      expectedAudience: targets.audience ?? 'sts.amazonaws.com',
      now: deps.now(),
      profile,
    });
  } catch (error) {
    if (!isFedloginError(error)) throw error;
    return fail(
      'web-identity-token',
      error.message,
      'Point fedlogin_token_file at the OIDC token (a JWT) itself.',
      profile,
    );
  }
}
