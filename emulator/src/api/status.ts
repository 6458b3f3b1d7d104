/**
 * Kubernetes `Status` bodies, exactly as the OpenShift API server writes them (k8s.io/apimachinery `errors`).
 *
 * Every non-2xx JSON answer of the emulator is one of these. The resource part of a message is group-qualified on
 * `/apis/<group>/…` (`builds.build.openshift.io "x-1" not found`) and plain on `/oapi/v1` and `/api/v1`
 * (`builds "x-1" not found`); `details.group` is then omitted, as Go's `omitempty` does.
 */

export interface StatusCause {
  reason: string
  message: string
  field: string
}

export interface StatusBody {
  kind: 'Status'
  apiVersion: 'v1'
  metadata: Record<string, never>
  status: 'Failure' | 'Success'
  message?: string
  reason?: string
  details?: {
    name?: string
    group?: string
    kind?: string
    uid?: string
    causes?: StatusCause[]
    retryAfterSeconds?: number
  }
  code: number
}

/** An error that the HTTP layer turns into a Status response. */
export class ApiError extends Error {
  constructor(readonly status: StatusBody) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`)
    this.name = 'ApiError'
  }
  get code(): number {
    return this.status.code
  }
  get reason(): string | undefined {
    return this.status.reason
  }
}

/** Which resource an error is about, and how it is named on the path it was asked on. */
export interface ResourceRef {
  /** plural resource name, e.g. `builds` */
  resource: string
  /** API group, `''` for core and for the legacy `/oapi/v1` prefix */
  group: string
}

export function qualified(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource
}

function details(ref: ResourceRef, name: string | undefined, kind: string): StatusBody['details'] {
  const d: NonNullable<StatusBody['details']> = {}
  if (name !== undefined) d.name = name
  if (ref.group) d.group = ref.group
  d.kind = kind
  return d
}

function failure(code: number, reason: string, message: string, det?: StatusBody['details']): StatusBody {
  const s = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason } as StatusBody
  if (det !== undefined) s.details = det
  s.code = code
  return s
}

export function notFound(ref: ResourceRef, name: string): ApiError {
  return new ApiError(failure(404, 'NotFound', `${qualified(ref)} "${name}" not found`, details(ref, name, ref.resource)))
}

export function alreadyExists(ref: ResourceRef, name: string): ApiError {
  return new ApiError(failure(409, 'AlreadyExists', `${qualified(ref)} "${name}" already exists`, details(ref, name, ref.resource)))
}

export function conflict(ref: ResourceRef, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError {
  return new ApiError(failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(ref)} "${name}": ${why}`, details(ref, name, ref.resource)))
}

/** 422 Invalid. `kind` is the object Kind (BuildConfig), as NewInvalid writes it. */
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
  const what = group ? `${kind}.${group}` : kind
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message))
  const joined = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`
  const det: NonNullable<StatusBody['details']> = { name }
  if (group) det.group = group
  det.kind = kind
  det.causes = causes
  return new ApiError(failure(422, 'Invalid', `${what} "${name}" is invalid: ${joined}`, det))
}

export function badRequest(message: string): ApiError {
  return new ApiError(failure(400, 'BadRequest', message))
}

export function unauthorized(): ApiError {
  return new ApiError(failure(401, 'Unauthorized', 'Unauthorized'))
}

export function forbidden(ref: ResourceRef, name: string, why: string): ApiError {
  return new ApiError(failure(403, 'Forbidden', `${qualified(ref)} "${name}" is forbidden: ${why}`, details(ref, name, ref.resource)))
}

/**
 * RBAC's 403 (Kubernetes 1.11's `responsewriters.Forbidden`): `<resource> ["<name>"] is forbidden: User "<user>"
 * cannot <verb> <resource>[/<sub>] in the namespace "<ns>": no RBAC policy matched`.
 */
export function forbiddenByRBAC(ref: ResourceRef, name: string | undefined, user: string, verb: string, namespace: string, sub?: string): ApiError {
  const what = qualified(ref)
  const why = `User "${user}" cannot ${verb} ${what}${sub ? `/${sub}` : ''} in the namespace "${namespace}": no RBAC policy matched`
  return new ApiError(failure(403, 'Forbidden', `${what}${name ? ` "${name}"` : ''} is forbidden: ${why}`, details(ref, name || undefined, ref.resource)))
}

export function pathNotFound(): ApiError {
  return new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource', {}))
}

export function methodNotAllowed(): ApiError {
  return new ApiError(failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}))
}

export function unsupportedMediaType(_contentType: string): ApiError {
  return new ApiError(
    failure(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
      {}
    )
  )
}

/** A write whose body is not JSON (kube-apiserver also reads YAML and protobuf; the emulator does not). */
export function unsupportedBodyType(): ApiError {
  return new ApiError(failure(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json', {}))
}

export function timeout(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError(failure(504, 'Timeout', `Timeout: ${message}`, { retryAfterSeconds }))
}

/** The Status of a watch ERROR event / a LIST with an expired resourceVersion. */
export function expired(message: string): StatusBody {
  return failure(410, 'Expired', message)
}

/** A Status for an injected or generic HTTP error code (fault injection). */
export function statusForCode(code: number, message?: string, reason?: string): StatusBody {
  const reasons: Record<number, [string, string]> = {
    400: ['BadRequest', 'bad request'],
    401: ['Unauthorized', 'Unauthorized'],
    403: ['Forbidden', 'forbidden'],
    404: ['NotFound', 'the server could not find the requested resource'],
    409: ['Conflict', 'Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again'],
    410: ['Expired', 'The resourceVersion for the provided watch is too old.'],
    422: ['Invalid', 'invalid'],
    429: ['TooManyRequests', 'Too many requests, please try again later.'],
    500: ['InternalError', 'Internal error occurred: injected fault'],
    502: ['', 'Bad Gateway'],
    503: ['ServiceUnavailable', 'The server is currently unable to handle the request'],
    504: ['Timeout', 'Timeout: request did not complete within the allowed duration']
  }
  const [r, m] = reasons[code] ?? ['', `HTTP ${code}`]
  // 429 and 504 carry a retry hint (details.retryAfterSeconds, and a Retry-After header) as the API server sends
  const s = failure(code, reason ?? r, message ?? m, code === 429 || code === 504 ? { retryAfterSeconds: 1 } : undefined)
  if (!s.reason) delete s.reason
  return s
}

export function successStatus(ref: ResourceRef, name: string, uid: string | undefined): Record<string, unknown> {
  const d: Record<string, unknown> = { name }
  if (ref.group) d.group = ref.group
  d.kind = ref.resource
  if (uid) d.uid = uid
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: d }
}
