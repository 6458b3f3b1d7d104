/**
 * A plain-http API server behind an HTTP proxy: requests go to the proxy in absolute form
 * (`GET http://host:port/path`), as curl, kubectl and client-node do, instead of a CONNECT tunnel. https servers
 * keep using undici's ProxyAgent tunnel.
 *
 * Why not undici's own `ProxyAgent({ proxyTunnel: false })` (undici 6.29.1, lib/dispatcher/proxy-agent.js): it sends
 * the absolute form only when both the proxy and the server are `http:` (`protocol === 'http:' &&
 * this[kProxy].protocol === 'http:'`); an `https://` proxy in front of a plain-http server is still tunnelled, which
 * a forward-only proxy refuses. This dispatcher covers both proxy schemes with one Pool to the proxy (its `connect`
 * options carry the proxy's TLS settings).
 */
import { Dispatcher, Pool } from 'undici'

export class ForwardProxyDispatcher extends Dispatcher {
  private readonly pool: Pool
  private readonly origin: string
  private readonly proxyHeaders: Record<string, string> = {}

  constructor(proxyUrl: string, connect: Record<string, unknown>) {
    super()
    const proxy = new URL(proxyUrl)
    this.origin = proxy.origin
    this.pool = new Pool(proxy.origin, { connect })
    if (proxy.username || proxy.password)
      this.proxyHeaders['proxy-authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    const target = new URL(options.path, options.origin)
    const headers = { ...(options.headers as Record<string, string> | undefined), ...this.proxyHeaders, host: target.host }
    return this.pool.dispatch({ ...options, origin: this.origin, path: target.href, headers }, handler)
  }

  override close(): Promise<void> {
    return this.pool.close()
  }

  override destroy(): Promise<void> {
    return this.pool.destroy()
  }
}
