import { partitionOfRegion } from './partition.js';

/**
 * The STS endpoint fedlogin talks to: AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL (as the AWS
 * tools honour them), else the regional endpoint of the region's partition. Pure.
 */
export function stsEndpointFor(region: string, env: NodeJS.ProcessEnv): string {
  const configured = env.AWS_ENDPOINT_URL_STS?.trim() || env.AWS_ENDPOINT_URL?.trim();
  if (configured) return configured;
  return `https://sts.${region}.${partitionOfRegion(region).dnsSuffix}`;
}
