import type { ProfileSettings } from './profileSettings.js';

/**
 * The profiles `isRoot` picks and those chained off them (role_arn with a source_profile among
 * them, at any depth), in the order of `all`. Pure. A chain is at most a few profiles long: the
 * chained ones are added until nothing changes.
 */
export function withChainedProfiles(
  all: readonly ProfileSettings[],
  isRoot: (profile: ProfileSettings) => boolean,
): ProfileSettings[] {
  const included = new Set(all.filter(isRoot).map((p) => p.name));
  for (let added = true; added; ) {
    added = false;
    for (const p of all) {
      const source = p.values.source_profile?.trim();
      if (!included.has(p.name) && p.values.role_arn && source && included.has(source)) {
        included.add(p.name);
        added = true;
      }
    }
  }
  return all.filter((p) => included.has(p.name));
}
