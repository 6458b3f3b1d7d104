/**
 * The HTTP front: fault injection, bearer-token auth, discovery, the resource API, the registry endpoint
 * (`/v2/…`, served by registry.ts) and the emulator-only endpoints under `/_emulator/`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { ACCESS_REVIEW_PATH, serveAccessReview } from '../apiserver/access-review.js'
import type { Accounts, Identity } from '../apiserver/authn.js'
import { platformNamespace, rbacVerb } from '../apiserver/authz.js'
import type { Api } from '../apiserver/rest.js'
import { parseRoute } from '../apiserver/route.js'
import { API_GROUPS, apiGroup, apiGroupList, apiResourceList, apiVersions, coreResourceList, legacyResourceList, SERVER_VERSION } from '../apiserver/discovery.js'
import { serveOpenAPIv2 } from '../apiserver/openapi.js'
import { addFaultFromJSON, type FaultInjector } from '../faults.js'
import { loseAnswer, parseJSON, readBody, sendError, sendJSON, sendStatus } from '../apiserver/http.js'
import type { Images } from '../registry/imagestream/images.js'
import type { PublishedImage } from '../registry/imagestream/publish.js'
import type { RegistryDeps } from '../registry/index.js'
import { handleRegistryRequest } from '../images/http.js'
import { type ImageRegistries } from '../images/registries.js'
import { badRequest, forbiddenByRBAC, methodNotAllowed, pathNotFound, statusForCode, unauthorized } from '../api/status.js'
import type { RequestLog } from './requests.js'
import type { Store } from '../storage/store.js'

export interface ServerContext {
  api: Api<RegistryDeps>
  accounts: Accounts
  store: Store
  images: Images
  faults: FaultInjector
  registries: ImageRegistries
  /** undefined: no authentication */
  token?: string
  namespace: string
  /** address for discovery's serverAddressByClientCIDRs */
  address: () => string
  publishExternalImage: (ns: string, imageStream: string, tag: string, opts?: { from?: string; digest?: string }) => PublishedImage | Promise<PublishedImage>
  /** aborted when the cluster closes: injected delays end then (no timer outlives close()) */
  closing: AbortSignal
  /** every request to the API (not the registry, not /_emulator/) */
  requests: RequestLog
}

const DISCOVERY = new Set(['/api', '/apis', '/api/v1', '/oapi', '/oapi/v1', '/version', '/healthz', '/openapi/v2', ...API_GROUPS.flatMap((g) => [`/apis/${g}`, `/apis/${g}/v1`])])

function isWatchRequest(path: string, query: URLSearchParams): boolean {
  return /\/watch\//.test(path) || query.get('watch') === 'true' || query.get('watch') === '1'
}

export function createHandler(ctx: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(ctx, req, res).catch((err) => {
      if (res.headersSent) {
        res.destroy()
        return
      }
      sendError(res, err)
    })
  }
}

/** Who the request's bearer token is (the cluster's user when authentication is off). */
function identity(ctx: ServerContext, req: IncomingMessage): Identity | undefined {
  const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim()
  return ctx.accounts.authenticate(token)
}

function authorized(ctx: ServerContext, req: IncomingMessage): 'ok' | 'anonymous' | 'bad' {
  if (ctx.token === undefined) return 'ok'
  const h = req.headers.authorization
  if (!h) return 'anonymous'
  const m = /^Bearer\s+(.+)$/i.exec(h)
  return m && ctx.accounts.authenticate(m[1]!.trim()) ? 'ok' : 'bad'
}

/** The faults a test injected for this request, applied before it is served; false when it was answered (or dropped). */
async function applyFaults(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  faults: ReturnType<FaultInjector['take']>,
  path: string,
  query: URLSearchParams
): Promise<{ served: boolean; expire: boolean }> {
  if (faults.reset) {
    req.socket.destroy()
    return { served: true, expire: false }
  }
  if (faults.delay?.ms) {
    try {
      await sleep(faults.delay.ms, undefined, { signal: ctx.closing })
    } catch {
      // closing: drop the request
      req.socket.destroy()
      return { served: true, expire: false }
    }
  }
  if (faults.gate) {
    // received whole, then held; carried out once the gate goes, also for a client that left meanwhile
    await readBody(req).catch(() => undefined)
    const clientGone = new Promise<void>((resolve) => res.once('close', () => resolve()))
    await ctx.faults.passGate(faults.gate, clientGone, ctx.closing)
    if (ctx.closing.aborted) {
      req.socket.destroy()
      return { served: true, expire: false }
    }
  }
  if (faults.drop) loseAnswer(res)
  if (faults.status) {
    const code = faults.status.status ?? 500
    if (code === 410 && isWatchRequest(path, query)) return { served: false, expire: true }
    await readBody(req).catch(() => undefined)
    sendStatus(res, statusForCode(code, faults.status.message, faults.status.reason))
    return { served: true, expire: false }
  }
  return { served: false, expire: false }
}

/** The discovery documents, version, health and OpenAPI (readable without a token). */
function sendDiscovery(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, path: string, method: string): void {
  if (method !== 'GET') throw methodNotAllowed()
  switch (path) {
    case '/api':
      return sendJSON(res, 200, apiVersions(ctx.address()))
    case '/apis':
      return sendJSON(res, 200, apiGroupList())
    case '/api/v1':
      return sendJSON(res, 200, coreResourceList(ctx.api.resources))
    case '/oapi':
      return sendJSON(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: null })
    case '/oapi/v1':
      return sendJSON(res, 200, legacyResourceList(ctx.api.resources))
    case '/version':
      return sendJSON(res, 200, SERVER_VERSION)
    case '/healthz':
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      res.end('ok')
      return
    case '/openapi/v2':
      return serveOpenAPIv2(req, res)
    default: {
      const parts = path.split('/')
      return sendJSON(res, 200, parts.length === 3 ? apiGroup(parts[2]!) : apiResourceList(ctx.api.resources, parts[2]!))
    }
  }
}

async function handle(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid')
  const path = url.pathname.replace(/\/+$/, '') || '/'
  const method = req.method ?? 'GET'
  const query = url.searchParams

  if (path === '/_emulator' || path.startsWith('/_emulator/')) {
    if (authorized(ctx, req) !== 'ok') return sendStatus(res, unauthorized().status)
    return emulatorEndpoint(ctx, req, res, path, method)
  }
  if (path === '/v2' || path.startsWith('/v2/') || path.startsWith('/registries/')) {
    if (await handleRegistryRequest(req, res, ctx.registries)) return
  }
  ctx.requests.record(method, req.url ?? '/', res)

  const faults = ctx.faults.take(method, path, query)
  const { served, expire } = await applyFaults(ctx, req, res, faults, path, query)
  if (served) return

  const auth = authorized(ctx, req)
  if (auth === 'bad' || (auth === 'anonymous' && !DISCOVERY.has(path))) return sendStatus(res, unauthorized().status)
  if (DISCOVERY.has(path)) return sendDiscovery(ctx, req, res, path, method)

  const user = identity(ctx, req)
  if (path === ACCESS_REVIEW_PATH) return serveAccessReview(req, res, ctx.api.env.deps.customStrategySubjects, user)
  const route = parseRoute(path, ctx.api.resources)
  if (!route) {
    await readBody(req).catch(() => undefined)
    throw pathNotFound()
  }
  if (platformNamespace(route.namespace, (ns) => ctx.store.has('namespaces', '', ns))) {
    await readBody(req).catch(() => undefined)
    const verb = rbacVerb(method, route.name !== undefined, route.watchPrefix || isWatchRequest(path, query))
    throw forbiddenByRBAC({ resource: route.def.plural, group: route.msgGroup }, route.name, user?.name ?? 'system:anonymous', verb, route.namespace!, route.sub)
  }
  await ctx.api.handle(req, res, route, query, { cutAfter: faults.cut?.bytes, expire, user })
}

async function emulatorEndpoint(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, path: string, method: string): Promise<void> {
  const sub = path.slice('/_emulator'.length) || '/'
  const body = async () => {
    const buf = await readBody(req)
    return buf.length ? parseJSON(buf, 'request') : {}
  }
  if (sub === '/' && method === 'GET') {
    return sendJSON(res, 200, {
      namespace: ctx.namespace,
      resourceVersion: ctx.store.resourceVersion,
      endpoints: [
        'GET /_emulator/faults',
        'POST /_emulator/faults',
        'DELETE /_emulator/faults[/<id>]',
        'POST /_emulator/images',
        'POST /_emulator/compact',
        'GET /_emulator/requests',
        'DELETE /_emulator/requests'
      ]
    })
  }
  if (sub === '/images') {
    if (method !== 'POST') throw methodNotAllowed()
    const b = await body()
    if (!b.imageStream || !b.tag) throw badRequest('imageStream and tag are required')
    return sendJSON(res, 200, await ctx.publishExternalImage(b.namespace ?? ctx.namespace, b.imageStream, b.tag, { from: b.from, digest: b.digest }))
  }
  if (sub === '/faults') {
    if (method === 'GET') return sendJSON(res, 200, serializeFaults(ctx.faults))
    if (method === 'POST') {
      const b = await body()
      try {
        const f = addFaultFromJSON(ctx.faults, b)
        return sendJSON(res, 201, { id: f.id })
      } catch (err) {
        throw badRequest((err as Error).message)
      }
    }
    if (method === 'DELETE') {
      ctx.faults.clear()
      return sendJSON(res, 200, { cleared: true })
    }
    throw methodNotAllowed()
  }
  const m = /^\/faults\/(\d+)$/.exec(sub)
  if (m && method === 'DELETE') {
    ctx.faults.remove(Number(m[1]))
    return sendJSON(res, 200, { removed: Number(m[1]) })
  }
  if (sub === '/requests') {
    if (method === 'GET') return sendJSON(res, 200, { requests: ctx.requests.list() })
    if (method === 'DELETE') {
      ctx.requests.clear()
      return sendJSON(res, 200, { cleared: true })
    }
    throw methodNotAllowed()
  }
  if (sub === '/compact' && method === 'POST') {
    ctx.store.compact()
    return sendJSON(res, 200, { compactedTo: ctx.store.resourceVersion })
  }
  throw pathNotFound()
}

function serializeFaults(faults: FaultInjector): unknown {
  const { requests, plugins, holds } = faults.list()
  const m = (x: { match: { path?: string | RegExp } }) => ({ ...x.match, path: x.match.path instanceof RegExp ? String(x.match.path) : x.match.path })
  return {
    requests: requests.map(({ received: _r, abandoned: _a, ...r }: any) => ({ ...r, match: m(r), count: Number.isFinite(r.count) ? r.count : -1 })),
    plugins: plugins.map((p) => ({ ...p, count: Number.isFinite(p.count) ? p.count : -1 })),
    holds
  }
}
