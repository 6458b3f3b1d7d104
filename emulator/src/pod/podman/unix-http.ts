/** Plain HTTP requests over a unix socket: a service's readiness check, and tests talking to a service. */
import http from 'node:http'

export interface UnixResponse {
  status: number
  body: string
}

/** Whether `GET /_ping` on the socket at `socketPath` answers 200 with body `OK` within `timeoutMs`. */
export function ping(socketPath: string, timeoutMs: number): Promise<boolean> {
  return get(socketPath, '/_ping', timeoutMs).then(
    (res) => res.status === 200 && res.body.trim() === 'OK',
    () => false
  )
}

/** `GET urlPath` over the unix socket at `socketPath`: the status and the body as text. */
export function get(socketPath: string, urlPath: string, timeoutMs: number): Promise<UnixResponse> {
  return request(socketPath, 'GET', urlPath, undefined, timeoutMs)
}

/** `method urlPath` with an optional body over the unix socket at `socketPath`. */
export function request(socketPath: string, method: string, urlPath: string, body: Buffer | undefined, timeoutMs: number): Promise<UnixResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { host: 'd' }
    if (body) Object.assign(headers, { 'content-type': 'application/x-tar', 'content-length': body.length })
    const req = http.request({ socketPath, method, path: urlPath, headers, timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: no answer within ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(body)
  })
}
