/**
 * SPEC §5.1: create the BuildConfig, or update the existing one without taking over someone else's, keeping what
 * others set, with optimistic concurrency (409 → re-read, re-judge, re-apply, bounded, with backoff).
 */
import { backoffDelay, ClusterError, DEFAULT_RETRY, isConflict, sleep, type Cluster, type KubeObject } from '../cluster/index.js'
import type { BuildConfigObject } from '../render/types.js'
import type { Reporter } from '../shared/reporter.js'

export const IDENTITY_LABELS = ['git-repo-name', 'git-branch'] as const

/**
 * Error when an existing BuildConfig belongs to another repository or branch (hash collision), or carries no
 * identity labels at all (made by hand, not by this action or osbs-client): neither is ever taken over.
 */
export function checkCollision(existing: KubeObject, wanted: BuildConfigObject): void {
  const have = existing.metadata.labels ?? {}
  const want = wanted.metadata.labels ?? {}
  const missing = IDENTITY_LABELS.filter((key) => !have[key])
  if (missing.length && relabelledByReactor(existing, wanted)) return
  if (missing.length)
    throw new Error(
      `BuildConfig ${existing.metadata.name} already exists without the label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: ` +
        `it was not made for this repository and branch, and it is not taken over. Set build-config-name to use another ` +
        `name, or label it ${missing.map((k) => `${k}=${want[k] ?? ''}`).join(' ')} if it is meant for this repository and branch.`
    )
  const clashes = IDENTITY_LABELS.filter((key) => want[key] && have[key] !== want[key])
  if (clashes.length)
    throw new Error(
      `BuildConfig ${existing.metadata.name} already exists for another source (${clashes
        .map((k) => `${k}: "${have[k]}", this run: "${want[k]}"`)
        .join('; ')}); it is not taken over. Set build-config-name to use another name.`
    )
}

/**
 * Whether a BuildConfig lost its labels to atomic-reactor 1.6.26.3: its check_and_set_rebuild replaces the labels
 * of the BuildConfig a build came from with `is_autorebuild` alone (osbs-client's set_labels_on_build_config, seen
 * on a real OpenShift 3.11 master). Left so and building this run's git URI and branch, it is this action's own.
 */
function relabelledByReactor(existing: KubeObject, wanted: BuildConfigObject): boolean {
  const labels = Object.keys(existing.metadata.labels ?? {})
  const have = existing.spec?.source?.git
  const want = wanted.spec?.source?.git
  return labels.length === 1 && labels[0] === 'is_autorebuild' && !!have && have.uri === want?.uri && have.ref === want?.ref
}

function isImageChange(trigger: any): boolean {
  return trigger?.type === 'ImageChange'
}

function triggerFrom(trigger: any): string | undefined {
  const from = trigger?.imageChange?.from
  return from ? `${from.namespace ?? ''}/${from.kind ?? ''}/${from.name ?? ''}` : undefined
}

/**
 * The updated BuildConfig: the existing one (status, resourceVersion, labels and annotations others set, other
 * spec fields and trigger types kept) with this run's labels, `source.git` and `source.sourceSecret`, `output.to`, the whole
 * `customStrategy` and the ImageChange trigger replaced. An ImageChange trigger on the same tag keeps the image it
 * last fired for, so that an update never looks like a new image to OpenShift.
 */
export function mergeBuildConfig(existing: KubeObject, wanted: BuildConfigObject): KubeObject {
  const spec = existing.spec ?? {}
  const next = wanted.spec ?? {}
  const merged: Record<string, any> = { ...spec }
  for (const [key, value] of Object.entries(next)) if (!['source', 'output', 'strategy', 'triggers'].includes(key)) merged[key] = value
  merged.source = { ...(spec.source ?? {}), ...(next.source ?? {}), git: next.source?.git }
  if (next.source?.type) merged.source.type = next.source.type
  // the source-secret input owns sourceSecret: without it the BuildConfig clones without one
  if (!next.source?.sourceSecret) delete merged.source.sourceSecret
  merged.output = { ...(spec.output ?? {}), ...(next.output ?? {}), to: next.output?.to }
  merged.strategy = { ...(next.strategy ?? {}) }
  const oldTriggers: any[] = Array.isArray(spec.triggers) ? spec.triggers : []
  const newImageTriggers: any[] = (Array.isArray(next.triggers) ? next.triggers : []).filter(isImageChange)
  const otherNew: any[] = (Array.isArray(next.triggers) ? next.triggers : []).filter((t: any) => !isImageChange(t))
  merged.triggers = [
    ...oldTriggers.filter((t) => !isImageChange(t) && !otherNew.some((n) => n.type === t.type)),
    ...otherNew,
    ...newImageTriggers.map((t) => {
      const old = oldTriggers.find((o) => isImageChange(o) && triggerFrom(o) === triggerFrom(t))
      const last = old?.imageChange?.lastTriggeredImageID
      return last && !t.imageChange?.lastTriggeredImageID ? { ...t, imageChange: { ...t.imageChange, lastTriggeredImageID: last } } : t
    })
  ]
  return {
    ...existing,
    apiVersion: wanted.apiVersion,
    kind: wanted.kind,
    metadata: {
      ...existing.metadata,
      labels: { ...(existing.metadata.labels ?? {}), ...(wanted.metadata.labels ?? {}) },
      annotations: { ...(existing.metadata.annotations ?? {}), ...(wanted.metadata.annotations ?? {}) }
    },
    spec: merged
  }
}

export interface ApplyResult {
  buildConfig: KubeObject
  created: boolean
  /** status.lastVersion before this run wrote. */
  previousLastVersion: number
}

export interface ApplyOptions {
  signal?: AbortSignal
  /** Attempts in total when the BuildConfig keeps changing under us (409). */
  attempts?: number
  /**
   * Called with the BuildConfig as read before each write, `attempt` counting from 0 (the running-build policy
   * runs here: after a 409 another run may have written it and started a build).
   */
  beforeWrite?: (existing: KubeObject | undefined, attempt: number) => Promise<void>
  /** The first read of the BuildConfig, when the caller sent it already (with the run's other first reads). */
  firstRead?: Promise<KubeObject | undefined>
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** Create or update the BuildConfig (SPEC §5.1). */
export async function applyBuildConfig(client: Cluster, wanted: BuildConfigObject, reporter: Reporter, options: ApplyOptions = {}): Promise<ApplyResult> {
  const name = wanted.metadata.name
  const attempts = options.attempts ?? 6
  const wait = options.wait ?? sleep
  for (let attempt = 0; ; attempt++) {
    const existing = await (attempt === 0 && options.firstRead ? options.firstRead : client.getBuildConfig(name, options.signal))
    if (existing) checkCollision(existing, wanted)
    await options.beforeWrite?.(existing, attempt)
    const previousLastVersion = Number(existing?.status?.lastVersion ?? 0)
    try {
      if (!existing) {
        const body: KubeObject = { ...wanted, metadata: { ...wanted.metadata } }
        delete body.metadata.resourceVersion
        delete body.status
        const created = await client.createBuildConfig(body, options.signal)
        reporter.info(`Created BuildConfig ${name}`)
        return { buildConfig: created, created: true, previousLastVersion }
      }
      const updated = await client.replaceBuildConfig(mergeBuildConfig(existing, wanted), options.signal)
      reporter.info(`Updated BuildConfig ${name}`)
      return { buildConfig: updated, created: false, previousLastVersion }
    } catch (error) {
      const retryable =
        isConflict(error) || // changed since we read it, or created by someone else meanwhile
        (error instanceof ClusterError && error.ambiguous && !existing) // the create may have happened: re-read
      if (!retryable || attempt + 1 >= attempts) {
        if (isConflict(error)) throw new Error(`BuildConfig ${name} kept changing while this run wrote it (${attempts} attempts): ${(error as Error).message}`)
        throw error
      }
      const delay = backoffDelay(attempt, { ...DEFAULT_RETRY, baseDelayMs: 200, maxDelayMs: 5000 })
      reporter.debug(`${(error as Error).message}; reading BuildConfig ${name} again in ${delay} ms`)
      await wait(delay, options.signal)
    }
  }
}
