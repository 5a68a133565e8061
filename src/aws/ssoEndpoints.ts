import { partitionOfRegion } from './partition.js';
import type { AwsClientOptions } from './sdkClientSettings.js';

/** What both IAM Identity Center clients (ssoOidcClient.ts, ssoClient.ts) are made with; the region is the sso-session's sso_region. */
export type SsoClientOptions = AwsClientOptions;

/**
 * The IAM Identity Center endpoints as the AWS SDKs pick them: AWS_ENDPOINT_URL_SSO_OIDC /
 * AWS_ENDPOINT_URL_SSO, else AWS_ENDPOINT_URL, else the regional host in the region's partition
 * (oidc.REGION.amazonaws.com, portal.sso.REGION.amazonaws.com, .com.cn in China). Pure.
 */
export function ssoOidcEndpointFor(region: string, env: NodeJS.ProcessEnv): string {
  const configured = env.AWS_ENDPOINT_URL_SSO_OIDC?.trim() || env.AWS_ENDPOINT_URL?.trim();
  return configured || `https://oidc.${region}.${partitionOfRegion(region).dnsSuffix}`;
}

export function ssoPortalEndpointFor(region: string, env: NodeJS.ProcessEnv): string {
  const configured = env.AWS_ENDPOINT_URL_SSO?.trim() || env.AWS_ENDPOINT_URL?.trim();
  return configured || `https://portal.sso.${region}.${partitionOfRegion(region).dnsSuffix}`;
}
