/**
 * SPEC §6.3: start the build, or adopt the one OpenShift started itself when writing the BuildConfig made an
 * ImageChange trigger fire. One run starts at most one build: an instantiate whose answer was lost is never sent
 * again before looking for the build it may have created.
 */
import { randomUUID } from 'node:crypto'
import { trimEndChar } from '../shared/linear-text.js'
import { ClusterError, isNotFound, sleep, type Cluster, type KubeObject } from '../cluster/index.js'
import type { BuildPlan } from '../plan/plan.js'
import type { Reporter } from '../shared/reporter.js'
import { goneDelay } from './watch-object.js'
import { RUN_URL_ANNOTATION, startedSince, triggeredByImageChange } from './builds.js'

export const ANNOTATION_PREFIX = 'osbs-build-action'
export const REQUEST_ID_ANNOTATION = `${ANNOTATION_PREFIX}/request-id`

/**
 * The BuildRequest of SPEC §6.3. With `lastVersion`, OpenShift creates the build only while the BuildConfig's
 * `status.lastVersion` is still that number (any other build started since makes it answer 400): the
 * compare-and-set `on-running-build: fail` needs.
 */
export function buildRequest(plan: BuildPlan, requestId: string, lastVersion?: number): Record<string, unknown> {
  const { settings } = plan
  return {
    kind: 'BuildRequest',
    apiVersion: 'build.openshift.io/v1',
    metadata: { name: plan.buildConfigName, annotations: runAnnotations(plan, requestId) },
    revision: sourceRevision(plan),
    // OpenShift passes a BuildRequest's revision to the build only as spec.revision; the pod's SOURCE_REF (what
    // atomic-reactor checks out) is the BuildConfig's ref, the branch. The request's env is appended to the
    // strategy's and the last SOURCE_REF wins in the pod: this build builds exactly the pushed commit, while
    // autorebuilds (started by triggers, without it) build the branch's head.
    env: [{ name: 'SOURCE_REF', value: settings.git.commit }],
    triggeredBy: [{ message: triggerMessage(plan) }],
    ...(lastVersion === undefined ? {} : { lastVersion })
  }
}

/** The annotations a build started by this run carries: the request's id, the repository, the run, the actor. */
export function runAnnotations(plan: BuildPlan, requestId: string): Record<string, string> {
  const run = plan.settings.run
  const annotations: Record<string, string> = {
    [REQUEST_ID_ANNOTATION]: requestId,
    [`${ANNOTATION_PREFIX}/repository`]: `${trimEndChar(run.serverUrl, '/')}/${run.repository}`
  }
  if (run.runUrl) annotations[RUN_URL_ANNOTATION] = run.runUrl
  if (run.actor) annotations[`${ANNOTATION_PREFIX}/actor`] = run.actor
  return annotations
}

/** The commit built, with the push's author, committer and message when the event has them. */
export function sourceRevision(plan: BuildPlan): { type: 'Git'; git: Record<string, unknown> } {
  const { settings } = plan
  const run = settings.run
  const person = (p?: { name?: string; email?: string }): { name?: string; email?: string } | undefined =>
    p && (p.name || p.email) ? { ...(p.name ? { name: p.name } : {}), ...(p.email ? { email: p.email } : {}) } : undefined
  const git: Record<string, unknown> = { commit: settings.git.commit }
  const author = person(run.headCommit?.author)
  const committer = person(run.headCommit?.committer)
  if (author) git.author = author
  if (committer) git.committer = committer
  if (run.headCommit?.message) git.message = run.headCommit.message
  return { type: 'Git', git }
}

export function triggerMessage(plan: BuildPlan): string {
  const runUrl = plan.settings.run.runUrl
  return runUrl ? `Started by GitHub Actions run ${runUrl}` : 'Started by GitHub Actions'
}

/**
 * The label selector of the builds a run of this plan may have started: the BuildConfig's builds, or for a Build
 * posted directly those of its kind, repository and branch.
 */
export function requestSelector(plan: BuildPlan): string {
  if (!plan.build) return `openshift.io/build-config.name=${plan.buildConfigName}`
  const labels = plan.build.metadata.labels
  return `${plan.kind}=true,git-repo-name=${labels['git-repo-name']},git-branch=${labels['git-branch']}`
}

/** OpenShift's answer to an instantiate whose `lastVersion` is no longer the BuildConfig's. */
export function isLastVersionMismatch(error: unknown): boolean {
  return error instanceof ClusterError && error.status === 400 && /does not match the build request LastVersion/i.test(error.message)
}

/** The image the BuildConfig's ImageChange trigger last fired for, if recorded (4.x status, or 3.x spec). */
function lastTriggered(buildConfig: KubeObject, tag: string): string | undefined {
  const fromStatus = (buildConfig.status?.imageChangeTriggers ?? []).find((t: any) => t?.from?.name === tag)
  if (fromStatus?.lastTriggeredImageID) return fromStatus.lastTriggeredImageID
  const fromSpec = (buildConfig.spec?.triggers ?? []).find((t: any) => t?.type === 'ImageChange' && (t.imageChange?.from?.name ?? tag) === tag)
  return fromSpec?.imageChange?.lastTriggeredImageID
}

/** What the ImageStreamTag of a BuildConfig's ImageChange trigger holds, as read (before or after the write). */
export type TriggerTag =
  | { kind: 'no-trigger' }
  /** The trigger names no tag, or the account may not read it: it may fire. */
  | { kind: 'unknown' }
  /** A missing tag cannot fire. */
  | { kind: 'missing' }
  | { kind: 'image'; tag: string; image?: string }

/** Read the ImageStreamTag the BuildConfig's ImageChange trigger follows (no request without such a trigger). */
export async function readTriggerTag(client: Cluster, buildConfig: { spec?: any }, signal?: AbortSignal): Promise<TriggerTag> {
  const trigger = (buildConfig.spec?.triggers ?? []).find((t: any) => t?.type === 'ImageChange')
  if (!trigger) return { kind: 'no-trigger' }
  const tag: string | undefined = trigger.imageChange?.from?.name ?? buildConfig.spec?.strategy?.customStrategy?.from?.name
  if (!tag) return { kind: 'unknown' }
  try {
    const ist = await client.getImageStreamTag(tag, signal)
    return { kind: 'image', tag, image: (ist as any).image?.dockerImageReference }
  } catch (error) {
    if (isNotFound(error)) return { kind: 'missing' }
    if (error instanceof ClusterError && (error.status === 403 || error.status === 401)) return { kind: 'unknown' }
    throw error
  }
}

/**
 * Whether writing this BuildConfig can make its ImageChange trigger fire: the trigger's ImageStreamTag has an
 * image the BuildConfig has not been built from. A missing tag cannot fire.
 */
export function mayFire(buildConfig: KubeObject, read: TriggerTag): boolean {
  if (read.kind === 'no-trigger' || read.kind === 'missing') return false
  if (read.kind === 'unknown' || !read.image) return true
  return lastTriggered(buildConfig, read.tag) !== read.image
}

export async function triggerMayFire(client: Cluster, buildConfig: KubeObject, signal?: AbortSignal): Promise<boolean> {
  return mayFire(buildConfig, await readTriggerTag(client, buildConfig, signal))
}

/**
 * Watch the BuildConfig from the write's resourceVersion for `status.lastVersion` to move within `windowMs`.
 * Returns the new lastVersion, or undefined.
 */
async function watchLastVersion(client: Cluster, written: KubeObject, windowMs: number, signal?: AbortSignal): Promise<number | undefined> {
  const name = written.metadata.name
  const before = Number(written.status?.lastVersion ?? 0)
  const window = new AbortController()
  const timer = setTimeout(() => window.abort(), windowMs)
  const combined = signal ? AbortSignal.any([signal, window.signal]) : window.signal
  let resourceVersion = written.metadata.resourceVersion
  let failed = 0
  try {
    while (!window.signal.aborted) {
      try {
        for await (const event of client.watch(
          'build',
          'buildconfigs',
          { fieldSelector: `metadata.name=${name}`, resourceVersion, timeoutSeconds: Math.ceil(windowMs / 1000) + 1 },
          { signal: combined, inactivityMs: windowMs + 1000 }
        )) {
          if (event.object?.metadata?.resourceVersion) resourceVersion = event.object.metadata.resourceVersion
          if (event.type === 'BOOKMARK' || event.object?.metadata?.name !== name) continue
          const last = Number(event.object.status?.lastVersion ?? 0)
          if (last > before) return last
        }
      } catch (error) {
        if (signal?.aborted) throw signal.reason ?? error
        if (window.signal.aborted) break
        // 410 or a broken stream: read the BuildConfig itself
        const current = await client.getBuildConfig(name, combined).catch(() => undefined)
        const last = Number(current?.status?.lastVersion ?? 0)
        if (last > before) return last
        resourceVersion = current?.metadata.resourceVersion
        await sleep(Math.max(200, goneDelay(++failed)), combined).catch(() => {})
      }
    }
    return undefined
  } finally {
    clearTimeout(timer)
  }
}

/** A build that exists right after lastVersion moved (instantiate updates the BuildConfig before creating it). */
async function getSoon(client: Cluster, name: string, signal?: AbortSignal): Promise<KubeObject | undefined> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return await client.getBuild(name, signal)
    } catch (error) {
      if (!isNotFound(error)) throw error
      await sleep(250, signal)
    }
  }
  return undefined
}

export interface StartResult {
  build: KubeObject
  adopted: boolean
}

export interface StartOptions {
  signal?: AbortSignal
  /** How long to watch for a build OpenShift starts by itself after the write. */
  adoptWindowMs?: number
  requestId?: string
  /**
   * The BuildConfig's `status.lastVersion` the running-build policy was judged on (`on-running-build: fail`): the
   * instantiate carries it, and a build started by anyone since makes OpenShift refuse it; this run then fails
   * naming that build. Without it the build is queued behind any other (`wait`, `cancel`).
   */
  lastVersion?: number
  /** Called before each instantiate is sent (its answer may be lost, and the server may act on it later). */
  onInstantiate?: () => void
  /**
   * The trigger's ImageStreamTag, read while the BuildConfig was being read (it follows the tag this run writes);
   * default: read after the write.
   */
  triggerTag?: Promise<TriggerTag>
}

const carries = (requestId: string) => (b: KubeObject | undefined) => b?.metadata?.annotations?.[REQUEST_ID_ANNOTATION] === requestId

/** Find the build a lost instantiate may have created: the one carrying this run's request id. */
export async function findRequested(client: Cluster, plan: BuildPlan, requestId: string, signal?: AbortSignal): Promise<KubeObject | undefined> {
  const list = await client.listBuilds({ labelSelector: requestSelector(plan) }, signal)
  return list.items.find(carries(requestId))
}

/**
 * The build an instantiate cut short (SIGINT/SIGTERM, timeout) may still create: the server can carry out a
 * request after its client gave up on it (a proxy or load balancer keeps the upstream request), so a single look
 * misses a build created a moment later. Lists the BuildConfig's builds, then watches them from that list for
 * one carrying this run's request id, for at most `withinMs`. undefined when none appeared.
 */
export async function awaitRequested(client: Cluster, plan: BuildPlan, requestId: string, withinMs: number): Promise<KubeObject | undefined> {
  const labelSelector = requestSelector(plan)
  const deadline = AbortSignal.timeout(withinMs)
  const ours = carries(requestId)
  let failed = 0
  try {
    while (!deadline.aborted) {
      const list = await client.listBuilds({ labelSelector }, deadline)
      const found = list.items.find(ours)
      if (found) return found
      try {
        const query = { labelSelector, resourceVersion: list.metadata?.resourceVersion, timeoutSeconds: Math.ceil(withinMs / 1000) }
        for await (const event of client.watch('build', 'builds', query, { signal: deadline, inactivityMs: withinMs })) {
          if (event.type !== 'DELETED' && ours(event.object)) return event.object
        }
      } catch (error) {
        if (deadline.aborted) break
        await sleep(Math.max(200, goneDelay(++failed)), deadline)
      }
    }
  } catch (error) {
    if (!deadline.aborted) throw error
  }
  return undefined
}

/** Instantiate, or adopt the build the write of the BuildConfig made OpenShift start. */
export async function startOrAdopt(client: Cluster, plan: BuildPlan, written: KubeObject, reporter: Reporter, options: StartOptions = {}): Promise<StartResult> {
  const { signal } = options
  const name = plan.buildConfigName
  if (mayFire(written, await (options.triggerTag ?? readTriggerTag(client, written, signal)))) {
    reporter.info(`The ImageChange trigger of ${name} may start a build by itself; watching ${name} for it`)
    const last = await watchLastVersion(client, written, options.adoptWindowMs ?? 3000, signal)
    if (last !== undefined) {
      const build = await getSoon(client, `${name}-${last}`, signal)
      if (build && triggeredByImageChange(build)) {
        reporter.info(`OpenShift started build ${build.metadata.name} (image change); following it instead of starting another`)
        return { build, adopted: true }
      }
      if (build) reporter.info(`Build ${build.metadata.name} was started by someone else; starting this run's own build`)
    }
  }

  const requestId = options.requestId ?? randomUUID()
  const body = buildRequest(plan, requestId, options.lastVersion)
  for (let attempt = 0; ; attempt++) {
    try {
      options.onInstantiate?.()
      const build = await client.instantiate(name, body, signal)
      reporter.info(`Started build ${build.metadata.name}`)
      return { build, adopted: false }
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error
      if (options.lastVersion !== undefined && isLastVersionMismatch(error)) {
        // a request of this run's whose answer was lost may be the one that moved it
        const found = attempt > 0 ? await findRequested(client, plan, requestId, signal) : undefined
        if (found) {
          reporter.info(`Build ${found.metadata.name} was started by this run's request; following it`)
          return { build: found, adopted: false }
        }
        throw await startedSince(client, name, options.lastVersion, signal)
      }
      const ambiguous = error instanceof ClusterError && error.ambiguous
      const safe = error instanceof ClusterError && (error.status === 409 || error.status === 429)
      if ((!ambiguous && !safe) || attempt >= 3) throw error
      if (ambiguous) {
        reporter.warning(`${(error as Error).message}; looking for the build it may have started`)
        for (let look = 0; look < 3; look++) {
          const found = await findRequested(client, plan, requestId, signal)
          if (found) {
            reporter.info(`Build ${found.metadata.name} was started by this run's request; following it`)
            return { build: found, adopted: false }
          }
          await sleep(500 * (look + 1), signal)
        }
        reporter.info('No build was started; sending the request again')
      } else await sleep(500 * (attempt + 1), signal)
    }
  }
}
