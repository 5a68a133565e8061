import { isFresh } from '../config/cachePolicy.js';
import { profileCacheKey } from '../config/profileCacheKey.js';
import type { ProfileSettings } from '../config/profileSettings.js';
import { openProfileStore } from '../flows/cachedLogin.js';
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

/** What a profile's flow signs in at: one IdP (or token, or pool) may serve many profiles. Pure. */
export function signInOf(profile: ProfileSettings): string | null {
  const v = profile.values;
  switch (v.fedlogin_flow) {
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
      return v.sso_session ? `sso session ${v.sso_session}` : `sso ${v.sso_start_url ?? '?'}`;
    default:
      return null;
  }
}

export async function profileStatuses(context: CliContext): Promise<ProfileStatus[]> {
  const now = Date.now();
  const statuses: ProfileStatus[] = [];
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
    const source = v.fedlogin_flow === undefined ? (v.source_profile?.trim() ?? null) : null;
    const hops = list(v.fedlogin_chain_role_arn);
    statuses.push({
      profile: profile.name,
      flow: v.fedlogin_flow ?? (source ? 'chain' : null),
      role: hops.at(-1) ?? v.fedlogin_role_arn ?? (source ? (v.role_arn ?? null) : null),
      store: store.kind,
      state,
      expiration: cached ? cached.expiration.toISOString() : null,
      signIn: signInOf(profile),
      source,
      hops,
    });
  }
  return statuses;
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
