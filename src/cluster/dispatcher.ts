/**
 * The transport of a request to a server other than the cluster (GitHub's commit status, the Koji hub): undici,
 * through the runner's proxy for that URL as the cluster's requests go (HTTPS_PROXY, HTTP_PROXY, NO_PROXY:
 * config.ts's proxyFor; a plain-http server behind a proxy in absolute form, forward-proxy.ts), with TLS verified
 * against Node's certificate authorities (the system's, and NODE_EXTRA_CA_CERTS: a job's own CA).
 */
import { Agent, ProxyAgent, type Dispatcher } from 'undici'
import { proxyFor } from './config.js'
import { ForwardProxyDispatcher } from './forward-proxy.js'

/** The dispatcher of requests to `url`; the caller destroys it when done. */
export function dispatcherFor(url: string, env: Record<string, string | undefined>): Dispatcher {
  const proxy = proxyFor(url, env)
  if (!proxy) return new Agent()
  return url.startsWith('http:') ? new ForwardProxyDispatcher(proxy, {}) : new ProxyAgent({ uri: proxy })
}
