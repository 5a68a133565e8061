/** "1 profile", "2 profiles", "0 seconds": a count and its unit, plural unless the count is one. */
export function plural(count: number, unit: string, units = `${unit}s`): string {
  return `${count} ${count === 1 ? unit : units}`;
}
