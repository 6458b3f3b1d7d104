/**
 * The node agent's requests to a master (the kubelet's API client): JSON requests and watches over one undici
 * connection pool that trusts the master's CA and presents the node's credentials (a client certificate or a
 * bearer token, from a kubeconfig). Every request the agent makes goes through here.
 */
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { Agent, fetch } from 'undici'
import type { KubeObject } from '../../api/object.js'

export interface MasterCredentials {
  /** the master's URL, e.g. https://127.0.0.1:8443 */
  server: string
  /** PEM of the CA the master's certificate is checked against */
  ca: string
  /** a client certificate and key (PEM), or a bearer token */
  cert?: string
  key?: string
  token?: string
}

export interface MasterAnswer {
  status: number
  body: any
}

/** One event of a watch (`{type, object}`), as the master streams it. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'
  object: KubeObject
}

/** What the agent needs of a master: the interface the unit tests give a fake of. */
export interface Master {
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<MasterAnswer>
  /** Stream a watch's events to `onEvent` until the master ends it or `signal` aborts; throws on an error answer. */
  watch(path: string, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void>
}

/**
 * The credentials of the current context of a kubeconfig file (as kubectl reads it: inline data or files,
 * a client certificate or a token); `server` and `ca` override the file's.
 */
export async function credentialsFromKubeconfig(file: string, override: { server?: string; ca?: string } = {}): Promise<MasterCredentials> {
  // @kubernetes/client-node reads kubeconfigs as kubectl does (paths relative to the file, *-data fields)
  const { KubeConfig } = await import('@kubernetes/client-node')
  const kc = new KubeConfig()
  kc.loadFromFile(file)
  const cluster = kc.getCurrentCluster()
  if (!cluster) throw new Error(`${file}: its current context names no cluster; give one with a current-context`)
  const opts: { ca?: Buffer | string; cert?: Buffer | string; key?: Buffer | string; headers?: Record<string, string> } = {}
  await kc.applyToHTTPSOptions(opts as never)
  const ca = override.ca ?? opts.ca?.toString()
  if (!ca) throw new Error(`${file}: no certificate-authority for ${cluster.server}; give the master's CA with --ca`)
  const auth = opts.headers?.Authorization
  return {
    server: (override.server ?? cluster.server).replace(/\/+$/, ''),
    ca,
    cert: opts.cert?.toString(),
    key: opts.key?.toString(),
    token: auth?.startsWith('Bearer ') ? auth.slice(7) : undefined
  }
}

/** Read a PEM file, naming the option it came from when it cannot be read. */
export function readPem(file: string, option: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    throw new Error(`${option} ${file}: cannot read it (${(err as Error).message})`)
  }
}

export class MasterClient implements Master {
  private readonly dispatcher: Agent
  private readonly headers: Record<string, string>

  constructor(private readonly creds: MasterCredentials) {
    this.dispatcher = new Agent({ connect: { ca: creds.ca, cert: creds.cert, key: creds.key } })
    this.headers = { Accept: 'application/json', 'User-Agent': 'local-node/v1.11.0 (linux/amd64) kubernetes/d4cacc0', ...(creds.token ? { Authorization: `Bearer ${creds.token}` } : {}) }
  }

  async request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<MasterAnswer> {
    const res = await fetch(this.creds.server + path, {
      method,
      dispatcher: this.dispatcher,
      headers: { ...this.headers, ...(body === undefined ? {} : { 'Content-Type': contentType }) },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      // not JSON: kept as text (a proxy's error page)
    }
    return { status: res.status, body: parsed }
  }

  async watch(path: string, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    const res = await fetch(this.creds.server + path, { dispatcher: this.dispatcher, headers: this.headers, signal })
    if (res.status !== 200 || !res.body) throw new Error(`watch ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`)
    const lines = createInterface({ input: Readable.fromWeb(res.body as never) })
    try {
      for await (const line of lines) if (line.trim()) onEvent(JSON.parse(line) as WatchEvent)
    } catch (err) {
      if (!signal.aborted) throw err
    }
  }

  close(): Promise<void> {
    return this.dispatcher.close()
  }
}
