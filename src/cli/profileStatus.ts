import { isFresh } from '../config/cachePolicy.js';
import { profileCacheKey } from '../config/profileCacheKey.js';
import type { ProfileSettings } from '../config/profileSettings.js';
import { openProfileStore } from '../flows/cachedLogin.js';
import { isSsoProfile, type SsoTokenStatus, sessionOfProfile, ssoTokenStatus } from '../flows/sso/sessions.js';
import { readCachedCredentials } from '../store/credentialCache.js';
import type { CliContext } from './context.js';
import { fedloginProfiles } from './fedloginProfiles.js';

/** What fedlogin status shows of a profile (and doctor checks): its flow, store and cached credentials, no secrets. */
export interface ProfileStatus {
  profile: string;
  /** the flow, or "chain" for a profile with source_profile */
  flow: string | null;
  /** the role the profile's credentials are for (the last hop of a chain) */
  role: string | null;
  store: string;
  state: 'valid' | 'refresh-due' | 'expired' | 'none';
  expiration: string | null;
  /** the sign-in (IdP or session) the credentials come from: "saml https://idp/..." */
  signIn: string | null;
  /** source_profile, for a chained profile */
  source: string | null;
  /** fedlogin_chain_role_arn hops after the flow, in order */
  hops: string[];
}

const list = (value: string | undefined) => (value ?? '').split(/[\s,]+/).filter(Boolean);

/** What a profile's flow signs in at: one IdP (or token, or pool, or sso-session) may serve many profiles. Pure. */
export function signInOf(profile: ProfileSettings): string | null {
  const v = profile.values;
  switch (v.fedlogin_flow ?? (isSsoProfile(profile) ? 'sso' : undefined)) {
    case 'saml':
      return v.fedlogin_idp_url ? `saml ${v.fedlogin_idp_url}` : 'saml';
    case 'oidc':
      return `oidc ${v.fedlogin_issuer ?? '?'} client ${v.fedlogin_client_id ?? '?'}`;
    case 'cognito':
      return `cognito ${v.fedlogin_identity_pool_id ?? '?'}${v.fedlogin_issuer ? ` via ${v.fedlogin_issuer}` : ''}`;
    case 'web-identity': {
      const token = v.fedlogin_token_file ?? v.web_identity_token_file;
      return token
        ? `token file ${token}`
        : v.fedlogin_ci
          ? `CI ${v.fedlogin_ci}`
          : v.fedlogin_token_env
            ? `token in $${v.fedlogin_token_env}`
            : 'web identity token';
    }
    case 'sso':
      // the token cache is per session name, or per start URL for legacy profiles: one sign-in each
      return v.sso_session?.trim() ? `sso-session ${v.sso_session.trim()}` : `sso ${v.sso_start_url?.trim() ?? '?'}`;
    default:
      return null;
  }
}

/** An IAM Identity Center sign-in as status shows it: the session and its token in the shared cache. */
export interface SsoSignInStatus {
  /** the sso-session name; null for a legacy profile's start URL */
  session: string | null;
  startUrl: string | null;
  region: string | null;
  /** null when the session cannot be resolved (see problem) */
  token: SsoTokenStatus | null;
  /** why the session cannot be used, e.g. no [sso-session corp] in the config file */
  problem?: string;
}

export interface StatusReport {
  profiles: ProfileStatus[];
  /** the IAM Identity Center sign-ins among the profiles' sign-ins, by signIn */
  sso: Map<string, SsoSignInStatus>;
}

export async function profileStatuses(context: CliContext): Promise<ProfileStatus[]> {
  return (await statusReport(context)).profiles;
}

/** The profiles' statuses and, for the SSO ones, their sessions' tokens (read from the cache, never renewed). */
export async function statusReport(context: CliContext): Promise<StatusReport> {
  const now = Date.now();
  const statuses: ProfileStatus[] = [];
  const sessions = new Map<string, SsoSignInStatus>();
  for (const profile of fedloginProfiles(context.env, context.profile)) {
    const store = await openProfileStore(profile, context.env);
    const cached = await readCachedCredentials(store, profileCacheKey(profile, context.env, context.region));
    const state = !cached
      ? 'none'
      : cached.expiration.getTime() <= now
        ? 'expired'
        : isFresh(cached, profile, now)
          ? 'valid'
          : 'refresh-due';
    const v = profile.values;
    const ssoProfile = v.fedlogin_flow === undefined && isSsoProfile(profile);
    const sso = v.fedlogin_flow === 'sso' || ssoProfile;
    const source = v.fedlogin_flow === undefined && !ssoProfile ? (v.source_profile?.trim() ?? null) : null;
    const hops = list(v.fedlogin_chain_role_arn);
    const signIn = signInOf(profile);
    const ssoRole = v.sso_role_name?.trim() && `${v.sso_role_name.trim()} in ${v.sso_account_id?.trim() ?? '?'}`;
    statuses.push({
      profile: profile.name,
      flow: v.fedlogin_flow ?? (ssoProfile ? 'sso' : source ? 'chain' : null),
      role: hops.at(-1) ?? v.fedlogin_role_arn ?? (source ? (v.role_arn ?? null) : sso ? ssoRole || null : null),
      store: store.kind,
      state,
      expiration: cached ? cached.expiration.toISOString() : null,
      signIn,
      source,
      hops,
    });
    if (signIn && sso && !sessions.has(signIn)) sessions.set(signIn, ssoSignInStatus(context.env, profile, now));
  }
  return { profiles: statuses, sso: sessions };
}

function ssoSignInStatus(env: NodeJS.ProcessEnv, profile: ProfileSettings, now: number): SsoSignInStatus {
  const found = sessionOfProfile(env, profile);
  const name = profile.values.sso_session?.trim() || null;
  if (!found.session) return { session: name, startUrl: null, region: null, token: null, problem: found.problem };
  const { session } = found;
  return {
    session: session.name ?? null,
    startUrl: session.startUrl,
    region: session.region,
    token: ssoTokenStatus(env, session, now),
  };
}

/** A profile with the chained profiles whose source_profile it is. */
export interface StatusNode {
  status: ProfileStatus;
  chained: StatusNode[];
}

/** The sign-ins with the profiles hanging off each (chained ones under their source). Pure. */
export function statusTree(statuses: readonly ProfileStatus[]): { signIn: string; profiles: StatusNode[] }[] {
  const bySource = new Map<string, ProfileStatus[]>();
  for (const s of statuses) if (s.source) bySource.set(s.source, [...(bySource.get(s.source) ?? []), s]);
  const node = (status: ProfileStatus, seen: ReadonlySet<string>): StatusNode => ({
    status,
    chained: (bySource.get(status.profile) ?? [])
      .filter((c) => !seen.has(c.profile))
      .map((c) => node(c, new Set([...seen, c.profile]))),
  });
  const names = new Set(statuses.map((s) => s.profile));
  const signIns = new Map<string, StatusNode[]>();
  for (const s of statuses) {
    // roots: profiles with a flow, and chained ones whose source is not listed (status --profile app)
    if (s.source && names.has(s.source)) continue;
    const key = s.signIn ?? (s.source ? `profile ${s.source}` : '(no sign-in)');
    signIns.set(key, [...(signIns.get(key) ?? []), node(s, new Set([s.profile]))]);
  }
  return [...signIns].map(([signIn, profiles]) => ({ signIn, profiles }));
}
