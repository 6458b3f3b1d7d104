/**
 * Resource paths: `/apis/<group>/v1`, `/oapi/v1` (the legacy prefix) and `/api/v1` (core), with or without a
 * namespace, a name, a subresource, and the `watch/` prefix.
 */
import { BUILD_GROUP, IMAGE_GROUP, USER_GROUP, type ResourceDef, type Verb } from '../api/resources.js'

export interface Route {
  legacy: boolean
  /** group of the path ('' for /oapi/v1 and /api/v1): used in messages */
  msgGroup: string
  /** '/apis/build.openshift.io/v1', '/oapi/v1' or '/api/v1' */
  base: string
  def: ResourceDef
  namespace?: string
  name?: string
  sub?: string
  watchPrefix: boolean
}

/** Parse a resource path; undefined when it is not one (discovery and unknown paths are the caller's). */
export function parseRoute(pathname: string, resources: Record<string, { def: ResourceDef }>): Route | undefined {
  const segs = pathname.split('/').filter(Boolean).map(decodeURIComponent)
  let base: string
  let group: string | undefined
  let legacy = false
  let rest: string[]
  if (segs[0] === 'api' && segs[1] === 'v1') {
    base = '/api/v1'
    group = ''
    rest = segs.slice(2)
  } else if (segs[0] === 'oapi' && segs[1] === 'v1') {
    base = '/oapi/v1'
    legacy = true
    rest = segs.slice(2)
  } else if (segs[0] === 'apis' && (segs[1] === BUILD_GROUP || segs[1] === IMAGE_GROUP || segs[1] === USER_GROUP) && segs[2] === 'v1') {
    base = `/apis/${segs[1]}/v1`
    group = segs[1]
    rest = segs.slice(3)
  } else return undefined
  if (!rest.length) return undefined
  let watchPrefix = false
  if (rest[0] === 'watch') {
    watchPrefix = true
    rest = rest.slice(1)
  }
  let namespace: string | undefined
  let plural: string
  let name: string | undefined
  let sub: string | undefined
  if (rest[0] === 'namespaces' && rest.length >= 3 && group !== undefined && group !== '') {
    ;[namespace, plural, name, sub] = [rest[1], rest[2]!, rest[3], rest[4]]
    if (rest.length > 5) return undefined
  } else if (rest[0] === 'namespaces' && (group === '' || legacy) && rest.length >= 3) {
    ;[namespace, plural, name, sub] = [rest[1], rest[2]!, rest[3], rest[4]]
    if (rest.length > 5) return undefined
  } else if (rest[0] === 'namespaces' && group === '') {
    plural = 'namespaces'
    name = rest[1]
    if (rest.length > 2) return undefined
  } else {
    // a collection across namespaces, or a cluster-scoped object (`users/~`)
    ;[plural, name, sub] = [rest[0]!, rest[1], rest[2]]
    if (rest.length > 3) return undefined
  }
  const def = resources[plural]?.def
  if (!def) return undefined
  if (legacy ? !def.legacy : def.group !== group) return undefined
  if (def.namespaced && namespace === undefined && plural !== 'namespaces' && name !== undefined) return undefined
  return { legacy, msgGroup: legacy ? '' : (group ?? ''), base, def, namespace, name, sub, watchPrefix }
}

export const boolParam = (v: string | null): boolean => v === 'true' || v === '1'

/** The verb of a request on a collection or an object (watch requests are routed before). */
export function verbOf(method: string, named: boolean): Verb | undefined {
  if (named) return ({ GET: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<string, Verb>)[method]
  return ({ GET: 'list', POST: 'create', DELETE: 'deletecollection' } as Record<string, Verb>)[method]
}
