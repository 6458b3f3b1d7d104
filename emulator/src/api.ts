/**
 * The resource REST layer: paths under `/apis/<group>/v1`, `/oapi/v1` and `/api/v1`, the Kubernetes conventions
 * (resourceVersion, 409/422, selectors, watch, patch), and the build subresources (instantiate, clone, log).
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Accounts } from './accounts.js'
import { instantiate } from './builds.js'
import { prepareConfigMap, prepareResourceQuota, prepareServiceAccount } from './corekinds.js'
import { buildConfigName } from './controller.js'
import type { FaultInjector } from './faults.js'
import { parseJSON, readBody, sendJSON, sendStatus, StreamWriter } from './http.js'
import { Images } from './images.js'
import { isTerminal, prepareBuild, prepareBuildConfig, prepareNamespace, prepareSecret, type WriteContext } from './kinds.js'
import { normalizeTime, type LogStore } from './logs.js'
import { jsonPatch, mergePatch } from './patch.js'
import { apiVersionFor, BUILD_GROUP, IMAGE_GROUP, RESOURCES, USER_GROUP, type ResourceDef, type Verb } from './resources.js'
import { decode, SCHEMAS } from './schema.js'
import { parseFieldSelector, parseLabelSelector } from './selectors.js'
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  invalid,
  forbidden,
  methodNotAllowed,
  notFound,
  pathNotFound,
  successStatus,
  timeout,
  unsupportedBodyType,
  unsupportedMediaType,
  type ResourceRef,
  type StatusCause
} from './status.js'
import { StoreError, type KubeObject, type Store } from './store.js'
import { forbiddenField, invalidValue } from './validation.js'
import { toTable, wantsTable } from './table.js'
import { serveWatch } from './watch.js'

export interface ApiEnv {
  store: Store
  /** who a token is (`users/~`) */
  accounts: Accounts
  images: Images
  logs: LogStore
  faults: FaultInjector
  /** seconds a log request waits for a New/Pending build (OpenShift 3.x: 10) */
  logWaitSeconds: number
  /** how unknown fields are treated when the request does not say (`fieldValidation` query parameter) */
  fieldValidation: 'Ignore' | 'Warn' | 'Strict'
  /** the server's limit for any watch, in seconds */
  watchMaxSeconds: number
  /** refuse the Custom build strategy (403), as OpenShift does for users without `system:build-strategy-custom` */
  customStrategyForbidden?: boolean
}

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
export function parseRoute(pathname: string): Route | undefined {
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
  const def = RESOURCES[plural]
  if (!def) return undefined
  if (legacy ? !def.legacy : def.group !== group) return undefined
  if (def.namespaced && namespace === undefined && plural !== 'namespaces' && name !== undefined) return undefined
  return { legacy, msgGroup: legacy ? '' : (group ?? ''), base, def, namespace, name, sub, watchPrefix }
}

const boolParam = (v: string | null): boolean => v === 'true' || v === '1'

/** The verb of a request on a collection or an object (watch requests are routed before). */
function verbOf(method: string, named: boolean): Verb | undefined {
  if (named) return ({ GET: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<string, Verb>)[method]
  return ({ GET: 'list', POST: 'create', DELETE: 'deletecollection' } as Record<string, Verb>)[method]
}

function refOf(route: Route, plural = route.def.plural): ResourceRef {
  return { resource: plural, group: route.msgGroup }
}

function storeError(err: unknown, route: Route): never {
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

function listBody(def: ResourceDef, route: Route, items: KubeObject[], rv: string): Record<string, unknown> {
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

/** Decode a write's body for `kind`: 400 for undecodable JSON or wrong types, unknown fields per fieldValidation. */
async function readObject(req: IncomingMessage, kind: string, env: ApiEnv, query: URLSearchParams, headers: Record<string, string>): Promise<any> {
  // as the API server: no Content-Type means JSON; protobuf and YAML are not served here (README)
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase()
  if (type !== 'application/json' && type !== '') {
    await readBody(req).catch(() => undefined)
    throw unsupportedBodyType()
  }
  const body = parseJSON(await readBody(req), kind)
  return checkObject(body, kind, env, query, headers)
}

function checkObject(body: any, kind: string, env: ApiEnv, query: URLSearchParams, headers: Record<string, string>): any {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type v1.${kind}`)
  }
  if (body.kind && body.kind !== kind) {
    throw badRequest(`${body.kind} in version "v1" cannot be handled as a ${kind}: converting (v1.${body.kind}) to (v1.${kind}): unknown conversion`)
  }
  const schema = SCHEMAS[kind]
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
  if (kind === 'Secret') {
    for (const [k, v] of Object.entries((body.data ?? {}) as Record<string, string>)) {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) {
        const bad = v.search(/[^A-Za-z0-9+/=]/)
        throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${bad >= 0 ? bad : v.length} (data[${k}])`)
      }
    }
  }
  return body
}

export class Api {
  constructor(private readonly env: ApiEnv) {}

  private prepare(route: Route, obj: KubeObject, old: KubeObject | undefined): KubeObject {
    const ctx: WriteContext = { legacy: route.legacy, group: route.msgGroup }
    switch (route.def.plural) {
      case 'buildconfigs':
        return prepareBuildConfig(obj, old, ctx)
      case 'builds':
        return prepareBuild(obj, old, ctx)
      case 'imagestreams':
        return this.env.images.prepareImageStream(obj, old, ctx)
      case 'secrets':
        return prepareSecret(obj, old, ctx)
      case 'namespaces':
        return prepareNamespace(obj, old, ctx)
      case 'configmaps':
        return prepareConfigMap(obj, old, ctx)
      case 'resourcequotas':
        return prepareResourceQuota(obj, old, ctx)
      case 'serviceaccounts':
        return prepareServiceAccount(obj, old, ctx)
      default:
        throw methodNotAllowed()
    }
  }

  /** The admission check of `builds/custom` (openshift-api.md §3.12). */
  private admitStrategy(route: Route, plural: string, name: string, spec: any): void {
    if (this.env.customStrategyForbidden && spec?.strategy?.customStrategy != null) {
      throw forbidden(refOf(route, plural), name, 'build strategy Custom is not allowed')
    }
  }

  private requireNamespace(ns: string | undefined): void {
    if (ns === undefined) return
    if (!this.env.store.has('namespaces', '', ns)) throw notFound({ resource: 'namespaces', group: '' }, ns)
  }

  async handle(req: IncomingMessage, res: ServerResponse, route: Route, query: URLSearchParams, cutAfter?: number, expire?: boolean): Promise<void> {
    const method = req.method ?? 'GET'
    const { def } = route
    if (route.sub) return this.subresource(req, res, route, query, cutAfter)
    if (route.watchPrefix || (method === 'GET' && route.name === undefined && boolParam(query.get('watch')))) {
      if (method !== 'GET') throw methodNotAllowed()
      return this.watch(res, route, query, cutAfter, expire, wantsTable(req.headers.accept))
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
    if (def.plural === 'imagestreamtags') return this.imageStreamTags(req, res, route, query)
    if (def.plural === 'imagestreamimports') {
      if (method !== 'POST' || route.name !== undefined) throw methodNotAllowed()
      const headers: Record<string, string> = {}
      const body = await readObject(req, 'ImageStreamImport', this.env, query, headers)
      this.requireNamespace(route.namespace)
      const out = this.env.images.importImages(route.namespace!, body, apiVersionFor(def, route.legacy), { legacy: route.legacy, group: route.msgGroup }, refOf(route, 'imagestreams'))
      if (out.status?.import) out.status.import = present(out.status.import, RESOURCES.imagestreams!, { legacy: route.legacy, base: route.legacy ? route.base : `/apis/${IMAGE_GROUP}/v1` })
      return sendJSON(res, 201, out, headers)
    }
    const verb = verbOf(method, route.name !== undefined)
    if (!verb || !def.verbs.includes(verb)) {
      await readBody(req).catch(() => undefined)
      throw methodNotAllowed()
    }
    if (route.name === undefined) {
      if (method === 'GET') return this.list(res, route, query, wantsTable(req.headers.accept))
      if (method === 'POST') return this.create(req, res, route, query)
      if (method === 'DELETE' && def.verbs.includes('deletecollection')) return this.deleteCollection(res, route, query)
      throw methodNotAllowed()
    }
    if (method === 'GET' && def.plural === 'users' && route.name === '~') return this.whoAmI(req, res, route)
    if (method === 'GET') return this.get(res, route, wantsTable(req.headers.accept))
    if (method === 'PUT') return this.update(req, res, route, query)
    if (method === 'PATCH') return this.patch(req, res, route, query)
    if (method === 'DELETE') return this.delete(req, res, route)
    throw methodNotAllowed()
  }

  private matcher(route: Route, query: URLSearchParams): (o: KubeObject) => boolean {
    const labels = parseLabelSelector(query.get('labelSelector'))
    const fields = parseFieldSelector(query.get('fieldSelector'), route.def.fields)
    const name = route.watchPrefix ? route.name : undefined
    return (o) => (name === undefined || o.metadata.name === name) && labels(o.metadata.labels) && fields(o)
  }

  private list(res: ServerResponse, route: Route, query: URLSearchParams, table?: 'v1' | 'v1beta1'): void {
    const match = this.matcher(route, query)
    const items = this.env.store.peekList(route.def.plural, route.namespace).filter(match)
    if (table) return sendJSON(res, 200, toTable(route.def.plural, items, table, this.env.store.resourceVersion))
    sendJSON(res, 200, listBody(route.def, route, items, this.env.store.resourceVersion))
  }

  private watch(res: ServerResponse, route: Route, query: URLSearchParams, cutAfter?: number, expire?: boolean, table?: 'v1' | 'v1beta1'): void {
    const match = this.matcher(route, query)
    const t = query.get('timeoutSeconds')
    let timeoutSeconds: number | undefined
    if (t !== null) {
      timeoutSeconds = Number(t)
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw badRequest(`invalid value for timeoutSeconds: ${t}`)
    }
    const { def } = route
    serveWatch(res, this.env.store, {
      plural: def.plural,
      namespace: route.namespace,
      match,
      resourceVersion: query.get('resourceVersion') ?? undefined,
      timeoutSeconds,
      present: (o) => (table ? toTable(def.plural, [o], table, o.metadata.resourceVersion ?? '') : present(o, def, route)),
      cutAfter,
      expire,
      maxSeconds: this.env.watchMaxSeconds
    })
  }

  /** `users/~`: the user of the request's token. */
  private whoAmI(req: IncomingMessage, res: ServerResponse, route: Route): void {
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim()
    const id = this.env.accounts.authenticate(token)
    if (!id) throw forbidden(refOf(route), '~', 'User "system:anonymous" cannot get users.user.openshift.io at the cluster scope')
    sendJSON(res, 200, present(this.env.accounts.whoAmI(id), route.def, route))
  }

  private get(res: ServerResponse, route: Route, table?: 'v1' | 'v1beta1'): void {
    const o = this.env.store.peek(route.def.plural, route.namespace ?? '', route.name!)
    if (!o) throw notFound(refOf(route), route.name!)
    if (table) return sendJSON(res, 200, toTable(route.def.plural, [o], table, o.metadata.resourceVersion ?? ''))
    sendJSON(res, 200, present(o, route.def, route))
  }

  private async create(req: IncomingMessage, res: ServerResponse, route: Route, query: URLSearchParams): Promise<void> {
    const { def } = route
    const headers: Record<string, string> = {}
    const body = await readObject(req, def.kind, this.env, query, headers)
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
    const obj = this.prepare(route, body, undefined)
    if (def.plural === 'builds' || def.plural === 'buildconfigs') this.admitStrategy(route, def.plural, obj.metadata.name, obj.spec)
    if (def.namespaced) this.requireNamespace(route.namespace)
    let stored: KubeObject
    try {
      stored = this.env.store.create(def.plural, { ...obj, apiVersion: apiVersionFor(def, false), kind: def.kind })
    } catch (err) {
      storeError(err, route)
    }
    sendJSON(res, 201, present(stored, def, route), headers)
  }

  /** Resources whose PUT must carry a resourceVersion (no unconditional update). */
  private static readonly CONDITIONAL = new Set(['buildconfigs', 'builds', 'imagestreams'])

  private async update(req: IncomingMessage, res: ServerResponse, route: Route, query: URLSearchParams): Promise<void> {
    const { def } = route
    const headers: Record<string, string> = {}
    const body = await readObject(req, def.kind, this.env, query, headers)
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
    const old = this.env.store.get(def.plural, route.namespace ?? '', route.name!)
    if (!old) throw notFound(refOf(route), route.name!)
    const rv = body.metadata.resourceVersion as string | undefined
    if (!rv && Api.CONDITIONAL.has(def.plural)) {
      throw invalid(def.kind, route.msgGroup, route.name!, [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' }])
    }
    if (rv && rv !== old.metadata.resourceVersion) throw conflict(refOf(route), route.name!)
    this.replace(res, route, body, old, headers)
  }

  /** The end of PUT and PATCH: server-side fields, admission, the conditional store write, the 200 answer. */
  private replace(res: ServerResponse, route: Route, body: any, old: KubeObject, headers: Record<string, string>): void {
    const { def } = route
    const obj = this.prepare(route, body, old)
    if (def.plural === 'builds' || def.plural === 'buildconfigs') this.admitStrategy(route, def.plural, route.name!, obj.spec)
    let stored: KubeObject
    try {
      stored = this.env.store.update(def.plural, { ...obj, apiVersion: old.apiVersion, kind: def.kind }, old.metadata.resourceVersion)
    } catch (err) {
      storeError(err, route)
    }
    sendJSON(res, 200, present(stored, def, route), headers)
  }

  private async applyPatch(req: IncomingMessage, current: unknown, kind: string): Promise<unknown> {
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

  private async patch(req: IncomingMessage, res: ServerResponse, route: Route, query: URLSearchParams): Promise<void> {
    const { def } = route
    const cur = this.env.store.get(def.plural, route.namespace ?? '', route.name!)
    if (!cur) {
      await readBody(req)
      throw notFound(refOf(route), route.name!)
    }
    const presented = present(cur, def, route)
    const patched = (await this.applyPatch(req, presented, def.kind)) as any
    const headers: Record<string, string> = {}
    checkObject(patched, def.kind, this.env, query, headers)
    patched.metadata ??= {}
    if (patched.metadata.name !== route.name) throw badRequest(`the name of the object (${patched.metadata.name}) does not match the name on the URL (${route.name})`)
    if (patched.metadata.resourceVersion && patched.metadata.resourceVersion !== cur.metadata.resourceVersion) throw conflict(refOf(route), route.name!)
    patched.metadata.namespace = cur.metadata.namespace
    delete patched.metadata.selfLink
    this.replace(res, route, patched, cur, headers)
  }

  private async delete(req: IncomingMessage, res: ServerResponse, route: Route): Promise<void> {
    const { def } = route
    const buf = await readBody(req)
    let opts: any = {}
    if (buf.length && buf.toString('utf8').trim()) opts = checkObject(parseJSON(buf, 'DeleteOptions'), 'DeleteOptions', this.env, new URLSearchParams(), {})
    const ns = route.namespace ?? ''
    const cur = this.env.store.peek(def.plural, ns, route.name!)
    if (!cur) throw notFound(refOf(route), route.name!)
    const pre = opts.preconditions ?? {}
    if (pre.uid && pre.uid !== cur.metadata.uid) {
      throw conflict(refOf(route), route.name!, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`)
    }
    if (pre.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
      throw conflict(refOf(route), route.name!, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`)
    }
    const store = this.env.store
    store.delete(def.plural, ns, route.name!)
    const orphan = opts.propagationPolicy === 'Orphan' || opts.orphanDependents === true || (route.legacy && opts.propagationPolicy === undefined)
    if (def.plural === 'buildconfigs' && !orphan) {
      for (const b of store.peekList('builds', ns)) {
        if ((b.metadata.ownerReferences as any[] | undefined)?.some((r) => r.kind === 'BuildConfig' && r.uid === cur.metadata.uid)) {
          store.delete('builds', ns, b.metadata.name)
        }
      }
    }
    if (def.plural === 'namespaces') {
      for (const p of Object.keys(RESOURCES)) for (const o of store.peekList(p, route.name)) store.delete(p, route.name!, o.metadata.name)
    }
    sendJSON(res, 200, successStatus(refOf(route), route.name!, cur.metadata.uid as string))
  }

  private deleteCollection(res: ServerResponse, route: Route, query: URLSearchParams): void {
    const match = this.matcher(route, query)
    const items = this.env.store.peekList(route.def.plural, route.namespace).filter(match)
    for (const o of items) this.env.store.delete(route.def.plural, o.metadata.namespace ?? '', o.metadata.name)
    sendJSON(res, 200, listBody(route.def, route, items, this.env.store.resourceVersion))
  }

  private async imageStreamTags(req: IncomingMessage, res: ServerResponse, route: Route, query: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET'
    const { def } = route
    const images = this.env.images
    const apiVersion = apiVersionFor(def, route.legacy)
    const ctx: WriteContext = { legacy: route.legacy, group: route.msgGroup }
    const ns = route.namespace!
    const withLink = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, selfLink: `${route.base}/namespaces/${ns}/imagestreamtags/${o.metadata.name}` } })
    if (route.name === undefined) {
      if (method === 'GET') {
        const match = this.matcher(route, query)
        const items: KubeObject[] = []
        for (const is of this.env.store.peekList('imagestreams', route.namespace)) {
          for (const t of is.status?.tags ?? []) {
            const ist = images.imageStreamTag(is, t.tag, apiVersion)
            if (ist && match(ist)) {
              const { kind: _k, apiVersion: _a, ...rest } = withLink(ist)
              items.push(rest as KubeObject)
            }
          }
        }
        return sendJSON(res, 200, { kind: def.listKind, apiVersion, metadata: { selfLink: `${route.base}/namespaces/${ns}/imagestreamtags`, resourceVersion: this.env.store.resourceVersion }, items })
      }
      if (method === 'POST') {
        const headers: Record<string, string> = {}
        const body = await readObject(req, 'ImageStreamTag', this.env, query, headers)
        this.requireNamespace(ns)
        return sendJSON(res, 201, withLink(images.writeImageStreamTag(ns, body, true, refOf(route), ctx)), headers)
      }
      throw methodNotAllowed()
    }
    const name = route.name
    const parts = Images.splitTagName(name)
    const current = () => {
      const is = parts ? this.env.store.peek('imagestreams', ns, parts[0]) : undefined
      return is ? images.imageStreamTag(is, parts![1], apiVersion) : undefined
    }
    if (method === 'GET') {
      if (!parts) throw badRequest(`"${name}" is an invalid imagestreamtag name: it must be of the form <stream_name>:<tag>`)
      const ist = current()
      if (!ist) throw notFound(refOf(route), name)
      return sendJSON(res, 200, withLink(ist))
    }
    if (method === 'PUT' || method === 'PATCH') {
      const headers: Record<string, string> = {}
      let body: any
      if (method === 'PUT') body = await readObject(req, 'ImageStreamTag', this.env, query, headers)
      else {
        const cur = current()
        if (!cur) {
          await readBody(req)
          throw notFound(refOf(route), name)
        }
        body = checkObject(await this.applyPatch(req, cur, 'ImageStreamTag'), 'ImageStreamTag', this.env, query, headers)
      }
      body.metadata ??= {}
      if (body.metadata.name && body.metadata.name !== name) throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`)
      body.metadata.name = name
      const cur = current()
      if (cur && body.metadata.resourceVersion && body.metadata.resourceVersion !== cur.metadata.resourceVersion) throw conflict(refOf(route), name)
      const is = parts ? this.env.store.peek('imagestreams', ns, parts[0]) : undefined
      const specExists = !!is && ((is.spec?.tags ?? []) as any[]).some((t) => t.name === parts![1])
      if (!cur && !specExists && method === 'PUT' && !body.tag) throw notFound(refOf(route), name)
      return sendJSON(res, 200, withLink(images.writeImageStreamTag(ns, body, false, refOf(route), ctx)), headers)
    }
    if (method === 'DELETE') {
      await readBody(req)
      images.deleteImageStreamTag(ns, name, refOf(route))
      return sendJSON(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' })
    }
    throw methodNotAllowed()
  }

  private async subresource(req: IncomingMessage, res: ServerResponse, route: Route, query: URLSearchParams, cutAfter?: number): Promise<void> {
    const method = req.method ?? 'GET'
    const plural = route.def.plural
    const ns = route.namespace!
    if (plural === 'buildconfigs' && route.sub === 'instantiate') {
      if (method !== 'POST') throw methodNotAllowed()
      const headers: Record<string, string> = {}
      const body = await readObject(req, 'BuildRequest', this.env, query, headers)
      const bc = body.metadata?.name ? this.env.store.peek('buildconfigs', ns, body.metadata.name) : undefined
      if (bc) this.admitStrategy(route, 'buildconfigs', bc.metadata.name, bc.spec)
      const build = instantiate(this.env.store, this.env.images, ns, body, { group: route.msgGroup })
      return sendJSON(res, 201, present(build, RESOURCES.builds!, route), headers)
    }
    if (plural === 'builds' && route.sub === 'clone') {
      if (method !== 'POST') throw methodNotAllowed()
      const headers: Record<string, string> = {}
      const body = await readObject(req, 'BuildRequest', this.env, query, headers)
      const orig = this.env.store.peek('builds', ns, route.name!)
      if (!orig) throw notFound(refOf(route), route.name!)
      const bc = buildConfigName(orig)
      if (!bc) throw badRequest(`build ${ns}/${route.name} has no BuildConfig to clone from`)
      this.admitStrategy(route, 'builds', route.name!, orig.spec)
      const build = instantiate(
        this.env.store,
        this.env.images,
        ns,
        {
          ...body,
          metadata: { ...(body.metadata ?? {}), name: bc, annotations: { ...(body.metadata?.annotations ?? {}), 'openshift.io/build.clone-of': route.name! } },
          revision: body.revision ?? orig.spec?.revision,
          triggeredBy: body.triggeredBy ?? orig.spec?.triggeredBy
        },
        { group: route.msgGroup }
      )
      return sendJSON(res, 201, present(build, RESOURCES.builds!, route), headers)
    }
    if (plural === 'builds' && route.sub === 'log') {
      if (method !== 'GET') throw methodNotAllowed()
      return this.log(req, res, route, query, cutAfter)
    }
    if (plural === 'imagestreams' && route.sub === 'status' && method === 'GET') return this.get(res, route)
    throw pathNotFound()
  }

  /** GET builds/<name>/log (OpenShift 3.x behaviour: wait for the build to run, then 504). */
  private async log(req: IncomingMessage, res: ServerResponse, route: Route, query: URLSearchParams, cutAfter?: number): Promise<void> {
    const ns = route.namespace!
    let name = route.name!
    const store = this.env.store
    const asked = store.peek('builds', ns, name)
    if (!asked) throw notFound(refOf(route), name)
    const causes: StatusCause[] = []
    if (boolParam(query.get('previous')) && query.get('version') !== null) {
      causes.push(invalidValue('previous', true, 'cannot use previous together with version'))
    }
    const int = (k: string): number | undefined => {
      const v = query.get(k)
      if (v === null) return undefined
      const n = Number(v)
      if (!Number.isInteger(n)) throw badRequest(`${k}: invalid value "${v}": must be an integer`)
      return n
    }
    const sinceSeconds = int('sinceSeconds')
    const tailLines = int('tailLines')
    const limitBytes = int('limitBytes')
    const version = int('version')
    const sinceTimeRaw = query.get('sinceTime')
    let sinceTime: string | undefined
    if (sinceTimeRaw !== null) {
      sinceTime = normalizeTime(sinceTimeRaw)
      if (!sinceTime) throw badRequest(`sinceTime: parsing time "${sinceTimeRaw}" as "2006-01-02T15:04:05Z07:00": cannot parse`)
    }
    if (sinceSeconds !== undefined && sinceTime !== undefined) causes.push(forbiddenField('sinceSeconds', 'at most one of `sinceTime` or `sinceSeconds` may be specified'))
    if (sinceSeconds !== undefined && sinceSeconds < 1) causes.push(invalidValue('sinceSeconds', sinceSeconds, 'must be greater than 0'))
    if (tailLines !== undefined && tailLines < 0) causes.push(invalidValue('tailLines', tailLines, 'must be greater than or equal to 0'))
    if (limitBytes !== undefined && limitBytes < 1) causes.push(invalidValue('limitBytes', limitBytes, 'must be greater than 0'))
    if (version !== undefined && version <= 0) causes.push(invalidValue('version', version, 'build version must be greater than 0'))
    if (causes.length) throw invalid('BuildLogOptions', route.msgGroup, '', causes)
    if (sinceSeconds !== undefined) sinceTime = normalizeTime(new Date(Date.now() - sinceSeconds * 1000).toISOString())
    if (boolParam(query.get('previous'))) {
      // the build before this one of the same BuildConfig
      const bc = buildConfigName(asked)
      const n = Number(asked.metadata.annotations?.['openshift.io/build.number'] ?? 0) - 1
      const prev = bc && n > 0 ? store.peekList('builds', ns).find((b) => buildConfigName(b) === bc && Number(b.metadata.annotations?.['openshift.io/build.number']) === n) : undefined
      if (!prev) throw notFound(refOf(route), bc && n > 0 ? `${bc}-${n}` : name)
      name = prev.metadata.name
    }
    const follow = boolParam(query.get('follow'))
    const nowait = boolParam(query.get('nowait'))

    let build = store.peek('builds', ns, name)!
    const phase = build.status?.phase
    if (phase === 'Cancelled') throw badRequest(`build ${name} was cancelled. No logs are available.`)
    if (phase === 'Error') throw badRequest(`build ${name} is in an error state. No logs are available.`)
    const abort = new AbortController()
    res.on('close', () => abort.abort())
    if (phase === 'New' || phase === 'Pending' || !phase) {
      if (nowait) {
        res.writeHead(200, { 'Content-Type': 'text/plain' })
        res.end()
        return
      }
      const waitMs = this.env.logWaitSeconds * 1000
      const reached = await new Promise<KubeObject | undefined>((resolve) => {
        let unsub = () => {}
        const done = (b: KubeObject | undefined) => {
          unsub()
          clearTimeout(timer)
          resolve(b)
        }
        const timer = setTimeout(() => done(undefined), waitMs)
        unsub = store.subscribe((e) => {
          if (e.plural !== 'builds' || e.object.metadata.namespace !== ns || e.object.metadata.name !== name) return
          const p = e.object.status?.phase
          if (e.type === 'DELETED' || (p !== 'New' && p !== 'Pending')) done(e.object)
        })
        abort.signal.addEventListener('abort', () => done(undefined), { once: true })
      })
      if (abort.signal.aborted) return
      if (!reached) throw timeout(`timed out waiting for build ${name} to start after ${goDuration(waitMs)}`, 1)
      if (!store.peek('builds', ns, name)) throw notFound(refOf(route), name)
      build = reached
      if (build.status?.phase === 'Cancelled') throw badRequest(`build ${name} was cancelled: No logs are available.`)
      if (build.status?.phase === 'Error') throw badRequest(`build ${name} encountered an error: No logs are available.`)
    }
    const log = this.env.logs.get(ns, name)
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' })
    res.flushHeaders()
    const out = new StreamWriter(res, cutAfter)
    if (log) {
      await log.stream(out, { follow: follow && !isTerminal(build), timestamps: boolParam(query.get('timestamps')), sinceTime, tailLines, limitBytes }, abort.signal)
    }
    out.end()
  }
}

/** Go's time.Duration String() for whole milliseconds (10000 → "10s", 1500 → "1.5s", 200 → "200ms"). */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`
  const s = ms / 1000
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  return `${m}m${s - m * 60}s`
}

export { ApiError }
