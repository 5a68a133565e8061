/**
 * AWS partitions: which hosts and audiences belong together. Pure data and lookups; the one place
 * that knows that cn-north-1 lives in aws-cn.
 */
export type PartitionName = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-iso' | 'aws-iso-b';

export interface Partition {
  name: PartitionName;
  /** the DNS suffix of service endpoints */
  dnsSuffix: string;
  /** the default audience of CI OIDC tokens for STS */
  stsAudience: string;
  /** the region used when nothing else names one */
  defaultRegion: string;
  signinHost: string;
  consoleHost: string;
}

const PARTITIONS: Record<PartitionName, Partition> = {
  aws: {
    name: 'aws',
    dnsSuffix: 'amazonaws.com',
    stsAudience: 'sts.amazonaws.com',
    defaultRegion: 'us-east-1',
    signinHost: 'signin.aws.amazon.com',
    consoleHost: 'console.aws.amazon.com',
  },
  'aws-cn': {
    name: 'aws-cn',
    dnsSuffix: 'amazonaws.com.cn',
    stsAudience: 'sts.amazonaws.com.cn',
    defaultRegion: 'cn-north-1',
    signinHost: 'signin.amazonaws.cn',
    consoleHost: 'console.amazonaws.cn',
  },
  'aws-us-gov': {
    name: 'aws-us-gov',
    dnsSuffix: 'amazonaws.com',
    stsAudience: 'sts.amazonaws.com',
    defaultRegion: 'us-gov-west-1',
    signinHost: 'signin.amazonaws-us-gov.com',
    consoleHost: 'console.amazonaws-us-gov.com',
  },
  'aws-iso': {
    name: 'aws-iso',
    dnsSuffix: 'c2s.ic.gov',
    stsAudience: 'sts.amazonaws.com',
    defaultRegion: 'us-iso-east-1',
    signinHost: 'signin.c2shome.ic.gov',
    consoleHost: 'console.c2shome.ic.gov',
  },
  'aws-iso-b': {
    name: 'aws-iso-b',
    dnsSuffix: 'sc2s.sgov.gov',
    stsAudience: 'sts.amazonaws.com',
    defaultRegion: 'us-isob-east-1',
    signinHost: 'signin.sc2shome.sgov.gov',
    consoleHost: 'console.sc2shome.sgov.gov',
  },
};

/** The shape of every AWS region name: us-east-1, eu-central-2, us-gov-west-1, us-isob-east-1, ... */
const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Whether `value` names an AWS region: the common shape, or the default region of a known partition. */
export function isRegionName(value: string): boolean {
  return REGION_SHAPE.test(value) || Object.values(PARTITIONS).some((p) => p.defaultRegion === value);
}

export function partitionByName(name: string): Partition | undefined {
  return Object.hasOwn(PARTITIONS, name) ? PARTITIONS[name as PartitionName] : undefined;
}

export function partitionOfRegion(region: string): Partition {
  if (region.startsWith('cn-')) return PARTITIONS['aws-cn'];
  if (region.startsWith('us-gov-')) return PARTITIONS['aws-us-gov'];
  if (region.startsWith('us-isob-')) return PARTITIONS['aws-iso-b'];
  if (region.startsWith('us-iso-')) return PARTITIONS['aws-iso'];
  return PARTITIONS.aws;
}
