/** The shapes of the cluster room: objects, lists, watch events, Status, and what a request is. */
export type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type ApiGroup = 'build' | 'image' | 'core' | 'user' | 'authorization'

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

export const GROUP_PATHS: Record<ApiGroup, string> = {
  build: '/apis/build.openshift.io/v1',
  image: '/apis/image.openshift.io/v1',
  core: '/api/v1',
  user: '/apis/user.openshift.io/v1',
  authorization: '/apis/authorization.k8s.io/v1'
}

/** The API group as RBAC names it ('' is the core group). */
export const GROUP_NAMES: Record<ApiGroup, string> = {
  build: 'build.openshift.io',
  image: 'image.openshift.io',
  core: '',
  user: 'user.openshift.io',
  authorization: 'authorization.k8s.io'
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
