/**
 * A forwarding proxy in front of the local OpenShift that can lose answers: for a request it is told to, it
 * forwards the request, lets the server carry it out, then drops the connection instead of answering — what a
 * client sees when a load balancer or the network fails after the server acted.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface LossyProxy {
  url: string
  /** Lose the answer of the next `count` requests that match. */
  loseAnswer(match: (method: string, path: string) => boolean, count?: number): { hits: number }
  close(): Promise<void>
}

export async function startLossyProxy(target: string): Promise<LossyProxy> {
  const rules: { match: (method: string, path: string) => boolean; left: number; state: { hits: number } }[] = []
  const upstream = new URL(target)
  const server = http.createServer((req, res) => {
    const rule = rules.find((r) => r.left > 0 && r.match(req.method ?? 'GET', (req.url ?? '').split('?')[0]))
    if (rule) rule.left--
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (rule) {
          rule.state.hits++
          answer.resume()
          answer.on('end', () => req.socket.destroy())
          return
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    forward.on('error', () => req.socket.destroy())
    res.on('close', () => forward.destroy())
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    loseAnswer(match, count = 1) {
      const state = { hits: 0 }
      rules.push({ match, left: count, state })
      return state
    },
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}
