/**
 * STS role session names are 2-64 characters of [\w+=,.@-]. Anything else is replaced with '-',
 * long names are cut, and a name that ends up too short falls back to the given default.
 */
export function sanitizeSessionName(raw: string | undefined, fallback = 'fedlogin'): string {
  const cleaned = (raw ?? '')
    .replace(/[^\w+=,.@-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return cleaned.length >= 2 ? cleaned : fallback;
}
