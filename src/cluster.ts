/**
 * The one module that talks to the cluster. It builds every URL, reads the credentials of a kubeconfig with
 * `@kubernetes/client-node`'s own parsing and authenticators (cluster/kubeconfig.ts, cluster/credentials.ts), sends
 * every request over one undici connection pool, retries what is safe to retry, and turns failures into errors that name the request and carry the server's Status message.
 *
 * Nothing here prints, and nothing here ever puts a credential into an error or a debug line.
 */
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import { fetch } from 'undici'
import { Credentials } from './cluster/credentials.js'
import { Kubeconfig, SERVICE_ACCOUNT_DIR, type KubeCluster, type KubeContext, type KubeUser } from './cluster/kubeconfig.js'
import type { ConnectionSettings } from './settings.js'
import { loadKubeconfig } from './kubeconfig.js'
import { redact, urlCredentials } from './mask.js'
import { shownUrl } from './server-url.js'
import { VERSION } from './version.js'

export type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type ApiGroup = 'build' | 'image' | 'core'

/** A Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata: {
    name: string
    namespace?: string
    resourceVersion?: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
    creationTimestamp?: string
    [key: string]: unknown
  }
  spec?: any
  status?: any
  [key: string]: unknown
}

export interface KubeList<T = KubeObject> {
  metadata: { resourceVersion?: string }
  items: T[]
}

export interface WatchEvent<T = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'
  object: T
}

/** The Status object every API error carries. */
export interface StatusObject {
  kind?: string
  status?: string
  message?: string
  reason?: string
  code?: number
  details?: { name?: string; kind?: string; retryAfterSeconds?: number; causes?: { message?: string; field?: string }[] }
}

const GROUP_PATHS: Record<ApiGroup, string> = {
  build: '/apis/build.openshift.io/v1',
  image: '/apis/image.openshift.io/v1',
  core: '/api/v1'
}

/** What a request is, for URLs and for messages. */
export interface RequestSpec {
  verb: Verb
  group: ApiGroup
  /** Plural resource, e.g. `buildconfigs`. Omitted for a group's discovery document. */
  resource?: string
  name?: string
  subresource?: string
  /** Default true when a resource is given. */
  namespaced?: boolean
  query?: Record<string, string | number | boolean | undefined>
  body?: unknown
  contentType?: string
  signal?: AbortSignal
  /** Default: every verb but POST. Only idempotent requests are retried after an ambiguous failure. */
  idempotent?: boolean
}

/** An error from the cluster or the way to it, naming the request. */
export class ClusterError extends Error {
  /** HTTP status, when the server answered. */
  readonly status?: number
  readonly reason?: string
  /** The server's Status object, when it sent one. */
  readonly statusObject?: StatusObject
  /** Network error code (ECONNRESET, UND_ERR_SOCKET, DEPTH_ZERO_SELF_SIGNED_CERT, …). */
  readonly code?: string
  /** The request may have reached the server and been carried out (only meaningful for non-idempotent ones). */
  readonly ambiguous: boolean
  /** `GET buildconfigs/foo in namespace ns`. */
  readonly request: string

  constructor(
    message: string,
    init: {
      request: string
      status?: number
      reason?: string
      statusObject?: StatusObject
      code?: string
      ambiguous?: boolean
      cause?: unknown
    }
  ) {
    super(message, init.cause !== undefined ? { cause: init.cause } : undefined)
    this.name = 'ClusterError'
    this.request = init.request
    this.status = init.status
    this.reason = init.reason
    this.statusObject = init.statusObject
    this.code = init.code
    this.ambiguous = init.ambiguous ?? false
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ClusterError && error.status === 404
}
export function isConflict(error: unknown): boolean {
  return error instanceof ClusterError && error.status === 409
}
export function isGone(error: unknown): boolean {
  return error instanceof ClusterError && error.status === 410
}

export interface RetryPolicy {
  /** Attempts in total for a retryable request (first one included). */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Longest Retry-After honoured. */
  maxRetryAfterMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 250, maxDelayMs: 8000, maxRetryAfterMs: 30000 }

export interface ClusterOptions {
  /** Namespace used by every namespaced request (default: the kubeconfig context's). */
  namespace?: string
  /** Environment for KUBECONFIG, HOME, proxies and in-cluster detection (default process.env). */
  env?: Record<string, string | undefined>
  retry?: Partial<RetryPolicy>
  /** Time limit of one non-streaming request. */
  requestTimeoutMs?: number
  userAgent?: string
  /** Receives one line per retry and per request when debugging; never a credential. */
  debug?: (message: string) => void
  /** For tests: how to wait between retries. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /**
   * A bearer token that expires (GitHub OIDC ID tokens live minutes): called for a fresh one before the first
   * request and again once `tokenLifetimeMs` has passed; it replaces the kubeconfig's credentials.
   */
  tokenProvider?: () => Promise<string>
  tokenLifetimeMs?: number
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504])
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT'
])
/** Network failures after which the server cannot have acted on the request. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'))
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason ?? new Error('aborted'))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Capped exponential backoff with jitter (between half and all of the capped delay). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
  return Math.round(capped * (0.5 + random() / 2))
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** Unwrap `TypeError: fetch failed` and friends to the code and message that say what went wrong. */
export function networkCause(error: unknown): { code?: string; message: string } {
  let current: any = error
  let code: string | undefined
  let message = error instanceof Error ? error.message : String(error)
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string' && !code) code = current.code
    if (current.message && current !== error) message = current.message
    current = current.cause
  }
  if (error instanceof Error && error.name === 'AbortError') code = code ?? 'ABORT'
  if (error instanceof Error && error.name === 'TimeoutError') code = code ?? 'TIMEOUT'
  return { code, message }
}

// ---------------------------------------------------------------------------------------------------------------
// Configuration

/** The certificate authority as client-node wants it: base64 of the PEM (accepts a PEM or an already base64 PEM). */
export function caDataFromPem(ca: string): string {
  const text = ca.replace(/\r\n/g, '\n').trim()
  if (text.includes('-----BEGIN')) return Buffer.from(text + '\n').toString('base64')
  const decoded = Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (decoded.includes('-----BEGIN')) return text.replace(/\s+/g, '')
  throw new Error('certificate-authority: expected a PEM certificate ("-----BEGIN CERTIFICATE-----" …) or its base64')
}

/** The proxy for a server URL from HTTPS_PROXY / HTTP_PROXY and NO_PROXY (client-node ignores them by itself). */
export function proxyFor(server: string, env: Record<string, string | undefined>): string | undefined {
  const url = new URL(server)
  const pick = (...names: string[]): string | undefined =>
    names.map((n) => env[n]).find((v) => v !== undefined && v.trim() !== '')?.trim()
  const proxy = url.protocol === 'https:' ? pick('HTTPS_PROXY', 'https_proxy') : pick('HTTP_PROXY', 'http_proxy')
  if (!proxy) return undefined
  const noProxy = pick('NO_PROXY', 'no_proxy')
  if (noProxy && bypassesProxy(url, noProxy)) return undefined
  return proxy
}

function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase()
    if (!entry) continue
    if (entry === '*') return true
    let entryPort: string | undefined
    const portMatch = /^(.*[^:]):(\d+)$/.exec(entry)
    if (portMatch && !entry.startsWith('[') && entry.split(':').length === 2) {
      entry = portMatch[1]
      entryPort = portMatch[2]
    }
    entry = entry.replace(/^\[|\]$/g, '')
    if (entryPort && entryPort !== port) continue
    if (entry.startsWith('*.')) entry = entry.slice(1)
    if (entry.startsWith('.')) {
      if (host.endsWith(entry) || host === entry.slice(1)) return true
    } else if (host === entry || host.endsWith('.' + entry)) return true
  }
  return false
}

export { SERVICE_ACCOUNT_DIR }

export interface LoadedConfig {
  kubeConfig: Kubeconfig
  server: string
  namespace?: string
  /** How the credentials were found, for a debug line (never the credentials). */
  source: string
}

/**
 * The kubeconfig of the connection settings: a token (with the server), else a kubeconfig (path or inline YAML,
 * as `oc login` writes it), else the in-cluster service account, else `$KUBECONFIG` / `~/.kube/config`.
 * The server, CA and insecure-skip-tls-verify of the settings override the kubeconfig's; proxies come from the
 * environment.
 */
export function loadConfig(
  conn: ConnectionSettings,
  env: Record<string, string | undefined> = process.env,
  serviceAccountDir = SERVICE_ACCOUNT_DIR
): LoadedConfig {
  let kc: Kubeconfig
  let source: string
  if (conn.token) {
    if (!conn.server) throw new Error('openshift-server is required with openshift-token')
    kc = new Kubeconfig({
      clusters: [{ name: 'cluster', server: conn.server, skipTLSVerify: false }],
      users: [{ name: 'user', token: conn.token }],
      contexts: [{ name: 'context', cluster: 'cluster', user: 'user' }],
      currentContext: 'context'
    })
    source = 'token'
  } else if (conn.oidcAudience && conn.server) {
    // The bearer token comes from ClusterOptions.tokenProvider (a GitHub OIDC ID token for this audience).
    kc = new Kubeconfig({
      clusters: [{ name: 'cluster', server: conn.server, skipTLSVerify: false }],
      users: [{ name: 'oidc' }],
      contexts: [{ name: 'context', cluster: 'cluster', user: 'oidc' }],
      currentContext: 'context'
    })
    source = `GitHub OIDC token for audience ${conn.oidcAudience}`
  } else if (conn.kubeconfig?.inline) {
    kc = loadKubeconfig(conn.kubeconfig.inline, 'kubeconfig (inline)')
    source = 'kubeconfig (inline)'
  } else if (conn.kubeconfig?.path) {
    if (conn.kubeconfig.text === undefined && !existsSync(conn.kubeconfig.path)) throw new Error(`kubeconfig: file not found: ${conn.kubeconfig.path}`)
    kc = loadKubeconfig(conn.kubeconfig.text ?? readFileSync(conn.kubeconfig.path, 'utf8'), `kubeconfig ${conn.kubeconfig.path}`)
    source = `kubeconfig ${conn.kubeconfig.path}`
  } else if (env.KUBERNETES_SERVICE_HOST && existsSync(path.join(serviceAccountDir, 'token'))) {
    // The service account of a runner inside the cluster (what kc.loadFromCluster does, from `env`).
    const host = env.KUBERNETES_SERVICE_HOST.includes(':') ? `[${env.KUBERNETES_SERVICE_HOST}]` : env.KUBERNETES_SERVICE_HOST
    const port = env.KUBERNETES_SERVICE_PORT ?? '443'
    const namespaceFile = path.join(serviceAccountDir, 'namespace')
    kc = new Kubeconfig({
      clusters: [
        {
          name: 'in-cluster',
          server: `${['80', '8080', '8001'].includes(port) ? 'http' : 'https'}://${host}:${port}`,
          caFile: path.join(serviceAccountDir, 'ca.crt'),
          skipTLSVerify: false
        }
      ],
      users: [{ name: 'service-account', authProvider: { name: 'tokenFile', config: { tokenFile: path.join(serviceAccountDir, 'token') } } }],
      contexts: [
        {
          name: 'in-cluster',
          cluster: 'in-cluster',
          user: 'service-account',
          namespace: existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined
        }
      ],
      currentContext: 'in-cluster'
    })
    source = 'in-cluster service account'
  } else {
    const candidates = [
      ...(env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean),
      path.join(env.HOME || homedir(), '.kube', 'config')
    ]
    const file = candidates.find((f) => existsSync(f))
    if (!file)
      throw new Error(
        'No credentials for OpenShift: give openshift-token (with openshift-server) or a kubeconfig, or run inside the cluster'
      )
    kc = loadKubeconfig(readFileSync(file, 'utf8'), `kubeconfig ${file}`)
    source = `kubeconfig ${file}`
  }

  const context: KubeContext | null = kc.getContextObject(kc.getCurrentContext())
  const current = kc.getCurrentCluster()
  if (!current) throw new Error(`${source}: the current context names no cluster`)
  const server = (conn.server ?? current.server).replace(/\/+$/, '')
  try {
    new URL(server)
  } catch {
    throw new Error(`openshift-server: not a URL: ${shownUrl(server)}`)
  }
  const cluster: KubeCluster = {
    ...current,
    server,
    // Plain http has no certificate to verify (client-node refuses http unless this is set).
    skipTLSVerify: conn.insecureSkipTlsVerify || current.skipTLSVerify || server.startsWith('http:'),
    ...(conn.certificateAuthority ? { caData: caDataFromPem(conn.certificateAuthority), caFile: undefined } : {}),
    proxyUrl: current.proxyUrl ?? proxyFor(server, env)
  }
  if (conn.insecureSkipTlsVerify) {
    delete (cluster as { caData?: string }).caData
    delete cluster.caFile
  }
  const user: KubeUser | null = kc.getCurrentUser()
  const contextName = context?.name ?? 'context'
  const rebuilt = new Kubeconfig({
    clusters: [cluster],
    users: user ? [user] : [{ name: 'user' }],
    contexts: [{ name: contextName, cluster: cluster.name, user: user?.name ?? 'user', namespace: context?.namespace }],
    currentContext: contextName
  })
  return { kubeConfig: rebuilt, server, namespace: context?.namespace, source }
}

// ---------------------------------------------------------------------------------------------------------------
// The client

export interface LogQuery {
  follow?: boolean
  timestamps?: boolean
  sinceTime?: string
  sinceSeconds?: number
  tailLines?: number
  limitBytes?: number
  nowait?: boolean
}

export interface WatchQuery {
  fieldSelector?: string
  labelSelector?: string
  resourceVersion?: string
  /** Server-side end of the watch (a clean close). */
  timeoutSeconds?: number
}

export class Cluster {
  readonly server: string
  private readonly kc: Kubeconfig
  private readonly ns?: string
  private readonly retry: RetryPolicy
  private readonly requestTimeoutMs: number
  private readonly userAgent: string
  private readonly debugLog: (message: string) => void
  private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>
  private readonly credentials: Credentials
  private readonly tokenProvider?: () => Promise<string>
  private readonly tokenLifetimeMs: number
  private token?: { value: string; at: number }
  /** Credentials this client sends, taken out of any message a library builds (never printed). */
  private readonly sentSecrets: string[]

  constructor(kubeConfig: Kubeconfig, options: ClusterOptions = {}) {
    this.kc = kubeConfig
    const cluster = kubeConfig.getCurrentCluster()
    if (!cluster) throw new Error('kubeconfig: no current cluster')
    const user = kubeConfig.getCurrentUser()
    this.credentials = new Credentials(cluster, user)
    this.sentSecrets = [user?.token, user?.password, user?.keyData, ...Object.values(user?.authProvider?.config ?? {}), ...urlCredentials(cluster.server)].filter(
      (v): v is string => typeof v === 'string' && v.length > 3
    )
    this.server = cluster.server.replace(/\/+$/, '')
    const context = kubeConfig.getContextObject(kubeConfig.getCurrentContext())
    this.ns = options.namespace ?? context?.namespace ?? undefined
    this.retry = { ...DEFAULT_RETRY, ...options.retry }
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60000
    this.userAgent = options.userAgent ?? `osbs-build-action/${VERSION}`
    this.debugLog = options.debug ?? (() => {})
    this.wait = options.sleep ?? sleep
    this.tokenProvider = options.tokenProvider
    this.tokenLifetimeMs = options.tokenLifetimeMs ?? 4 * 60_000
  }

  /** A client from the action's connection settings (see `loadConfig`). */
  static fromSettings(conn: ConnectionSettings, options: ClusterOptions = {}): Cluster {
    const loaded = loadConfig(conn, options.env ?? process.env)
    options.debug?.(`cluster ${loaded.server} (credentials: ${loaded.source})`)
    return new Cluster(loaded.kubeConfig, { ...options, namespace: options.namespace ?? loaded.namespace })
  }

  get namespace(): string {
    if (!this.ns) throw new Error('No namespace: give the namespace input or a kubeconfig context with a namespace')
    return this.ns
  }

  /** Close idle connections so the process can end. */
  async close(): Promise<void> {
    await this.credentials.close()
  }

  /** A library's error message without any credential (a header error quotes the header's value). */
  private safeMessage(message: string): string {
    if (/invalid header value|header value/i.test(message))
      return 'a request header could not be built: a credential holds a character an HTTP header cannot carry (a line break or a control character)'
    return redact(message, this.sentSecrets)
  }

  /** `GET builds/foo in namespace ns` */
  describe(spec: Pick<RequestSpec, 'verb' | 'group' | 'resource' | 'name' | 'subresource' | 'namespaced'>): string {
    const what = spec.resource
      ? [spec.resource, spec.name, spec.subresource].filter(Boolean).join('/')
      : GROUP_PATHS[spec.group]
    const ns = spec.resource && spec.namespaced !== false && this.ns ? ` in namespace ${this.ns}` : ''
    return `${spec.verb} ${what}${ns}`
  }

  /** The API URL of a namespaced object, e.g. a build (for people: the build-url output). */
  objectUrl(group: ApiGroup, resource: string, name: string): string {
    return this.url({ verb: 'GET', group, resource, name })
  }

  private url(spec: RequestSpec): string {
    let p = GROUP_PATHS[spec.group]
    if (spec.resource) {
      if (spec.namespaced !== false) p += `/namespaces/${encodeURIComponent(this.namespace)}`
      p += `/${spec.resource}`
      if (spec.name !== undefined) p += `/${encodeURIComponent(spec.name)}`
      if (spec.subresource) p += `/${spec.subresource}`
    }
    return this.server + p
  }

  /** The headers of one request: what it is, and its credentials (a fresh OIDC token when the last one is old). */
  private async headers(spec: RequestSpec): Promise<Record<string, string>> {
    const headers: Record<string, string> = { Accept: 'application/json, */*', 'User-Agent': this.userAgent }
    if (spec.body !== undefined) headers['Content-Type'] = spec.contentType ?? 'application/json'
    Object.assign(headers, await this.credentials.headers())
    if (this.tokenProvider) {
      if (!this.token || Date.now() - this.token.at > this.tokenLifetimeMs) {
        this.token = { value: await this.tokenProvider(), at: Date.now() }
        this.sentSecrets.push(this.token.value)
      }
      headers.Authorization = `Bearer ${this.token.value}`
    }
    return headers
  }

  private fullUrl(spec: RequestSpec): string {
    const url = new URL(this.url(spec))
    for (const [key, value] of Object.entries(spec.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value))
    return url.toString()
  }

  /**
   * Send one request, with the retry rules: transient failures (connection reset, 429, 500, 502, 503, 504) of
   * idempotent requests are retried with capped exponential backoff and jitter (Retry-After honoured); a
   * non-idempotent request is only retried when it certainly did not reach the server (connection refused, 429).
   * Returns the response with its body unread when `stream`, else its text.
   */
  private async send(
    spec: RequestSpec,
    stream: boolean
  ): Promise<{ status: number; headers: Record<string, string>; text?: string; body?: ReadableStream<Uint8Array> }> {
    const idempotent = spec.idempotent ?? spec.verb !== 'POST'
    const request = this.describe(spec)
    for (let attempt = 0; ; attempt++) {
      const last = attempt + 1 >= this.retry.attempts
      const controller = new AbortController()
      const signals = [controller.signal, ...(spec.signal ? [spec.signal] : [])]
      const timer = stream ? undefined : setTimeout(() => controller.abort(new TimeoutError()), this.requestTimeoutMs)
      let status: number
      let headers: Record<string, string>
      let text: string | undefined
      let body: ReadableStream<Uint8Array> | undefined
      try {
        const res = await fetch(this.fullUrl(spec), {
          method: spec.verb,
          headers: await this.headers(spec),
          body: spec.body !== undefined ? JSON.stringify(spec.body) : undefined,
          signal: AbortSignal.any(signals),
          dispatcher: await this.credentials.pool()
        })
        status = res.status
        headers = {}
        res.headers.forEach((value, name) => (headers[name] = value))
        if (stream && status >= 200 && status < 300) body = (res.body ?? undefined) as ReadableStream<Uint8Array> | undefined
        else text = await res.text()
      } catch (error) {
        clearTimeout(timer)
        if (spec.signal?.aborted) throw spec.signal.reason ?? error
        const cause = networkCause(error)
        const timedOut = controller.signal.aborted
        const code = timedOut ? 'TIMEOUT' : cause.code
        const transient = timedOut || (code !== undefined && NETWORK_CODES.has(code)) || /terminated|other side closed/i.test(cause.message)
        const notSent = code !== undefined && NOT_SENT_CODES.has(code)
        const detail = timedOut ? `no answer within ${Math.round(this.requestTimeoutMs / 1000)} s` : `${code ? code + ': ' : ''}${this.safeMessage(cause.message)}`
        if (transient && (idempotent || notSent) && !last) {
          const delay = backoffDelay(attempt, this.retry)
          this.debugLog(`${request}: ${detail}; retrying in ${delay} ms`)
          await this.wait(delay, spec.signal)
          continue
        }
        const tlsHint =
          code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/.test(code)
            ? ' — the server certificate is not trusted: give certificate-authority (the PEM of the cluster CA), or insecure-skip-tls-verify: true if you must'
            : ''
        throw new ClusterError(`${request} failed: could not reach ${this.server}: ${detail}${tlsHint}`, {
          request,
          code,
          ambiguous: !notSent,
          cause: error
        })
      }
      clearTimeout(timer)
      if (status >= 200 && status < 300) return { status, headers, text, body }

      const statusObject = parseStatus(text)
      if (RETRY_STATUSES.has(status) && (idempotent || status === 429) && !last) {
        const retryAfter = parseRetryAfter(headers['retry-after'])
        const delay =
          retryAfter !== undefined ? Math.min(retryAfter, this.retry.maxRetryAfterMs) : backoffDelay(attempt, this.retry)
        this.debugLog(`${request}: ${status} ${statusObject?.reason ?? ''}; retrying in ${delay} ms`)
        await this.wait(delay, spec.signal)
        continue
      }
      throw statusError(request, status, statusObject, text, !idempotent && status >= 500)
    }
  }

  /** Send a request and parse its JSON answer. */
  async request<T = any>(spec: RequestSpec): Promise<T> {
    const res = await this.send(spec, false)
    if (!res.text) return undefined as T
    try {
      return JSON.parse(res.text) as T
    } catch {
      throw new ClusterError(`${this.describe(spec)}: the server answered ${res.status} with a body that is not JSON`, {
        request: this.describe(spec),
        status: res.status
      })
    }
  }

  /** Send a request and return the body as a byte stream (the log). */
  async stream(spec: RequestSpec): Promise<AsyncIterable<Uint8Array>> {
    const res = await this.send(spec, true)
    if (!res.body) return (async function* () {})()
    return wrapStream(res.body, this.describe(spec))
  }

  // ----- resources -------------------------------------------------------------------------------------------

  /** SPEC §6.1: the first request. Fails with a plain message when the server is not OpenShift. */
  async checkBuildApi(signal?: AbortSignal): Promise<void> {
    try {
      const doc = await this.request<{ resources?: { name: string }[] }>({ verb: 'GET', group: 'build', signal })
      if (!doc?.resources?.some((r) => r.name === 'buildconfigs'))
        throw new Error(`${this.server} does not serve build.openshift.io/v1 — is it an OpenShift cluster?`)
    } catch (error) {
      if (error instanceof ClusterError && error.status === 404)
        throw new ClusterError(`${this.server} does not serve build.openshift.io/v1 — is it an OpenShift cluster?`, {
          request: error.request,
          status: 404
        })
      throw error
    }
  }

  /**
   * The web console's URL, when the cluster publishes it (OpenShift 4: ConfigMap `console-public` in
   * `openshift-config-managed`, what `oc whoami --show-console` reads); undefined otherwise.
   */
  async consoleUrl(signal?: AbortSignal): Promise<string | undefined> {
    try {
      const cm = await this.request<KubeObject & { data?: Record<string, string> }>({
        verb: 'GET',
        group: 'core',
        resource: 'namespaces',
        name: 'openshift-config-managed',
        subresource: 'configmaps/console-public',
        namespaced: false,
        signal
      })
      const url = cm?.data?.consoleURL?.trim()
      return url && /^https?:\/\//.test(url) ? url.replace(/\/+$/, '') : undefined
    } catch (error) {
      if (error instanceof ClusterError && error.status !== undefined && error.status < 500) return undefined
      throw error
    }
  }

  /**
   * Where a person looks at a build: its page in the web console when the cluster has one, else its API URL.
   * `consoleUrl`: the console URL when it was asked for already.
   */
  async buildPageUrl(name: string, signal?: AbortSignal, consoleUrl?: Promise<string | undefined>): Promise<string> {
    const console = await (consoleUrl ?? this.consoleUrl(signal)).catch(() => undefined)
    return console
      ? `${console}/k8s/ns/${encodeURIComponent(this.namespace)}/builds/${encodeURIComponent(name)}`
      : this.objectUrl('build', 'builds', name)
  }

  getSecret(name: string, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'GET', group: 'core', resource: 'secrets', name, signal })
  }

  async getBuildConfig(name: string, signal?: AbortSignal): Promise<KubeObject | undefined> {
    try {
      return await this.request({ verb: 'GET', group: 'build', resource: 'buildconfigs', name, signal })
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
  }

  createBuildConfig(body: KubeObject, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'POST', group: 'build', resource: 'buildconfigs', name: undefined, body, signal })
  }

  /** PUT: the body carries the resourceVersion it was read at (409 when someone wrote in between). */
  replaceBuildConfig(body: KubeObject, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'PUT', group: 'build', resource: 'buildconfigs', name: body.metadata.name, body, signal })
  }

  listBuilds(query: { labelSelector?: string; fieldSelector?: string }, signal?: AbortSignal): Promise<KubeList> {
    return this.request({ verb: 'GET', group: 'build', resource: 'builds', query, signal })
  }

  getBuild(name: string, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'GET', group: 'build', resource: 'builds', name, signal })
  }

  getImageStream(name: string, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'GET', group: 'image', resource: 'imagestreams', name, signal })
  }

  getImageStreamTag(name: string, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({ verb: 'GET', group: 'image', resource: 'imagestreamtags', name, signal })
  }

  /** POST buildconfigs/<bc>/instantiate. Never retried once it may have reached the server (see flow/start). */
  instantiate(buildConfig: string, buildRequest: unknown, signal?: AbortSignal): Promise<KubeObject> {
    return this.request({
      verb: 'POST',
      group: 'build',
      resource: 'buildconfigs',
      name: buildConfig,
      subresource: 'instantiate',
      body: buildRequest,
      signal
    })
  }

  /**
   * Cancel a build: merge-patch `status.cancelled=true` (what `oc cancel-build` does); when the server refuses the
   * patch, GET and PUT the build back with the flag (osbs-client's way), retrying on conflict.
   */
  async cancelBuild(name: string, signal?: AbortSignal): Promise<KubeObject> {
    try {
      return await this.request({
        verb: 'PATCH',
        group: 'build',
        resource: 'builds',
        name,
        body: { status: { cancelled: true } },
        contentType: 'application/merge-patch+json',
        signal
      })
    } catch (error) {
      if (!(error instanceof ClusterError) || ![400, 405, 415, 422].includes(error.status ?? 0)) throw error
      this.debugLog(`${error.message}; cancelling with GET and PUT`)
    }
    for (let attempt = 0; ; attempt++) {
      const build = await this.getBuild(name, signal)
      build.status = { ...(build.status ?? {}), cancelled: true }
      try {
        return await this.request({ verb: 'PUT', group: 'build', resource: 'builds', name, body: build, signal })
      } catch (error) {
        if (!isConflict(error) || attempt >= 4) throw error
      }
    }
  }

  /** GET builds/<name>/log as a byte stream. */
  buildLog(name: string, query: LogQuery, signal?: AbortSignal): Promise<AsyncIterable<Uint8Array>> {
    return this.stream({
      verb: 'GET',
      group: 'build',
      resource: 'builds',
      name,
      subresource: 'log',
      query: { ...query },
      signal
    })
  }

  /**
   * One watch connection on a collection (`?watch=true`): yields events until the server closes the stream, the
   * connection drops (throws ClusterError), or nothing arrives for `inactivityMs` (ends quietly: re-watch).
   * An in-stream 410 ERROR event is thrown as a ClusterError with status 410.
   */
  async *watch(
    group: ApiGroup,
    resource: string,
    query: WatchQuery,
    options: { signal?: AbortSignal; inactivityMs?: number } = {}
  ): AsyncGenerator<WatchEvent> {
    const inactivity = new AbortController()
    const signal = options.signal ? AbortSignal.any([options.signal, inactivity.signal]) : inactivity.signal
    const spec: RequestSpec = {
      verb: 'GET',
      group,
      resource,
      query: { watch: 'true', ...query, allowWatchBookmarks: 'true' },
      signal
    }
    const request = this.describe(spec) + ' (watch)'
    const inactivityMs = options.inactivityMs ?? 60000
    let timer: NodeJS.Timeout | undefined
    const arm = (): void => {
      clearTimeout(timer)
      timer = setTimeout(() => inactivity.abort(new TimeoutError()), inactivityMs)
    }
    arm()
    try {
      let chunks: AsyncIterable<Uint8Array>
      try {
        chunks = await this.stream(spec)
      } catch (error) {
        if (inactivity.signal.aborted && !options.signal?.aborted) return
        throw error
      }
      const decoder = new TextDecoder()
      let buffer = ''
      try {
        for await (const chunk of chunks) {
          arm()
          buffer += decoder.decode(chunk, { stream: true })
          let nl: number
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim()
            buffer = buffer.slice(nl + 1)
            if (!line) continue
            let event: WatchEvent
            try {
              event = JSON.parse(line)
            } catch {
              continue
            }
            if (event.type === 'ERROR') {
              const status = event.object as unknown as StatusObject
              throw statusError(request, status.code ?? 500, status, undefined, false)
            }
            yield event
          }
        }
      } catch (error) {
        if (error instanceof ClusterError && error.status !== undefined) throw error
        if (options.signal?.aborted) throw options.signal.reason ?? error
        if (inactivity.signal.aborted) return
        throw error
      }
    } finally {
      clearTimeout(timer)
      inactivity.abort()
    }
  }
}

class TimeoutError extends Error {
  constructor() {
    super('timed out')
    this.name = 'TimeoutError'
  }
}

function parseStatus(text: string | undefined): StatusObject | undefined {
  if (!text) return undefined
  try {
    const parsed = JSON.parse(text)
    return parsed && typeof parsed === 'object' && (parsed.kind === 'Status' || parsed.message) ? parsed : undefined
  } catch {
    return undefined
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Gone',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'Timeout'
}

function statusError(
  request: string,
  status: number,
  statusObject: StatusObject | undefined,
  text: string | undefined,
  ambiguous: boolean
): ClusterError {
  const reason = statusObject?.reason || STATUS_TEXT[status] || ''
  let message = statusObject?.message || (text ? text.trim().slice(0, 300) : '') || 'no message'
  const causes = statusObject?.details?.causes
    ?.map((c) => [c.field, c.message].filter(Boolean).join(': '))
    .filter((c) => c && !message.includes(c))
  if (causes?.length) message += ` (${causes.join('; ')})`
  let hint = ''
  if (status === 401) hint = ' — check openshift-token or the kubeconfig credentials'
  if (status === 403) hint = ' — the account lacks permission for this request'
  return new ClusterError(`${request} failed: ${status} ${reason}: ${message}${hint}`, {
    request,
    status,
    reason,
    statusObject,
    ambiguous
  })
}

async function* wrapStream(body: ReadableStream<Uint8Array>, request: string): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  try {
    for (;;) {
      let result: Awaited<ReturnType<typeof reader.read>>
      try {
        result = await reader.read()
      } catch (error) {
        if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) throw error
        const cause = networkCause(error)
        throw new ClusterError(`${request}: the stream broke: ${cause.code ? cause.code + ': ' : ''}${cause.message}`, {
          request,
          code: cause.code ?? 'STREAM',
          ambiguous: true,
          cause: error
        })
      }
      if (result.done) return
      yield result.value
    }
  } finally {
    try {
      await reader.cancel()
    } catch {
      /* already closed */
    }
    reader.releaseLock()
  }
}

export interface ConnectHooks {
  /** GitHub OIDC: an ID token for the audience (main.ts passes `core.getIDToken`). */
  getIdToken?: (audience: string) => Promise<string>
  /** Called with every credential obtained at run time, before it is used (main.ts passes `core.setSecret`). */
  setSecret?: (value: string) => void
  debug?: (message: string) => void
  env?: Record<string, string | undefined>
}

/** The client for the action's settings: namespace from the settings, OIDC tokens fetched (and masked) as needed. */
export function connectCluster(
  settings: { connection: ConnectionSettings; namespace: string },
  hooks: ConnectHooks = {}
): Cluster {
  const { connection } = settings
  const audience = connection.oidcAudience
  const getIdToken = hooks.getIdToken
  const tokenProvider =
    audience && !connection.token && getIdToken
      ? async (): Promise<string> => {
          const token = await getIdToken(audience)
          hooks.setSecret?.(token)
          return token
        }
      : undefined
  if (audience && !connection.token && !getIdToken) throw new Error('oidc-audience is set, but no way to get an OIDC token was given')
  return Cluster.fromSettings(connection, {
    namespace: settings.namespace,
    env: hooks.env,
    debug: hooks.debug,
    tokenProvider
  })
}
