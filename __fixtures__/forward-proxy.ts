/**
 * A forward proxy on loopback, as HTTP_PROXY / HTTPS_PROXY name one: absolute-form requests (for http servers) are
 * forwarded, CONNECT requests (for https servers) become tunnels. It records the host of each.
 */
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'

export interface ForwardProxy {
  url: string
  /** `host:port` of every plain request forwarded. */
  readonly requests: string[]
  /** `host:port` of every CONNECT tunnel opened. */
  readonly tunnels: string[]
  close(): Promise<void>
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  const requests: string[] = []
  const tunnels: string[] = []
  const proxy = http.createServer((req, res) => {
    const target = new URL(req.url ?? '')
    requests.push(target.host)
    const forward = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  proxy.on('connect', (req, socket, head) => {
    tunnels.push(req.url ?? '')
    const [host, port] = (req.url ?? '').split(':')
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(socket)
      socket.pipe(upstream)
    })
    upstream.on('error', () => socket.destroy())
    socket.on('error', () => upstream.destroy())
  })
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    requests,
    tunnels,
    async close() {
      proxy.closeAllConnections()
      await new Promise((r) => proxy.close(r))
    }
  }
}
