/**
 * Instantiate (openshift-apiserver's build generator, `registry/buildconfiginstantiate/rest.go`): BuildRequest →
 * Build, with the BuildConfig updated first (lastVersion, the ImageChange triggers' bookkeeping).
 */
import type { KubeObject } from '../../api/object.js'
import { BUILD_GROUP } from '../../api/resources.js'
import { badRequest, conflict, invalid, methodNotAllowed, notFound, type ResourceRef } from '../../api/status.js'
import { present, readObject } from '../../apiserver/request.js'
import type { RequestContext } from '../../apiserver/strategy.js'
import { sendJSON } from '../../apiserver/http.js'
import type { Store } from '../../storage/store.js'
import { admitStrategy, strategyOf } from '../common-spec.js'
import type { RegistryDeps } from '../deps.js'
import type { Images } from '../imagestream/images.js'
import { BUILD_REQUEST, validateBuildRequest } from './build-request.js'
import { imageChangeTriggers, lastTriggered } from './triggers.js'

export interface InstantiateContext {
  /** group in messages ('' on /oapi) */
  group: string
}

const PAUSED = 'openshift.io/build-config.paused'

/** Truncate a label value until it is valid (≤ 63, ends alphanumeric). */
export function labelValue(v: string): string {
  let s = v.slice(0, 63)
  while (s && !/[A-Za-z0-9]$/.test(s)) s = s.slice(0, -1)
  return s
}

/** The request against the BuildConfig: not paused, the lastVersion it names, options of its strategy only. */
function checkRequest(bc: KubeObject, request: any, ns: string, name: string): number {
  if (bc.metadata.annotations?.[PAUSED] === 'true') throw badRequest(`can't instantiate from BuildConfig ${ns}/${name}: BuildConfig is paused`)
  const lastVersion = Number(bc.status?.lastVersion ?? 0)
  if (request.lastVersion != null && Number(request.lastVersion) !== lastVersion) {
    throw badRequest(`the LastVersion(${lastVersion}) on build config ${ns}/${name} does not match the build request LastVersion(${request.lastVersion})`)
  }
  const st = bc.spec?.strategy ?? {}
  if (request.dockerStrategyOptions && !st.dockerStrategy) throw badRequest(`Cannot specify Docker build specific options on ${ns}/${name}, not a Docker build.`)
  if (request.sourceStrategyOptions && !st.sourceStrategy) throw badRequest(`Cannot specify Source build specific options on ${ns}/${name}, not a Source build.`)
  return lastVersion
}

/** The image stream tag the request names as its trigger (`from`), with its namespace defaulted. */
type RequestFrom = { name: string; namespace: string } | undefined

/**
 * Image trigger bookkeeping: the trigger named by request.from records the triggering image, the others the image
 * they currently resolve to (written into the BuildConfig's spec; the status entries returned).
 */
function triggerStatus(bc: KubeObject, images: Images, ns: string, reqFrom: RequestFrom, triggeredBy: string | undefined, bcRef: ResourceRef): any[] {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
  const statusTriggers: any[] = []
  for (const t of imageChangeTriggers(bc)) {
    const isFrom = reqFrom && reqFrom.name === t.name && reqFrom.namespace === t.namespace
    if (isFrom && triggeredBy && lastTriggered(bc, t).includes(triggeredBy)) {
      throw conflict(bcRef, bc.metadata.name, `already instantiated a build for imageid ${triggeredBy}`)
    }
    const [isName, tag] = t.name.split(':') as [string, string]
    const id = isFrom && triggeredBy ? triggeredBy : images.latest(t.namespace, isName, tag)
    const prev = (bc.status?.imageChangeTriggers ?? []).find((s: any) => s?.from?.name === t.name && (s.from.namespace || ns) === t.namespace)
    const entry: any = { from: { name: t.name }, lastTriggeredImageID: id ?? prev?.lastTriggeredImageID ?? '' }
    if (t.namespace !== ns) entry.from.namespace = t.namespace
    entry.lastTriggerTime = isFrom && triggeredBy ? now : (prev?.lastTriggerTime ?? null)
    statusTriggers.push(entry)
    if (id) bc.spec.triggers[t.index].imageChange.lastTriggeredImageID = id
  }
  return statusTriggers
}

function unresolved(group: string, bcName: string, message: string): never {
  throw invalid('BuildConfig', group ? BUILD_GROUP : '', bcName, [{ reason: 'FieldValueInvalid', message, field: 'from' }])
}

/** The pull spec of the strategy's `from` (a 422 when its image stream has no such image). */
function resolvePullSpec(from: any, ns: string, store: Store, images: Images, reqFrom: RequestFrom, triggeredBy: string | undefined, group: string, bcName: string): string | undefined {
  const fromNs = from.namespace || ns
  if (from.kind === 'DockerImage') return from.name
  if (from.kind === 'ImageStreamTag') {
    if (reqFrom && triggeredBy && reqFrom.name === from.name && reqFrom.namespace === fromNs) return triggeredBy
    const [isName, tag] = String(from.name).split(':') as [string, string]
    const pull = images.latest(fromNs, isName, tag ?? 'latest')
    if (!pull) unresolved(group, bcName, `Invalid value: "${from.name}": Error resolving ImageStreamTag ${from.name} in namespace ${fromNs}: unable to find latest tagged image`)
    return pull
  }
  if (from.kind === 'ImageStreamImage') {
    const [isName, digest] = String(from.name).split('@') as [string, string]
    const is = store.peek('imagestreams', fromNs, isName)
    let pull: string | undefined
    for (const l of is?.status?.tags ?? []) for (const i of l.items ?? []) if (i.image === digest) pull = i.dockerImageReference
    if (!pull) unresolved(group, bcName, `Invalid value: "${from.name}": unable to find image ${from.name} in namespace ${fromNs}`)
    return pull
  }
  return undefined
}

/** The request's env and strategy options over the strategy's (a copy of the BuildConfig's spec). */
function applyRequest(spec: any, request: any): void {
  const strat = strategyOf(spec)
  if (Array.isArray(request.env) && strat) {
    const env: any[] = strat.env ?? []
    for (const e of request.env) {
      const i = env.findIndex((x) => x.name === e.name)
      if (i >= 0) env[i] = e
      else env.push(e)
    }
    strat.env = env
  }
  if (request.dockerStrategyOptions && spec.strategy.dockerStrategy) {
    if (request.dockerStrategyOptions.noCache != null) spec.strategy.dockerStrategy.noCache = request.dockerStrategyOptions.noCache
    if (request.dockerStrategyOptions.buildArgs) spec.strategy.dockerStrategy.buildArgs = request.dockerStrategyOptions.buildArgs
  }
  if (request.sourceStrategyOptions && spec.strategy.sourceStrategy && request.sourceStrategyOptions.incremental != null) {
    spec.strategy.sourceStrategy.incremental = request.sourceStrategyOptions.incremental
  }
}

/** Build number `n` of the BuildConfig (stored as `bcUid`), as the generator makes it. */
function newBuild(bc: KubeObject, bcUid: string, request: any, spec: any, n: number): KubeObject {
  const { name, namespace: ns } = bc.metadata
  const labels: Record<string, string> = {
    ...(bc.metadata.labels ?? {}),
    buildconfig: labelValue(name),
    'openshift.io/build-config.name': labelValue(name),
    'openshift.io/build.start-policy': bc.spec?.runPolicy || 'Serial'
  }
  for (const [k, v] of Object.entries((request.metadata.labels ?? {}) as Record<string, string>)) if (!(k in labels)) labels[k] = v
  const annotations: Record<string, string> = { 'openshift.io/build-config.name': name, 'openshift.io/build.number': String(n) }
  for (const [k, v] of Object.entries((request.metadata.annotations ?? {}) as Record<string, string>)) if (!(k in annotations)) annotations[k] = v
  const buildSpec: any = {
    serviceAccount: spec.serviceAccount || 'builder',
    source: spec.source,
    strategy: spec.strategy,
    output: spec.output ?? {},
    resources: spec.resources ?? {},
    postCommit: spec.postCommit ?? {},
    nodeSelector: spec.nodeSelector ?? null
  }
  if (spec.completionDeadlineSeconds != null) buildSpec.completionDeadlineSeconds = spec.completionDeadlineSeconds
  const revision = request.revision ?? spec.revision
  if (revision) buildSpec.revision = revision
  buildSpec.triggeredBy = Array.isArray(request.triggeredBy) && request.triggeredBy.length ? request.triggeredBy : [{ message: 'Manually triggered' }]
  return {
    kind: 'Build',
    apiVersion: 'build.openshift.io/v1',
    metadata: {
      name: `${name}-${n}`,
      namespace: ns,
      labels,
      annotations,
      ownerReferences: [{ apiVersion: 'build.openshift.io/v1', kind: 'BuildConfig', name, uid: bcUid, controller: true }]
    },
    spec: buildSpec,
    status: { phase: 'New', config: { kind: 'BuildConfig', namespace: ns, name }, output: {} }
  }
}

export function instantiate(store: Store, images: Images, ns: string, request: any, ctx: InstantiateContext): KubeObject {
  const causes = validateBuildRequest(request)
  if (causes.length) throw invalid('BuildRequest', ctx.group, request.metadata?.name ?? '', causes)
  const bcRef = { resource: 'buildconfigs', group: ctx.group }
  const name = request.metadata.name
  const triggeredBy = request.triggeredByImage?.name as string | undefined
  const reqFrom: RequestFrom = request.from?.name ? { name: request.from.name, namespace: request.from.namespace || ns } : undefined
  for (let attempt = 0; ; attempt++) {
    const bc = store.get('buildconfigs', ns, name)
    if (!bc) throw notFound(bcRef, name)
    const lastVersion = checkRequest(bc, request, ns, name)
    const statusTriggers = triggerStatus(bc, images, ns, reqFrom, triggeredBy, bcRef)

    // The strategy's image resolved, the request's options applied, on a copy of the spec.
    const spec = structuredClone(bc.spec)
    const strat = strategyOf(spec)
    const pull = strat?.from ? resolvePullSpec(strat.from, ns, store, images, reqFrom, triggeredBy, ctx.group, name) : undefined
    if (pull) {
      strat.from = { kind: 'DockerImage', name: pull }
      if (spec.strategy.customStrategy) {
        const env = (strat.env ??= []).filter((e: any) => e.name !== 'OPENSHIFT_CUSTOM_BUILD_BASE_IMAGE')
        env.push({ name: 'OPENSHIFT_CUSTOM_BUILD_BASE_IMAGE', value: pull })
        strat.env = env
      }
    }
    applyRequest(spec, request)

    // 1. the BuildConfig: lastVersion + trigger bookkeeping (optimistic concurrency, retried)
    const n = lastVersion + 1
    bc.status = { ...(bc.status ?? {}), lastVersion: n }
    if (statusTriggers.length) bc.status.imageChangeTriggers = statusTriggers
    let stored: KubeObject
    try {
      stored = store.update('buildconfigs', bc, bc.metadata.resourceVersion)
    } catch (err) {
      if ((err as { code?: string }).code === 'Conflict' && attempt < 3) continue
      throw err
    }
    // 2. the Build
    return store.create('builds', newBuild(bc, stored.metadata.uid as string, request, spec, n))
  }
}

/** POST buildconfigs/<name>/instantiate. */
export async function instantiateRest(ctx: RequestContext<RegistryDeps>): Promise<void> {
  const { route, env } = ctx
  if ((ctx.req.method ?? 'GET') !== 'POST') throw methodNotAllowed()
  const ns = route.namespace!
  const headers: Record<string, string> = {}
  const body = await readObject(ctx.req, BUILD_REQUEST, env, ctx.query, headers)
  const bc = body.metadata?.name ? env.store.peek('buildconfigs', ns, body.metadata.name) : undefined
  if (bc) admitStrategy(env.deps, ctx.user, { resource: 'buildconfigs', group: route.msgGroup }, bc.metadata.name, bc.spec)
  const build = instantiate(env.store, env.deps.images, ns, body, { group: route.msgGroup })
  const served = present(build, env.resources.builds!.def, route)
  // as 3.11's generic registry links a subresource's answer: the request's path with the object's name in it
  served.metadata.selfLink = `${route.base}/namespaces/${ns}/buildconfigs/${build.metadata.name}/instantiate`
  return sendJSON(ctx.res, 201, served, headers)
}
