/** What a browser does with a URL: follow redirects (on loopback, in these tests) to the final page. */
export async function followAsBrowser(url: string, maxHops = 5): Promise<{ status: number; html: string }> {
  let next = url;
  for (let hop = 0; hop < maxHops; hop++) {
    const res = await fetch(next, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    const location = res.headers.get('location');
    if (!location) return { status: res.status, html: await res.text() };
    next = new URL(location, next).href;
  }
  throw new Error('too many redirects');
}
