/**
 * Per-kind server behaviour for writes: defaults filled in by the server, validation, and update rules
 * (what OpenShift's registry strategies `PrepareForCreate` / `PrepareForUpdate` / `ValidateUpdate` do).
 */
import type { KubeObject } from './store.js'
import { invalid, type StatusCause } from './status.js'
import { invalidValue, normalTriggerType, validateBuild, validateBuildConfig, validateImageStream, validateNamespace, validateSecret } from './validation.js'

export const TERMINAL = new Set(['Complete', 'Failed', 'Error', 'Cancelled'])
export const isTerminal = (b: KubeObject | undefined): boolean => TERMINAL.has(b?.status?.phase)

export interface WriteContext {
  /** served under /oapi/v1 */
  legacy: boolean
  /** group used in messages ('' on /oapi) */
  group: string
}

function strategyType(st: any): string | undefined {
  if (st?.customStrategy != null) return 'Custom'
  if (st?.dockerStrategy != null) return 'Docker'
  if (st?.sourceStrategy != null) return 'Source'
  if (st?.jenkinsPipelineStrategy != null) return 'JenkinsPipeline'
  return undefined
}

function sourceType(src: any): string {
  if (src?.git != null) return 'Git'
  if (src?.binary != null) return 'Binary'
  if (src?.dockerfile != null) return 'Dockerfile'
  if (src?.images?.length) return 'Image'
  return 'None'
}

function normalizeFrom(from: any): void {
  if (!from || typeof from !== 'object') return
  if (!from.kind) from.kind = 'ImageStreamTag'
  if (from.kind === 'ImageStream') {
    from.kind = 'ImageStreamTag'
    if (from.name && !from.name.includes(':')) from.name = `${from.name}:latest`
  }
}

/** Defaults of CommonSpec (BuildConfig and Build). */
function defaultCommonSpec(spec: any): void {
  spec.source ??= {}
  spec.source.type ||= sourceType(spec.source)
  spec.strategy ??= {}
  const st = strategyType(spec.strategy)
  if (st) spec.strategy.type = st
  const s = spec.strategy.customStrategy ?? spec.strategy.sourceStrategy ?? spec.strategy.dockerStrategy
  if (s?.from) normalizeFrom(s.from)
  spec.output ??= {}
  if (spec.output.to && (!spec.output.to.kind || spec.output.to.kind === 'ImageStream')) {
    spec.output.to.kind = 'ImageStreamTag'
  }
  spec.resources ??= {}
  spec.postCommit ??= {}
  if (spec.nodeSelector === undefined) spec.nodeSelector = null
}

function throwIfInvalid(kind: string, ctx: WriteContext, name: string, causes: StatusCause[]): void {
  if (causes.length) throw invalid(kind, ctx.group, name, causes)
}

export function prepareBuildConfig(bc: KubeObject, old: KubeObject | undefined, ctx: WriteContext): KubeObject {
  throwIfInvalid('BuildConfig', ctx, bc.metadata?.name ?? '', validateBuildConfig(bc))
  const spec = (bc.spec ??= {})
  defaultCommonSpec(spec)
  spec.runPolicy ||= 'Serial'
  spec.triggers ??= []
  for (const t of spec.triggers) {
    t.type = normalTriggerType(t.type) ?? t.type
    if (t.type === 'ImageChange' && t.imageChange?.from) normalizeFrom(t.imageChange.from)
  }
  if (!old && !ctx.legacy) {
    spec.successfulBuildsHistoryLimit ??= 5
    spec.failedBuildsHistoryLimit ??= 5
  }
  if (!old) {
    bc.status = { lastVersion: 0 }
    bc.metadata.generation = 1
  } else {
    // The server keeps the higher lastVersion and its own trigger bookkeeping.
    const status = (bc.status ??= {})
    status.lastVersion = Math.max(Number(status.lastVersion ?? 0), Number(old.status?.lastVersion ?? 0))
    if (status.imageChangeTriggers == null && old.status?.imageChangeTriggers) status.imageChangeTriggers = old.status.imageChangeTriggers
    const gen = Number(old.metadata.generation ?? 1)
    bc.metadata.generation = JSON.stringify(old.spec) === JSON.stringify(spec) ? gen : gen + 1
  }
  return bc
}

function specWithoutPushSecret(spec: any): string {
  const s = structuredClone(spec ?? {})
  if (s.output) delete s.output.pushSecret
  return JSON.stringify(s)
}

export function prepareBuild(b: KubeObject, old: KubeObject | undefined, ctx: WriteContext): KubeObject {
  const name = b.metadata?.name ?? ''
  throwIfInvalid('Build', ctx, name, validateBuild(b))
  const spec = (b.spec ??= {})
  defaultCommonSpec(spec)
  spec.serviceAccount ||= 'builder'
  b.status ??= {}
  if (!old) {
    b.status.phase ||= 'New'
    return b
  }
  const causes: StatusCause[] = []
  if (specWithoutPushSecret(old.spec) !== specWithoutPushSecret(spec)) {
    causes.push(invalidValue('spec', 'content of spec is not printed out, please refer to the details', 'spec is immutable'))
  }
  const from = old.status?.phase
  const to = b.status.phase || from
  b.status.phase = to
  if (TERMINAL.has(from) && to !== from) {
    causes.push(invalidValue('status.phase', to, 'phase cannot be updated from a terminal state'))
  } else if ((from === 'Pending' && to === 'New') || (from === 'Running' && (to === 'New' || to === 'Pending'))) {
    causes.push(invalidValue('status.phase', to, `phase cannot be updated from ${from} to ${to}`))
  }
  throwIfInvalid('Build', ctx, name, causes)
  if (TERMINAL.has(from)) {
    // A terminal build keeps its status; only metadata (labels, annotations) and the cancel flag may change.
    b.status = { ...old.status, cancelled: b.status.cancelled ?? old.status?.cancelled }
    if (b.status.cancelled === undefined) delete b.status.cancelled
  }
  return b
}

export function prepareSecret(s: KubeObject, _old: KubeObject | undefined, ctx: WriteContext): KubeObject {
  throwIfInvalid('Secret', ctx, s.metadata?.name ?? '', validateSecret(s))
  const data: Record<string, string> = { ...((s.data as Record<string, string>) ?? {}) }
  for (const [k, v] of Object.entries((s.stringData as Record<string, string>) ?? {})) data[k] = Buffer.from(v, 'utf8').toString('base64')
  delete s.stringData
  s.data = data
  s.type ||= 'Opaque'
  return s
}

export function prepareNamespace(n: KubeObject, _old: KubeObject | undefined, ctx: WriteContext): KubeObject {
  throwIfInvalid('Namespace', ctx, n.metadata?.name ?? '', validateNamespace(n))
  n.spec = { finalizers: ['kubernetes'], ...(n.spec ?? {}) }
  n.status = { phase: 'Active' }
  delete n.metadata.namespace
  return n
}

export function checkImageStream(is: KubeObject, ctx: WriteContext): void {
  throwIfInvalid('ImageStream', ctx, is.metadata?.name ?? '', validateImageStream(is))
}
