import type { Agent } from 'node:http';
import { proxyForUrl } from './proxyForUrl.js';

/**
 * The http.Agent for a request to `target`: a proxy agent when the environment names a proxy for
 * it (https-proxy-agent tunnels https with CONNECT, http-proxy-agent forwards plain http; Basic
 * credentials come from the proxy URL), else undefined (Node's global agent, or the caller's own
 * for a CA bundle). The proxy libraries load only here, so only when a proxy is set. One agent
 * per proxy and scheme, kept for the process (keep-alive: discovery and the token call share a
 * tunnel).
 */
const agents = new Map<string, Promise<Agent>>();

export async function proxyAgentFor(target: URL, ca?: string[]): Promise<{ agent: Agent; proxy: URL } | undefined> {
  const proxy = proxyForUrl(target);
  if (!proxy) return undefined;
  const secure = target.protocol === 'https:';
  const key = `${secure ? 'https' : 'http'} ${proxy.href} ${ca ? ca.length : 0}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = makeProxyAgent(proxy, secure, ca);
    agents.set(key, agent);
  }
  return { agent: await agent, proxy };
}

async function makeProxyAgent(proxy: URL, secure: boolean, ca: string[] | undefined): Promise<Agent> {
  // the CA list of the proxy itself (an https:// proxy) and of the tunnelled host
  const tls = ca ? { ca } : {};
  if (secure) {
    const { HttpsProxyAgent } = await import('https-proxy-agent');
    const agent = new HttpsProxyAgent(proxy, { keepAlive: true, ...tls });
    // HttpsProxyAgent keeps its constructor's options for the proxy connection only; Node merges
    // agent.options into each request's, which reach the TLS connection to the target host.
    Object.assign(agent.options, tls);
    return agent;
  }
  const { HttpProxyAgent } = await import('http-proxy-agent');
  return new HttpProxyAgent(proxy, { keepAlive: true, ...tls });
}
