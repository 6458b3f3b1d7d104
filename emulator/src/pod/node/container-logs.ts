/**
 * The kubelet's log endpoint: `GET /containerLogs/<namespace>/<pod>/<container>` over TLS, which the master's
 * `pods/log` (and so `builds/<name>/log`) proxies to. Each container's output is kept with the time of each line
 * (the kubelet's fixed nine-digit RFC 3339 stamps) and served with the kubelet's query: `follow`, `timestamps`,
 * `sinceTime`, `sinceSeconds`, `tailLines`, `limitBytes`. Only a client whose certificate the given CA signed (the
 * master's kubelet client certificate) is served.
 */
import { EventEmitter } from 'node:events'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'

/** The kubelet's log time stamp: RFC 3339 with nine fraction digits, UTC. */
export const logStamp = (ms: number): string => new Date(ms).toISOString().replace('Z', '000000Z')

interface LogLine {
  ms: number
  text: string
}

/** One container's output as it comes, and its end. */
export class ContainerLog extends EventEmitter {
  readonly lines: LogLine[] = []
  ended = false

  append(text: string, ms = Date.now()): void {
    const line = { ms, text }
    this.lines.push(line)
    this.emit('line', line)
  }

  end(): void {
    this.ended = true
    this.emit('end')
  }

  /** The last `n` lines' text. */
  last(n: number): string[] {
    return this.lines.slice(-n).map((l) => l.text)
  }
}

export interface LogQuery {
  follow: boolean
  timestamps: boolean
  /** lines from this time on (ms) */
  sinceMs?: number
  tailLines?: number
  limitBytes?: number
}

/** The kubelet's query of a log request; an Error naming the parameter for a value it cannot read. */
export function parseLogQuery(params: URLSearchParams, nowMs: number): LogQuery {
  const bool = (name: string) => ['true', '1'].includes(params.get(name) ?? '')
  const int = (name: string): number | undefined => {
    const v = params.get(name)
    if (v === null) return undefined
    const n = Number(v)
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name}: not a non-negative integer: ${v}`)
    return n
  }
  let sinceMs: number | undefined
  const sinceTime = params.get('sinceTime')
  if (sinceTime !== null) {
    sinceMs = Date.parse(sinceTime)
    if (Number.isNaN(sinceMs)) throw new Error(`sinceTime: not an RFC 3339 time: ${sinceTime}`)
  }
  const sinceSeconds = int('sinceSeconds')
  if (sinceSeconds !== undefined) sinceMs = nowMs - sinceSeconds * 1000
  return { follow: bool('follow'), timestamps: bool('timestamps'), sinceMs, tailLines: int('tailLines'), limitBytes: int('limitBytes') }
}

/** The text of the lines a query selects from those logged so far (since, then tail), each ending in a newline. */
export function selectLines(lines: readonly LogLine[], q: LogQuery): string[] {
  let chosen = q.sinceMs === undefined ? lines : lines.filter((l) => l.ms >= q.sinceMs!)
  if (q.tailLines !== undefined) chosen = q.tailLines > 0 ? chosen.slice(-q.tailLines) : []
  return chosen.map((l) => render(l, q))
}

const render = (l: LogLine, q: LogQuery): string => `${q.timestamps ? `${logStamp(l.ms)} ` : ''}${l.text}\n`

/** Writes chunks up to `limitBytes`; false once the limit is reached. */
class LimitedWriter {
  private sent = 0
  constructor(
    private readonly write: (chunk: string | Buffer) => void,
    private readonly limit: number | undefined
  ) {}
  put(text: string): boolean {
    let data = Buffer.from(text)
    if (this.limit !== undefined) data = data.subarray(0, Math.max(0, this.limit - this.sent))
    if (data.length) this.write(data)
    this.sent += data.length
    return this.limit === undefined || this.sent < this.limit
  }
}

export interface LogServerOptions {
  address: string
  port: number
  /** the serving certificate and key (PEM), and the CA clients' certificates must be signed by */
  cert: string
  key: string
  clientCA: string
  /** a container's log, or undefined when this node has no such container */
  find(namespace: string, pod: string, container: string): ContainerLog | undefined
}

/** Start the endpoint; resolves with the server once it listens. */
export async function startLogServer(o: LogServerOptions): Promise<Server> {
  const server = createServer({ cert: o.cert, key: o.key, ca: o.clientCA, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://node')
    const parts = url.pathname.split('/').filter(Boolean)
    if (url.pathname === '/healthz') return void res.end('ok')
    if (parts[0] !== 'containerLogs' || parts.length !== 4) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found\n')
    const [, ns, pod, container] = parts.map(decodeURIComponent) as [string, string, string, string]
    const log = o.find(ns, pod, container)
    if (!log) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`container "${container}" in pod "${pod}" is not available\n`)
    let q: LogQuery
    try {
      q = parseLogQuery(url.searchParams, Date.now())
    } catch (err) {
      return void res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`${(err as Error).message}\n`)
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' })
    const out = new LimitedWriter((c) => res.write(c), q.limitBytes)
    const going = selectLines(log.lines, q).every((t) => out.put(t))
    if (!going || !q.follow || log.ended) return void res.end()
    const onLine = (l: LogLine) => {
      if (!out.put(render(l, q))) finish()
    }
    const finish = () => {
      log.off('line', onLine)
      log.off('end', finish)
      res.end()
    }
    log.on('line', onLine)
    log.once('end', finish)
    res.once('close', () => {
      log.off('line', onLine)
      log.off('end', finish)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(o.port, o.address, () => resolve())
  })
  return server
}

export const portOf = (server: Server): number => (server.address() as AddressInfo).port
