import { parseRoleArn } from '../../aws/arn.js';
import { type Partition, partitionByName } from '../../aws/partition.js';
import { createSts, type StsApi } from '../../aws/stsClient.js';
import { stsEndpointFor } from '../../aws/stsEndpoint.js';
import { resolveRegion } from '../../config/resolveRegion.js';
import type { Logger } from '../../core/logger.js';
import type { SamlRole } from './samlRole.js';

export interface StsForRoleOptions {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  regionFlag?: string | undefined;
  profileRegion?: string | undefined;
  /** the profile's ca_bundle key */
  profileCaBundle?: string | undefined;
}

export interface StsForRole {
  (role: SamlRole): Promise<StsApi>;
  /** creates the client ahead of time (the SDK takes ~100 ms to load) while the browser runs */
  prepare(roleArn?: string): void;
}

/** STS clients in each role's partition and region (the usual precedence), one per region. */
export function stsForRole(options: StsForRoleOptions): StsForRole {
  const clients = new Map<string, Promise<StsApi>>();
  const forPartition = (partition: Partition) => {
    const region = resolveRegion({
      flag: options.regionFlag,
      env: options.env,
      profile: options.profileRegion,
      partition,
    });
    let client = clients.get(region);
    if (!client) {
      client = createSts({
        region,
        endpoint: stsEndpointFor(region, options.env),
        logger: options.logger,
        caBundle: options.profileCaBundle,
      });
      clients.set(region, client);
    }
    return client;
  };
  const stsFor = ((role: SamlRole) => forPartition(partitionByName(role.partition)!)) as StsForRole;
  stsFor.prepare = (roleArn) => {
    try {
      const partition = roleArn ? parseRoleArn(roleArn).partition : partitionByName('aws')!;
      // a failure here surfaces, with its message, when the client is used
      forPartition(partition).catch(() => undefined);
    } catch {
      // a bad role ARN is reported where it is used
    }
  };
  return stsFor;
}
