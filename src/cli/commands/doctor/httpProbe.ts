/** The answer of one bounded GET: enough to say "reachable", read a Date header, and parse JSON. */
export type ProbeResult =
  | { reachable: true; status: number; date: string | undefined; body: string; sentAt: number; receivedAt: number }
  | { reachable: false; reason: string };

export type HttpProbe = (url: string, timeoutMs: number) => Promise<ProbeResult>;

/** A GET that never follows redirects (an SSO URL answers 302 to the login page) and gives up after timeoutMs. */
export const fetchProbe: HttpProbe = async (url, timeoutMs) => {
  const sentAt = Date.now();
  try {
    const response = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json, text/html;q=0.9, */*;q=0.1' },
    });
    const body = (await response.text()).slice(0, 100_000);
    return {
      reachable: true,
      status: response.status,
      date: response.headers.get('date') ?? undefined,
      body,
      sentAt,
      receivedAt: Date.now(),
    };
  } catch (error) {
    const err = error as Error & { cause?: { code?: string; message?: string } };
    const reason =
      err.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : (err.cause?.code ?? err.cause?.message ?? err.message);
    return { reachable: false, reason };
  }
};
