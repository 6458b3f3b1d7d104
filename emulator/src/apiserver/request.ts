/**
 * The pieces every REST handler shares: reading and decoding a body, the object and list as served on a route,
 * selectors, patches, and the store's errors as API errors.
 */
import type { IncomingMessage } from 'node:http'
import type { KubeObject } from '../api/object.js'
import { jsonPatch, mergePatch } from '../api/patch.js'
import { apiVersionFor, type ResourceDef } from '../api/resources.js'
import { decode, type Schema } from '../api/schema.js'
import { parseFieldSelector, parseLabelSelector } from '../api/selectors.js'
import { alreadyExists, badRequest, conflict, notFound, unsupportedBodyType, unsupportedMediaType, type ResourceRef } from '../api/status.js'
import { parseJSON, readBody } from './http.js'
import { StoreError, type Store } from '../storage/store.js'
import type { Route } from './route.js'
import type { ApiEnv } from './strategy.js'

/** The type of a body: its kind (in messages), its schema, Go's decoding rules beyond the schema. */
export interface BodyType {
  kind: string
  schema?: Schema
  checkDecoded?(body: any): void
}

export function refOf(route: Route, plural = route.def.plural): ResourceRef {
  return { resource: plural, group: route.msgGroup }
}

/** A StoreError as the API's 404 / 409; anything else rethrown. */
export function storeError(err: unknown, route: Route): never {
  if (err instanceof StoreError) {
    const ref = refOf(route, err.plural)
    if (err.code === 'NotFound') throw notFound(ref, err.objectName)
    if (err.code === 'AlreadyExists') throw alreadyExists(ref, err.objectName)
    throw conflict(ref, err.objectName)
  }
  throw err
}

/** An object as served on this route: apiVersion, kind, selfLink. */
export function present(o: KubeObject, def: ResourceDef, route: { legacy: boolean; base: string }): KubeObject {
  const ns = o.metadata.namespace
  const selfLink = `${route.base}${ns && def.namespaced ? `/namespaces/${ns}` : ''}/${def.plural}/${o.metadata.name}`
  const { kind: _k, apiVersion: _a, metadata, ...rest } = o
  return { kind: def.kind, apiVersion: apiVersionFor(def, route.legacy), metadata: { ...metadata, selfLink }, ...rest }
}

export function listBody(def: ResourceDef, route: Route, items: KubeObject[], rv: string): Record<string, unknown> {
  const ns = route.namespace
  return {
    kind: def.listKind,
    apiVersion: apiVersionFor(def, route.legacy),
    metadata: { selfLink: `${route.base}${ns ? `/namespaces/${ns}` : ''}/${def.plural}`, resourceVersion: rv },
    items: items.map((o) => {
      const { kind: _k, apiVersion: _a, ...rest } = present(o, def, route)
      return rest
    })
  }
}

/** Decode a write's body: 400 for undecodable JSON or wrong types, unknown fields per fieldValidation. */
export async function readObject(req: IncomingMessage, type: BodyType, env: ApiEnv<any>, query: URLSearchParams, headers: Record<string, string>): Promise<any> {
  // as the API server: no Content-Type means JSON; protobuf and YAML are not served here (README)
  const contentType = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase()
  if (contentType !== 'application/json' && contentType !== '') {
    await readBody(req).catch(() => undefined)
    throw unsupportedBodyType()
  }
  const body = parseJSON(await readBody(req), type.kind)
  return checkObject(body, type, env, query, headers)
}

export function checkObject(body: any, type: BodyType, env: ApiEnv<any>, query: URLSearchParams, headers: Record<string, string>): any {
  const { kind, schema } = type
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type v1.${kind}`)
  }
  if (body.kind && body.kind !== kind) {
    throw badRequest(`${body.kind} in version "v1" cannot be handled as a ${kind}: converting (v1.${body.kind}) to (v1.${kind}): unknown conversion`)
  }
  if (!schema) return body
  const res = decode(body, schema)
  if (res.typeError) throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: ${res.typeError}`)
  if (res.unknown.length) {
    const mode = (query.get('fieldValidation') as ApiEnv['fieldValidation'] | null) ?? env.fieldValidation
    if (mode === 'Strict') {
      throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: strict decoding error: ${res.unknown.map((u) => `unknown field "${u}"`).join(', ')}`)
    }
    if (mode === 'Warn') headers['Warning'] = res.unknown.map((u) => `299 - "unknown field \\"${u}\\""`).join(', ')
  }
  type.checkDecoded?.(body)
  return body
}

/** The label and field selectors of a request (and the name of a `watch/` path) as one test. */
export function matcher(route: Route, query: URLSearchParams): (o: KubeObject) => boolean {
  const labels = parseLabelSelector(query.get('labelSelector'))
  const fields = parseFieldSelector(query.get('fieldSelector'), route.def.fields)
  const name = route.watchPrefix ? route.name : undefined
  return (o) => (name === undefined || o.metadata.name === name) && labels(o.metadata.labels) && fields(o)
}

/** Apply the request's patch (merge, strategic merge, JSON patch) to `current`. */
export async function applyPatch(req: IncomingMessage, current: unknown, kind: string): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  const buf = await readBody(req)
  if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') {
    // Strategic merge patch is served as a merge patch: OpenShift's types carry no patch strategies the
    // emulator's clients rely on.
    return mergePatch(current, parseJSON(buf, kind))
  }
  if (type === 'application/json-patch+json') {
    let ops: unknown
    try {
      ops = JSON.parse(buf.toString('utf8'))
    } catch (err) {
      throw badRequest(`error decoding patch: ${(err as Error).message}`)
    }
    return jsonPatch(current, ops)
  }
  throw unsupportedMediaType(type)
}

/** A write into a namespace that does not exist is a 404 of the namespace. */
export function requireNamespace(store: Store, ns: string | undefined): void {
  if (ns === undefined) return
  if (!store.has('namespaces', '', ns)) throw notFound({ resource: 'namespaces', group: '' }, ns)
}
