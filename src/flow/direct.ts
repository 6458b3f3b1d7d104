/**
 * A scratch or isolated build (osbs-client's `_create_build_directly`): no BuildConfig is read or written, no
 * ImageStream touched; an isolated build is refused while another of the same repository and branch runs; a builder
 * given as an ImageStreamTag is resolved to its image (only a BuildConfig may name an ImageStreamTag there, as
 * osbs-client says); then the Build is posted. A POST whose answer was lost is never sent blindly again: the
 * Build has a name of its own, and carries this run's request id.
 */
import { ClusterError, isConflict, isNotFound, type Cluster, type KubeObject } from '../cluster/index.js'
import type { BuildPlan } from '../plan/plan.js'
import { kindTitle } from '../plan/kind.js'
import type { Reporter } from '../shared/reporter.js'
import { phaseOf, RUNNING_PHASES } from './builds.js'
import { REQUEST_ID_ANNOTATION, requestSelector, runAnnotations, sourceRevision, triggerMessage } from './start.js'

export interface PostOptions {
  signal?: AbortSignal
  requestId: string
  /** Called before the POST is sent (its answer may be lost, and the server may act on it later). */
  onSend?: () => void
}

/** osbs-client's uniqueness of isolated builds: none of the same repository and branch may be running. */
async function refuseRunningIsolated(client: Cluster, plan: BuildPlan, signal?: AbortSignal): Promise<void> {
  const list = await client.listBuilds({ labelSelector: requestSelector(plan) }, signal)
  const running = list.items.filter((b) => RUNNING_PHASES.has(phaseOf(b)))
  if (!running.length) return
  const { git } = plan.settings
  const names = running.map((b) => `${b.metadata.name} (${phaseOf(b)})`).join(', ')
  throw new Error(
    `Isolated build ${names} of ${git.uri} branch ${git.branch} is running; only one isolated build of a repository and branch runs at a time (as osbs-client's). ` +
      'Wait for it to end, or cancel it, then run again'
  )
}

/** The builder image as a DockerImage: an ImageStreamTag is read for the image it points at. */
async function builderImage(client: Cluster, from: { kind: string; name: string }, signal?: AbortSignal): Promise<{ kind: string; name: string }> {
  if (from.kind !== 'ImageStreamTag') return from
  try {
    const tag = await client.getImageStreamTag(from.name, signal)
    const image: unknown = (tag as any).image?.dockerImageReference
    if (typeof image === 'string' && image) return { kind: 'DockerImage', name: image }
    throw new Error(`ImageStreamTag ${from.name} (input build-imagestream) has no image yet`)
  } catch (error) {
    if (isNotFound(error)) throw new Error(`ImageStreamTag ${from.name} (input build-imagestream) does not exist in namespace ${client.namespace}: a Build posted directly needs the builder's image`)
    throw error
  }
}

/** The Build, once the server has it: what the POST answered, or (answer lost, or 409) the Build of that name if it is this run's. */
async function send(client: Cluster, body: KubeObject, options: PostOptions): Promise<KubeObject> {
  const name = body.metadata.name
  const ours = (b: KubeObject | undefined) => b?.metadata?.annotations?.[REQUEST_ID_ANNOTATION] === options.requestId
  try {
    options.onSend?.()
    return await client.createBuild(body, options.signal)
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error
    const ambiguous = error instanceof ClusterError && error.ambiguous
    if (!ambiguous && !isConflict(error)) throw error
    const found = await client.getBuild(name, options.signal).catch(() => undefined)
    if (ours(found)) return found!
    if (isConflict(error)) throw new Error(`A build named ${name} exists already and was not started by this run; run again (the name comes from the time and a random number)`)
    throw error
  }
}

/** Post the plan's Build; returns it as the server created it. */
export async function postDirectBuild(client: Cluster, plan: BuildPlan, reporter: Reporter, options: PostOptions): Promise<KubeObject> {
  const rendered = plan.build
  if (!rendered) throw new Error('postDirectBuild: the plan is a branch build')
  const { signal } = options
  if (plan.kind === 'isolated') await refuseRunningIsolated(client, plan, signal)
  const custom = rendered.spec.strategy.customStrategy
  const from = await builderImage(client, custom.from, signal)
  const body = {
    ...rendered,
    metadata: { ...rendered.metadata, annotations: runAnnotations(plan, options.requestId) },
    spec: {
      ...rendered.spec,
      revision: sourceRevision(plan),
      strategy: { ...rendered.spec.strategy, customStrategy: { ...custom, from } },
      triggeredBy: [{ message: triggerMessage(plan) }]
    }
  } as unknown as KubeObject
  const build = await send(client, body, options)
  reporter.info(`Started ${kindTitle(plan.settings)} ${build.metadata.name} (no BuildConfig)`)
  return build
}
