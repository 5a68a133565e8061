import { isRegionName, type Partition, partitionOfRegion } from '../aws/partition.js';
import { usageError } from '../core/errors.js';

export interface RegionSources {
  flag?: string | undefined;
  env: NodeJS.ProcessEnv;
  /** the profile's region key */
  profile?: string | undefined;
  /** the role's partition: gives the default, and a region must belong to it */
  partition: Partition;
}

/**
 * The one check of a region name, wherever it comes from (--region as it is parsed, AWS_REGION,
 * the profile's region key, configure's answer): trimmed, or a usage error naming `origin`.
 */
export function parseRegion(value: string, origin: string): string {
  const region = value.trim();
  if (isRegionName(region)) return region;
  throw usageError('REGION_INVALID', `${origin} is not an AWS region: "${value}".`, {
    hint: 'Example: --region eu-west-1',
  });
}

/** --region > AWS_REGION > AWS_DEFAULT_REGION > profile > the partition's default region. */
export function resolveRegion(sources: RegionSources): string {
  const candidates: [string, string | undefined][] = [
    ['--region', sources.flag],
    ['AWS_REGION', sources.env.AWS_REGION],
    ['AWS_DEFAULT_REGION', sources.env.AWS_DEFAULT_REGION],
    ["the profile's region", sources.profile],
  ];
  const found = candidates.find(([, value]) => value && value.trim());
  if (!found) return sources.partition.defaultRegion;
  const [origin, raw] = found;
  const region = parseRegion(raw!, origin);
  if (partitionOfRegion(region).name !== sources.partition.name) {
    throw usageError(
      'REGION_PARTITION_MISMATCH',
      `${origin} ${region} is in partition ${partitionOfRegion(region).name}, but the role is in ${sources.partition.name}.`,
      { hint: `Choose a region of ${sources.partition.name}, e.g. ${sources.partition.defaultRegion}.` },
    );
  }
  return region;
}
