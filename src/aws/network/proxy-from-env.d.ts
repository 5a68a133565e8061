// proxy-from-env v2 ships no types: its one export, as documented in its README.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from the environment (HTTPS_PROXY... NO_PROXY), or '' for none. */
  export function getProxyForUrl(url: string | URL): string;
}
