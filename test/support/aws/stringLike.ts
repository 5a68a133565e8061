/**
 * IAM's StringLike condition operator: case-sensitive, `*` matches any run of characters
 * (including none), `?` exactly one; everything else is literal.
 */
export function stringLike(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}
