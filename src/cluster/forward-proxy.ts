/**
 * A plain-http API server behind an HTTP proxy: requests go to the proxy in absolute form
 * (`GET http://host:port/path`), as curl, kubectl and client-node do, instead of a CONNECT tunnel (undici's
 * ProxyAgent tunnels every request). https servers keep using the ProxyAgent tunnel.
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
