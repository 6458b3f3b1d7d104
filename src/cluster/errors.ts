/**
 * Errors from the cluster or the way to it: each names the request and carries the server's Status message (with a
 * hint for 401 and 403), or the network failure that stopped it.
 */
import { customStrategyRemedy, isCustomStrategyRefusal } from './custom-strategy.js'
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

/**
 * Unwrap `TypeError: fetch failed` and friends to the code and message that say what went wrong, and for a
 * certificate refused for its names, the names it holds (`DNS:api.example.com, IP Address:10.0.0.1`).
 */
export function networkCause(error: unknown): { code?: string; message: string; certificateNames?: string } {
  let current: any = error
  let code: string | undefined
  let certificateNames: string | undefined
  let message = error instanceof Error ? error.message : String(error)
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string' && !code) code = current.code
    if (typeof current.cert?.subjectaltname === 'string' && !certificateNames) certificateNames = current.cert.subjectaltname
    if (current.message && current !== error) message = current.message
    current = current.cause
  }
  if (error instanceof Error && error.name === 'AbortError') code = code ?? 'ABORT'
  if (error instanceof Error && error.name === 'TimeoutError') code = code ?? 'TIMEOUT'
  return { code, message, certificateNames }
}

/** A request sent, or still running, after the client was closed (the run is over). */
export class ClientClosedError extends Error {
  constructor(request?: string) {
    super(`${request ? `${request}: ` : ''}the connection to the cluster was closed at the end of the run`)
    this.name = 'ClientClosedError'
  }
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

/** What a request asked for, as RBAC names it: for the message of a 403 (`create` `buildconfigs/instantiate`). */
export interface RequestAccess {
  /** RBAC verb: get, list, watch, create, update, patch, delete. */
  verb: string
  /** Resource, with its subresource (`builds/log`). */
  resource: string
  /** API group (`build.openshift.io`; '' for the core group). */
  group: string
  namespace?: string
}

/** 401: the credentials were refused (a token that expired, was revoked, or is for another cluster). */
const UNAUTHORIZED_HINT =
  ' — the server rejected the credentials (the token expired or was revoked, or it is not a token of this cluster): give a valid openshift-token (e.g. a service account token: oc sa get-token <service account> on OpenShift 3.x, oc create token <service account> on 4.x), a kubeconfig whose user can log in, or oidc-audience as the cluster expects it'

/** 403: who may not do what, and the role that allows it. */
function forbiddenHint(message: string, access: RequestAccess | undefined): string {
  const user = /\bUser "([^"]+)"/.exec(message)?.[1]
  const account = user ?? '<user>'
  if (isCustomStrategyRefusal(message)) {
    // the admission plugin BuildByStrategy: no role the namespace's admin can give allows it
    const namespace = access?.namespace ?? '<namespace>'
    return ` — ${user ?? 'the account'} may not create builds/custom in API group build.openshift.io in namespace ${namespace}, which a build of the Custom strategy needs: ${customStrategyRemedy(user, namespace)}`
  }
  if (!access) return ` — the account${user ? ` ${user}` : ''} lacks permission for this request: grant it a role that allows it`
  const group = access.group ? ` in API group ${access.group}` : ''
  const where = access.namespace ? ` in namespace ${access.namespace}` : ''
  const grant = access.namespace ? ` (e.g. oc policy add-role-to-user edit ${account} -n ${access.namespace}: the edit role allows every request of the action)` : ''
  return ` — ${user ?? 'the account'} may not ${access.verb} ${access.resource}${group}${where}: grant it a role that allows ${access.verb} on ${access.resource}${grant}`
}

export function statusError(request: string, status: number, statusObject: StatusObject | undefined, text: string | undefined, ambiguous: boolean, access?: RequestAccess): ClusterError {
  const reason = statusObject?.reason || STATUS_TEXT[status] || ''
  let message = statusObject?.message || (text ? text.trim().slice(0, 300) : '') || 'no message'
  const causes = statusObject?.details?.causes?.map((c) => [c.field, c.message].filter(Boolean).join(': ')).filter((c) => c && !message.includes(c))
  if (causes?.length) message += ` (${causes.join('; ')})`
  let hint = ''
  if (status === 401) hint = UNAUTHORIZED_HINT
  if (status === 403) hint = forbiddenHint(message, access)
  return new ClusterError(`${request} failed: ${status} ${reason}: ${message}${hint}`, {
    request,
    status,
    reason,
    statusObject,
    ambiguous
  })
}

/** Why a TLS handshake failed and what to do, from Node's error code; undefined for a failure that is not TLS. */
export function tlsProblem(code: string | undefined, nodeMessage: string, context: { host?: string; certificateNames?: string } = {}): string | undefined {
  if (!code) return undefined
  // Node 24 adds advice about its own command line (`--use-system-ca`), which a step cannot pass: left out.
  const message = nodeMessage.replace(/;\s*if the root CA is installed locally.*$/i, '')
  const trust = 'give certificate-authority (the PEM of the CA that signed the cluster certificate, or a file holding it), or insecure-skip-tls-verify: true if you must'
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `the server certificate is for another host name (${context.certificateNames && context.host ? `${context.host} is not among the names it holds: ${context.certificateNames}` : message}): give openshift-server with a host name the certificate holds (or tls-server-name in a kubeconfig)`
  if (/^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|UNABLE_TO_GET_CRL|CERT_UNTRUSTED)$/.test(code))
    return `the server certificate is not trusted: it is signed by an unknown certificate authority (${message}): ${trust}`
  if (code === 'CERT_HAS_EXPIRED') return `the server certificate has expired (${message}): the cluster's certificate must be renewed`
  if (code === 'CERT_NOT_YET_VALID') return `the server certificate is not valid yet (${message}): check the clock of the runner and of the cluster`
  if (code === 'CERT_REVOKED') return `the server certificate was revoked (${message})`
  if (/^(ERR_SSL_WRONG_VERSION_NUMBER|ERR_SSL_PACKET_LENGTH_TOO_LONG|ERR_SSL_HTTP_REQUEST)$/.test(code) || /wrong version number|packet length too long/i.test(message))
    return `the server does not speak TLS on this port (${message}): check openshift-server (http:// or https://, and the port)`
  if (/CERT|SSL|TLS/.test(code)) return `the TLS connection failed (${code}: ${message}): check openshift-server and certificate-authority`
  return undefined
}
