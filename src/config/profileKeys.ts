import type { FlowName } from './profileValues.js';

/**
 * Which fedlogin_* keys of ~/.aws/config each flow reads: configure drops the other flows' keys
 * when a profile changes flow, and doctor warns about keys the profile's flow does not read. A
 * Record over FlowName, so a new flow must list its keys. Keys without the fedlogin_ prefix (region,
 * output, web_identity_token_file...) belong to the AWS tools and are never judged here.
 */

/** Read whatever the flow: the flow itself, the cache's settings, and the hops after the flow (cachedLogin). */
export const COMMON_KEYS: readonly string[] = [
  'fedlogin_flow',
  'fedlogin_store',
  'fedlogin_refresh_window',
  'fedlogin_write_credentials',
  // session policies apply to every flow's call (flows/sessionPolicy.ts), on the last hop of a chain
  'fedlogin_policy_arns',
  'fedlogin_policy_file',
  // the hops after any flow (cachedLogin, flows/profileChain.ts)
  'fedlogin_chain_role_arn',
  'fedlogin_chain_external_id',
  // the tag of a profile a sync wrote (flows/profileSync.ts: sso sync, saml/oidc --all-roles)
  'fedlogin_managed_by',
];

/** An OIDC sign-in (the oidc flow, and cognito's OIDC login). */
const OIDC_SIGN_IN_KEYS = [
  'fedlogin_issuer',
  'fedlogin_client_id',
  'fedlogin_scope',
  'fedlogin_device',
  'fedlogin_open_browser',
  'fedlogin_browser',
  'fedlogin_browser_profile',
  'fedlogin_prompt',
  'fedlogin_timeout',
];

export const FLOW_KEYS: Record<FlowName, readonly string[]> = {
  'web-identity': [
    'fedlogin_role_arn',
    'fedlogin_token_file',
    'fedlogin_token_env',
    'fedlogin_ci',
    'fedlogin_audience',
    'fedlogin_role_session_name',
    'fedlogin_duration',
  ],
  saml: [
    'fedlogin_idp_url',
    'fedlogin_role_arn',
    'fedlogin_browser',
    'fedlogin_browser_profile',
    'fedlogin_browser_url',
    'fedlogin_browser_mode',
    'fedlogin_acs_url_pattern',
    'fedlogin_account_aliases',
    'fedlogin_duration',
    'fedlogin_login_timeout',
    'fedlogin_silent_timeout',
  ],
  oidc: [
    ...OIDC_SIGN_IN_KEYS,
    'fedlogin_token_type',
    'fedlogin_role_arn',
    // the roles `fedlogin oidc --all-roles` writes a profile for (flows/oidc/roleArns.ts)
    'fedlogin_role_arns',
    // and the names of their accounts in the profile names
    'fedlogin_account_aliases',
    'fedlogin_duration',
    'fedlogin_role_session_name',
  ],
  cognito: [
    'fedlogin_identity_pool_id',
    'fedlogin_login',
    'fedlogin_guest',
    'fedlogin_basic',
    'fedlogin_role_arn',
    'fedlogin_custom_role_arn',
    'fedlogin_role_session_name',
    'fedlogin_duration',
    ...OIDC_SIGN_IN_KEYS,
  ],
  // its settings are the AWS CLI's own sso_* keys (the tag, fedlogin_managed_by, is common)
  sso: [],
};

const KNOWN = new Set([...COMMON_KEYS, ...Object.values(FLOW_KEYS).flat()]);

/** Whether fedlogin reads `key` in some flow. */
export const isKnownFedloginKey = (key: string): boolean => KNOWN.has(key);

/** The profile's fedlogin_* keys that `flow` does not read, in the profile's order. Pure. */
export function keysForeignTo(flow: FlowName, keys: Iterable<string>): string[] {
  const own = new Set([...COMMON_KEYS, ...FLOW_KEYS[flow]]);
  return [...keys].filter((key) => key.startsWith('fedlogin_') && !own.has(key));
}
