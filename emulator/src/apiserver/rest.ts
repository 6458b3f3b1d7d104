/**
 * The generic REST machinery: list, get, create, update, patch, delete and watch of any resource over the table of
 * resources (strategy.ts), with the Kubernetes conventions (resourceVersion, 409/422, selectors, tables, patches,
 * delete preconditions). What is particular to a resource is in its row: its strategy, its subresources, or its
 * own handler (registry/).
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { KubeObject } from '../api/object.js'
import { apiVersionFor } from '../api/resources.js'
import { DeleteOptions } from '../api/schema.js'
import { ApiError, badRequest, conflict, invalid, methodNotAllowed, notFound, pathNotFound, successStatus } from '../api/status.js'
import { parseJSON, readBody, sendJSON, sendStatus } from './http.js'
import { applyPatch, checkObject, listBody, matcher, present, readObject, refOf, requireNamespace, storeError, type BodyType } from './request.js'
import { boolParam, verbOf, type Route } from './route.js'
import { strategyContext, type ApiEnv, type RequestContext, type Resource } from './strategy.js'
import { toTable, wantsTable } from './table.js'
import { serveWatch } from './watch.js'

export type { ApiEnv }

const rowOf = <D>(ctx: RequestContext<D>): Resource<D> => ctx.env.resources[ctx.route.def.plural]!

/** The body type of a resource's writes. */
export function bodyOf(row: Resource<any>): BodyType {
  return { kind: row.def.kind, schema: row.schema, checkDecoded: row.checkDecoded }
}

export class Api<D = unknown> {
  constructor(readonly env: ApiEnv<D>) {}

  get resources(): Record<string, Resource<D>> {
    return this.env.resources
  }

  async handle(req: IncomingMessage, res: ServerResponse, route: Route, query: URLSearchParams, extra: Pick<RequestContext<D>, 'cutAfter' | 'expire' | 'user'> = {}): Promise<void> {
    const { expire } = extra
    const ctx: RequestContext<D> = { env: this.env, req, res, route, query, ...extra }
    const method = req.method ?? 'GET'
    const { def } = route
    const row = rowOf(ctx)
    if (route.sub) {
      const sub = row.subresources?.[route.sub]
      if (!sub) throw pathNotFound()
      return sub(ctx)
    }
    if (route.watchPrefix || (method === 'GET' && route.name === undefined && boolParam(query.get('watch')))) {
      if (method !== 'GET') throw methodNotAllowed()
      return watch(ctx)
    }
    if (expire) {
      // An injected 410 on a non-watch request: the Status, as a LIST with an expired continue token gets.
      return sendStatus(res, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        reason: 'Expired',
        code: 410
      })
    }
    if (row.rest) return row.rest(ctx)
    const verb = verbOf(method, route.name !== undefined)
    if (!verb || !def.verbs.includes(verb)) {
      await readBody(req).catch(() => undefined)
      throw methodNotAllowed()
    }
    if (route.name === undefined) {
      if (method === 'GET') return list(ctx)
      if (method === 'POST') return create(ctx)
      if (method === 'DELETE' && def.verbs.includes('deletecollection')) return deleteCollection(ctx)
      throw methodNotAllowed()
    }
    const computed = row.computed?.[route.name]
    if (method === 'GET' && computed) return sendJSON(res, 200, present(computed(ctx), def, route))
    if (method === 'GET') return get(ctx)
    if (method === 'PUT') return update(ctx)
    if (method === 'PATCH') return patch(ctx)
    if (method === 'DELETE') return remove(ctx)
    throw methodNotAllowed()
  }
}

function list<D>(ctx: RequestContext<D>): void {
  const { route, env, res } = ctx
  const table = wantsTable(ctx.req.headers.accept)
  const items = env.store.peekList(route.def.plural, route.namespace).filter(matcher(route, ctx.query))
  if (table) return sendJSON(res, 200, toTable(rowOf(ctx).table, items, table, env.store.resourceVersion))
  sendJSON(res, 200, listBody(route.def, route, items, env.store.resourceVersion))
}

function watch<D>(ctx: RequestContext<D>): void {
  const { route, query } = ctx
  const table = wantsTable(ctx.req.headers.accept)
  const match = matcher(route, query)
  const t = query.get('timeoutSeconds')
  let timeoutSeconds: number | undefined
  if (t !== null) {
    timeoutSeconds = Number(t)
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw badRequest(`invalid value for timeoutSeconds: ${t}`)
  }
  const { def } = route
  const columns = rowOf(ctx).table
  serveWatch(ctx.res, ctx.env.store, {
    plural: def.plural,
    namespace: route.namespace,
    match,
    resourceVersion: query.get('resourceVersion') ?? undefined,
    timeoutSeconds,
    present: (o) => (table ? toTable(columns, [o], table, o.metadata.resourceVersion ?? '') : present(o, def, route)),
    cutAfter: ctx.cutAfter,
    expire: ctx.expire,
    maxSeconds: ctx.env.watchMaxSeconds
  })
}

/** GET of one stored object (also the `status` subresource's GET, never as a Table). */
export function get<D>(ctx: RequestContext<D>, asTable = true): void {
  const { route, res } = ctx
  const table = asTable ? wantsTable(ctx.req.headers.accept) : undefined
  const o = ctx.env.store.peek(route.def.plural, route.namespace ?? '', route.name!)
  if (!o) throw notFound(refOf(route), route.name!)
  if (table) return sendJSON(res, 200, toTable(rowOf(ctx).table, [o], table, o.metadata.resourceVersion ?? ''))
  sendJSON(res, 200, present(o, route.def, route))
}

/** The strategy of a write: validation (422), defaults, then admission. */
function prepare<D>(ctx: RequestContext<D>, obj: KubeObject, old: KubeObject | undefined): KubeObject {
  const strategy = rowOf(ctx).strategy
  if (!strategy) throw methodNotAllowed()
  const sctx = strategyContext(ctx)
  const causes = strategy.validate(obj, sctx)
  if (causes.length) throw invalid(ctx.route.def.kind, ctx.route.msgGroup, obj.metadata?.name ?? '', causes)
  const prepared = old ? strategy.prepareForUpdate(obj, old, sctx) : strategy.prepareForCreate(obj, sctx)
  strategy.admit?.(prepared, sctx)
  return prepared
}

async function create<D>(ctx: RequestContext<D>): Promise<void> {
  const { route, env } = ctx
  const { def } = route
  const headers: Record<string, string> = {}
  const body = await readObject(ctx.req, bodyOf(rowOf(ctx)), env, ctx.query, headers)
  body.metadata ??= {}
  if (def.namespaced) {
    if (body.metadata.namespace && body.metadata.namespace !== route.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
    }
    body.metadata.namespace = route.namespace
  }
  if (!body.metadata.name && body.metadata.generateName) {
    body.metadata.name = `${body.metadata.generateName}${randomBytes(4).toString('hex').slice(0, 5)}`
  }
  delete body.metadata.resourceVersion
  delete body.metadata.uid
  delete body.metadata.selfLink
  delete body.metadata.creationTimestamp
  const obj = prepare(ctx, body, undefined)
  if (def.namespaced) requireNamespace(env.store, route.namespace)
  let stored: KubeObject
  try {
    stored = env.store.create(def.plural, { ...obj, apiVersion: apiVersionFor(def, false), kind: def.kind })
  } catch (err) {
    storeError(err, route)
  }
  sendJSON(ctx.res, 201, present(stored, def, route), headers)
}

async function update<D>(ctx: RequestContext<D>): Promise<void> {
  const { route, env } = ctx
  const { def } = route
  const headers: Record<string, string> = {}
  const body = await readObject(ctx.req, bodyOf(rowOf(ctx)), env, ctx.query, headers)
  body.metadata ??= {}
  if (body.metadata.name && body.metadata.name !== route.name) {
    throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${route.name})`)
  }
  body.metadata.name = route.name
  if (def.namespaced) {
    if (body.metadata.namespace && body.metadata.namespace !== route.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
    }
    body.metadata.namespace = route.namespace
  }
  const old = env.store.get(def.plural, route.namespace ?? '', route.name!)
  if (!old) throw notFound(refOf(route), route.name!)
  const rv = body.metadata.resourceVersion as string | undefined
  if (!rv && rowOf(ctx).strategy?.requireResourceVersion) {
    throw invalid(def.kind, route.msgGroup, route.name!, [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' }])
  }
  if (rv && rv !== old.metadata.resourceVersion) throw conflict(refOf(route), route.name!)
  replace(ctx, body, old, headers)
}

/** The end of PUT and PATCH: the strategy, the conditional store write, the 200 answer. */
function replace<D>(ctx: RequestContext<D>, body: any, old: KubeObject, headers: Record<string, string>): void {
  const { route } = ctx
  const { def } = route
  const obj = prepare(ctx, body, old)
  let stored: KubeObject
  try {
    stored = ctx.env.store.update(def.plural, { ...obj, apiVersion: old.apiVersion, kind: def.kind }, old.metadata.resourceVersion)
  } catch (err) {
    storeError(err, route)
  }
  sendJSON(ctx.res, 200, present(stored, def, route), headers)
}

async function patch<D>(ctx: RequestContext<D>): Promise<void> {
  const { route, env } = ctx
  const { def } = route
  const cur = env.store.get(def.plural, route.namespace ?? '', route.name!)
  if (!cur) {
    await readBody(ctx.req)
    throw notFound(refOf(route), route.name!)
  }
  const presented = present(cur, def, route)
  const patched = (await applyPatch(ctx.req, presented, def.kind)) as any
  const headers: Record<string, string> = {}
  checkObject(patched, bodyOf(rowOf(ctx)), env, ctx.query, headers)
  patched.metadata ??= {}
  if (patched.metadata.name !== route.name) throw badRequest(`the name of the object (${patched.metadata.name}) does not match the name on the URL (${route.name})`)
  if (patched.metadata.resourceVersion && patched.metadata.resourceVersion !== cur.metadata.resourceVersion) throw conflict(refOf(route), route.name!)
  patched.metadata.namespace = cur.metadata.namespace
  delete patched.metadata.selfLink
  replace(ctx, patched, cur, headers)
}

async function remove<D>(ctx: RequestContext<D>): Promise<void> {
  const { route, env } = ctx
  const { def } = route
  const buf = await readBody(ctx.req)
  let opts: any = {}
  if (buf.length && buf.toString('utf8').trim()) opts = checkObject(parseJSON(buf, 'DeleteOptions'), { kind: 'DeleteOptions', schema: DeleteOptions }, env, new URLSearchParams(), {})
  const ns = route.namespace ?? ''
  const cur = env.store.peek(def.plural, ns, route.name!)
  if (!cur) throw notFound(refOf(route), route.name!)
  const pre = opts.preconditions ?? {}
  if (pre.uid && pre.uid !== cur.metadata.uid) {
    throw conflict(refOf(route), route.name!, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`)
  }
  if (pre.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
    throw conflict(refOf(route), route.name!, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`)
  }
  env.store.delete(def.plural, ns, route.name!)
  const orphan = opts.propagationPolicy === 'Orphan' || opts.orphanDependents === true || (route.legacy && opts.propagationPolicy === undefined)
  rowOf(ctx).strategy?.deleted?.(cur, strategyContext(ctx), { orphan })
  sendJSON(ctx.res, 200, successStatus(refOf(route), route.name!, cur.metadata.uid as string))
}

function deleteCollection<D>(ctx: RequestContext<D>): void {
  const { route, env } = ctx
  const items = env.store.peekList(route.def.plural, route.namespace).filter(matcher(route, ctx.query))
  for (const o of items) env.store.delete(route.def.plural, o.metadata.namespace ?? '', o.metadata.name)
  sendJSON(ctx.res, 200, listBody(route.def, route, items, env.store.resourceVersion))
}

export { ApiError }
