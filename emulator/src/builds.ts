/**
 * Instantiate (openshift-apiserver's build generator): BuildRequest → Build, with the BuildConfig updated first.
 */
import { INTERNAL_REGISTRY, type Images } from './images.js'
import { badRequest, conflict, invalid, notFound } from './status.js'
import type { Store, KubeObject } from './store.js'
import { validateBuildRequest } from './validation.js'
import { BUILD_GROUP } from './resources.js'

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

function strategyOf(spec: any): any {
  const st = spec?.strategy ?? {}
  return st.customStrategy ?? st.sourceStrategy ?? st.dockerStrategy
}

/** The ImageChange triggers of a BuildConfig with their `from` resolved (namespace defaulted). */
export function imageChangeTriggers(bc: KubeObject): Array<{ index: number; name: string; namespace: string; paused: boolean }> {
  const out: Array<{ index: number; name: string; namespace: string; paused: boolean }> = []
  ;(bc.spec?.triggers ?? []).forEach((t: any, index: number) => {
    if (t?.type !== 'ImageChange' || !t.imageChange) return
    const from = t.imageChange.from ?? strategyOf(bc.spec)?.from
    if (!from || (from.kind ?? 'ImageStreamTag') !== 'ImageStreamTag' || !from.name) return
    out.push({ index, name: from.name, namespace: from.namespace || bc.metadata.namespace!, paused: !!t.imageChange.paused })
  })
  return out
}

/** The image a trigger last fired for (4.8+ status, or the legacy spec field). */
export function lastTriggered(bc: KubeObject, trig: { index: number; name: string; namespace: string }): string[] {
  const ids: string[] = []
  const legacy = bc.spec?.triggers?.[trig.index]?.imageChange?.lastTriggeredImageID
  if (legacy) ids.push(legacy)
  for (const s of bc.status?.imageChangeTriggers ?? []) {
    if (s?.from?.name === trig.name && (s.from.namespace || bc.metadata.namespace) === trig.namespace && s.lastTriggeredImageID) ids.push(s.lastTriggeredImageID)
  }
  return ids
}

export function instantiate(store: Store, images: Images, ns: string, request: any, ctx: InstantiateContext): KubeObject {
  const causes = validateBuildRequest(request)
  if (causes.length) throw invalid('BuildRequest', ctx.group, request.metadata?.name ?? '', causes)
  const bcRef = { resource: 'buildconfigs', group: ctx.group }
  const name = request.metadata.name
  for (let attempt = 0; ; attempt++) {
    const bc = store.get('buildconfigs', ns, name)
    if (!bc) throw notFound(bcRef, name)
    if (bc.metadata.annotations?.[PAUSED] === 'true') throw badRequest(`can't instantiate from BuildConfig ${ns}/${name}: BuildConfig is paused`)
    const lastVersion = Number(bc.status?.lastVersion ?? 0)
    if (request.lastVersion != null && Number(request.lastVersion) !== lastVersion) {
      throw badRequest(`the LastVersion(${lastVersion}) on build config ${ns}/${name} does not match the build request LastVersion(${request.lastVersion})`)
    }
    const st = bc.spec?.strategy ?? {}
    if (request.dockerStrategyOptions && !st.dockerStrategy) throw badRequest(`Cannot specify Docker build specific options on ${ns}/${name}, not a Docker build.`)
    if (request.sourceStrategyOptions && !st.sourceStrategy) throw badRequest(`Cannot specify Source build specific options on ${ns}/${name}, not a Source build.`)

    // Image trigger bookkeeping: the trigger named by request.from records the triggering image, the others the
    // image they currently resolve to.
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
    const triggeredBy = request.triggeredByImage?.name as string | undefined
    const reqFrom = request.from?.name ? { name: request.from.name, namespace: request.from.namespace || ns } : undefined
    const statusTriggers: any[] = []
    for (const t of imageChangeTriggers(bc)) {
      const isFrom = reqFrom && reqFrom.name === t.name && reqFrom.namespace === t.namespace
      if (isFrom && triggeredBy && lastTriggered(bc, t).includes(triggeredBy)) {
        throw conflict(bcRef, name, `already instantiated a build for imageid ${triggeredBy}`)
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

    // Resolve the strategy's image.
    const spec = structuredClone(bc.spec)
    const strat = strategyOf(spec)
    if (strat?.from) {
      const from = strat.from
      const fromNs = from.namespace || ns
      let pull: string | undefined
      if (from.kind === 'DockerImage') pull = from.name
      else if (from.kind === 'ImageStreamTag') {
        const usesTrigger = reqFrom && triggeredBy && reqFrom.name === from.name && reqFrom.namespace === fromNs
        if (usesTrigger) pull = triggeredBy
        else {
          const [isName, tag] = String(from.name).split(':') as [string, string]
          pull = images.latest(fromNs, isName, tag ?? 'latest')
          if (!pull) {
            throw invalid('BuildConfig', ctx.group ? BUILD_GROUP : '', name, [
              {
                reason: 'FieldValueInvalid',
                message: `Invalid value: "${from.name}": Error resolving ImageStreamTag ${from.name} in namespace ${fromNs}: unable to find latest tagged image`,
                field: 'from'
              }
            ])
          }
        }
      } else if (from.kind === 'ImageStreamImage') {
        const [isName, digest] = String(from.name).split('@') as [string, string]
        const is = store.peek('imagestreams', fromNs, isName)
        for (const l of is?.status?.tags ?? []) for (const i of l.items ?? []) if (i.image === digest) pull = i.dockerImageReference
        if (!pull) {
          throw invalid('BuildConfig', ctx.group ? BUILD_GROUP : '', name, [
            { reason: 'FieldValueInvalid', message: `Invalid value: "${from.name}": unable to find image ${from.name} in namespace ${fromNs}`, field: 'from' }
          ])
        }
      }
      if (pull) {
        strat.from = { kind: 'DockerImage', name: pull }
        if (spec.strategy.customStrategy) {
          const env = (strat.env ??= []).filter((e: any) => e.name !== 'OPENSHIFT_CUSTOM_BUILD_BASE_IMAGE')
          env.push({ name: 'OPENSHIFT_CUSTOM_BUILD_BASE_IMAGE', value: pull })
          strat.env = env
        }
      }
    }
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
    const runPolicy = bc.spec?.runPolicy || 'Serial'
    const labels: Record<string, string> = {
      ...(bc.metadata.labels ?? {}),
      buildconfig: labelValue(name),
      'openshift.io/build-config.name': labelValue(name),
      'openshift.io/build.start-policy': runPolicy
    }
    for (const [k, v] of Object.entries((request.metadata.labels ?? {}) as Record<string, string>)) if (!(k in labels)) labels[k] = v
    const annotations: Record<string, string> = {
      'openshift.io/build-config.name': name,
      'openshift.io/build.number': String(n)
    }
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
    const build: KubeObject = {
      kind: 'Build',
      apiVersion: 'build.openshift.io/v1',
      metadata: {
        name: `${name}-${n}`,
        namespace: ns,
        labels,
        annotations,
        ownerReferences: [{ apiVersion: 'build.openshift.io/v1', kind: 'BuildConfig', name, uid: stored.metadata.uid as string, controller: true }]
      },
      spec: buildSpec,
      status: { phase: 'New', config: { kind: 'BuildConfig', namespace: ns, name }, output: {} }
    }
    return store.create('builds', build)
  }
}

/** Where a build's output goes, as the controller writes it into status.outputDockerImageReference. */
export function outputReference(build: KubeObject): string | undefined {
  const to = build.spec?.output?.to
  if (!to?.name) return undefined
  if (to.kind === 'DockerImage') return to.name
  const ns = to.namespace || build.metadata.namespace
  return `${INTERNAL_REGISTRY}/${ns}/${to.name}`
}
