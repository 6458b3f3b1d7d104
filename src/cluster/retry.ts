/** What is retried and how long to wait: capped exponential backoff with jitter, Retry-After honoured. */

export interface RetryPolicy {
  /** Attempts in total for a retryable request (first one included). */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Longest Retry-After honoured. */
  maxRetryAfterMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 250, maxDelayMs: 8000, maxRetryAfterMs: 30000 }

/**
 * The time limit of one ordinary request (not a log stream, not a watch: those are long by nature; a watch has its
 * own idle limit, see Cluster.watch). The API server answers such a request in well under a second, and ends one
 * itself after 60 s (kube-apiserver --request-timeout); 30 s is a server that is not answering.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000
/**
 * Attempts in total of a request that got no answer in time: a server that accepts connections and never answers
 * ends the request after TIMEOUT_ATTEMPTS times the time limit (plus two short backoffs), not at timeout-minutes.
 */
export const TIMEOUT_ATTEMPTS = 3
/**
 * The environment variable that sets the time limit of one request, in seconds (a hidden setting, not an input of
 * the action: for a cluster that is slow to answer, and for tests that need a short limit).
 */
export const REQUEST_TIMEOUT_VARIABLE = 'OSBS_REQUEST_TIMEOUT_SECONDS'

/** The time limit of one request from the environment (REQUEST_TIMEOUT_VARIABLE), in ms; undefined when unset or unusable. */
export function requestTimeoutFromEnv(env: Record<string, string | undefined>): number | undefined {
  const value = env[REQUEST_TIMEOUT_VARIABLE]?.trim()
  if (!value || !/^\d+(\.\d+)?$/.test(value)) return undefined
  const ms = Math.round(Number(value) * 1000)
  return ms > 0 ? ms : undefined
}

export const RETRY_STATUSES = new Set([429, 500, 502, 503, 504])
export const NETWORK_CODES = new Set([
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
export const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])

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
