/**
 * What the failures of a request say, built from what the request was and what came back: the access a request
 * asks for as RBAC names it (for a 403), the error of a server that could not be reached or did not answer, and a
 * server's answer with every known credential taken out. Pure: no I/O.
 */
import { redact, urlCredentials } from '../shared/mask.js'
import { ClusterError, tlsProblem, type RequestAccess } from './errors.js'
import { DEFAULT_REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_VARIABLE } from './retry.js'
import { GROUP_NAMES, type RequestSpec } from './types.js'

/** `30 s`, `0.5 s` */
export function secondsText(ms: number): string {
  const seconds = ms / 1000
  return `${seconds >= 1 ? Math.round(seconds) : seconds} s`
}

/** `value` (a text, or parsed JSON) with every one of `secrets` replaced by `***` in every string it holds. */
export function scrubbed<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return redact(value, secrets) as T
  if (Array.isArray(value)) return value.map((v: unknown) => scrubbed(v, secrets)) as T
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubbed(v, secrets)])) as T
  return value
}

/** The user info of a proxy URL, and the Basic credential undici makes of it (a proxy's error page may echo either). */
export function proxyCredentials(proxyUrl: string | undefined): string[] {
  if (!proxyUrl) return []
  const found = urlCredentials(proxyUrl)
  try {
    const url = new URL(proxyUrl)
    if (url.password) found.push(Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64'))
  } catch {
    /* not a URL: the connection fails with its own message */
  }
  return found
}

/** What a request asks for, as RBAC names it (`create` `buildconfigs/instantiate`); undefined for discovery. */
export function requestAccess(spec: RequestSpec, namespace: string | undefined): RequestAccess | undefined {
  if (!spec.resource) return undefined
  const watch = String(spec.query?.watch) === 'true'
  const verbs = { GET: watch ? 'watch' : spec.name === undefined ? 'list' : 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }
  return {
    verb: verbs[spec.verb],
    resource: spec.subresource ? `${spec.resource}/${spec.subresource}` : spec.resource,
    group: GROUP_NAMES[spec.group],
    namespace: spec.namespaced !== false ? namespace : undefined
  }
}

export interface Unreached {
  code?: string
  /** The network or TLS message, with no credential in it. */
  message: string
  /** The names of a certificate refused for its names. */
  certificateNames?: string
  /** The time limit that passed, when no answer came in time. */
  timeoutMs?: number
  attempts: number
  /** The request cannot have reached the server. */
  notSent: boolean
  error: unknown
}

/** The error of a request that got no answer: the server, why (no answer in time, TLS, network), what to do. */
export function unreachableError(request: string, server: string, failure: Unreached): ClusterError {
  const { code, message, timeoutMs, attempts } = failure
  let text: string
  if (timeoutMs !== undefined)
    text = `${request} failed: ${server} did not answer within ${secondsText(timeoutMs)}${attempts > 1 ? ` (${attempts} attempts)` : ''}: check that openshift-server is the address of the API server and that it is up (the time limit of one request is ${REQUEST_TIMEOUT_VARIABLE}, default ${DEFAULT_REQUEST_TIMEOUT_MS / 1000})`
  else {
    const tls = tlsProblem(code, message, { host: new URL(server).hostname, certificateNames: failure.certificateNames })
    text = `${request} failed: could not reach ${server}: ${tls ?? `${code ? code + ': ' : ''}${message}`}`
  }
  return new ClusterError(text, { request, code, ambiguous: !failure.notSent, cause: failure.error })
}
