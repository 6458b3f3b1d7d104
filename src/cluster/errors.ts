/**
 * Errors from the cluster or the way to it: each names the request and carries the server's Status message (with a
 * hint for 401 and 403), or the network failure that stopped it.
 */
import type { StatusObject } from './types.js'

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
/** 401 or 403: the credentials are rejected or lack a permission; asking again will not help. */
export function isDenied(error: unknown): boolean {
  return error instanceof ClusterError && (error.status === 401 || error.status === 403)
}
export function isGone(error: unknown): boolean {
  return error instanceof ClusterError && error.status === 410
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

export class TimeoutError extends Error {
  constructor() {
    super('timed out')
    this.name = 'TimeoutError'
  }
}

export function parseStatus(text: string | undefined): StatusObject | undefined {
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

export function statusError(request: string, status: number, statusObject: StatusObject | undefined, text: string | undefined, ambiguous: boolean): ClusterError {
  const reason = statusObject?.reason || STATUS_TEXT[status] || ''
  let message = statusObject?.message || (text ? text.trim().slice(0, 300) : '') || 'no message'
  const causes = statusObject?.details?.causes?.map((c) => [c.field, c.message].filter(Boolean).join(': ')).filter((c) => c && !message.includes(c))
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
