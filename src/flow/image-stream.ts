/**
 * After a build ended Complete: the built image's ImageStream is created or updated to follow the build's moving
 * tags (`latest`, `<version>`), and imported now, as osbs-client's `import_image` did for atomic-reactor's plugin
 * (which in 1.6.26.3 only works in an orchestrated build). The tags' `importPolicy.scheduled` makes OpenShift
 * re-import them on its own, so that a rebuild OpenShift starts by itself (an autorebuild) moves the stream too and
 * the images built FROM it are rebuilt in turn.
 *
 * A failure here is a warning, never a failed step: the image was built and pushed.
 */
import { backoffDelay, ClusterError, DEFAULT_RETRY, isConflict, isNotFound, sleep, type Cluster, type KubeObject } from '../cluster/index.js'
import { watchUntil } from './watch-object.js'
import { jsonAnnotation } from '../report/outputs.js'
import type { BuildPlan } from '../plan/plan.js'
import type { Reporter } from '../shared/reporter.js'
import type { ImageStreamUpdate, ImportedTag } from '../report/types.js'
import { imageStreamFor, imageStreamRepository, mergeImageStream, plannedTags, REPOSITORY_CHECK, trackedTags, type ImageStreamObject } from '../render/image-stream.js'

export interface ImageStreamOptions {
  signal?: AbortSignal
  /** How long to wait for OpenShift to import the tags (default 60 s). */
  importWaitMs?: number
  /** Attempts in total when the stream keeps changing under us (409), or a create's answer was lost. */
  attempts?: number
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** The tags to follow: from the build's `repositories` annotation, else (no annotation) from the labels. */
export function tagsOfBuild(build: KubeObject, plan: BuildPlan): string[] {
  const primary = jsonAnnotation<{ primary?: unknown[] }>(build.metadata.annotations, 'repositories')?.primary
  const specs = Array.isArray(primary) ? primary.filter((p): p is string => typeof p === 'string') : []
  return specs.length ? trackedTags(specs) : plannedTags(plan.labels.version)
}

/** Create the stream, or merge this run's tags into the one that exists (409 → read again, bounded). */
async function writeImageStream(client: Cluster, wanted: ImageStreamObject, repository: string, options: ImageStreamOptions): Promise<{ stream: KubeObject; created: boolean }> {
  const attempts = options.attempts ?? 5
  const wait = options.wait ?? sleep
  for (let attempt = 0; ; attempt++) {
    const existing = await client.findImageStream(wanted.metadata.name, options.signal)
    try {
      if (!existing) return { stream: await client.createImageStream(wanted as unknown as KubeObject, options.signal), created: true }
      return { stream: await client.replaceImageStream(mergeImageStream(existing, wanted, repository) as unknown as KubeObject, options.signal), created: false }
    } catch (error) {
      // 409: changed since it was read, or created by someone else meanwhile; 404: deleted since it was read; an
      // ambiguous create may have happened: in each case read it again rather than sending the create blindly.
      const again = isConflict(error) || (existing ? isNotFound(error) : error instanceof ClusterError && error.ambiguous)
      if (!again || attempt + 1 >= attempts) throw error
      await wait(backoffDelay(attempt, { ...DEFAULT_RETRY, baseDelayMs: 200, maxDelayMs: 5000 }), options.signal)
    }
  }
}

function isImported(stream: KubeObject | undefined): boolean {
  return Boolean(stream?.metadata?.annotations?.[REPOSITORY_CHECK])
}

/**
 * Wait until OpenShift imported the stream (it sets the repository-check annotation again), by watch from the
 * write (watch-object.ts); undefined when `timeoutMs` passed first.
 */
async function waitForImport(client: Cluster, written: KubeObject, timeoutMs: number, signal?: AbortSignal): Promise<KubeObject | undefined> {
  const name = written.metadata.name
  const deadline = AbortSignal.timeout(timeoutMs)
  const both = signal ? AbortSignal.any([signal, deadline]) : deadline
  const stream = {
    group: 'image' as const,
    resource: 'imagestreams',
    name,
    get: (n: string, s?: AbortSignal) => client.getImageStream(n, s),
    deleted: `ImageStream ${name} was deleted while OpenShift imported it`
  }
  try {
    // a server may import within the write itself: `from` is checked first
    return await watchUntil(client, stream, isImported, { signal: both, from: written, inactivityMs: timeoutMs, watchSeconds: Math.ceil(timeoutMs / 1000) })
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error
    if (deadline.aborted) return undefined
    throw error
  }
}

/** What the imported stream says of each tag: its image, or why it was not imported. */
export function importedTags(stream: KubeObject, tags: string[]): ImportedTag[] {
  const status: any[] = Array.isArray(stream.status?.tags) ? stream.status.tags : []
  return tags.map((tag) => {
    const entry = status.find((t) => t?.tag === tag)
    const failed = (entry?.conditions as any[] | undefined)?.find((c) => c?.type === 'ImportSuccess' && c?.status === 'False')
    const image: string | undefined = entry?.items?.[0]?.image
    if (failed) return { tag, ...(image ? { image } : {}), error: failed.message || failed.reason || 'import failed' }
    return image ? { tag, image } : { tag, error: 'OpenShift recorded no image for it' }
  })
}

/** Create or update the ImageStream of a Complete build and import its tags now; never throws but for an aborted run. */
export async function updateImageStream(client: Cluster, plan: BuildPlan, build: KubeObject, reporter: Reporter, options: ImageStreamOptions = {}): Promise<ImageStreamUpdate | undefined> {
  const tags = tagsOfBuild(build, plan)
  // A scratch or isolated build never moves the image's ImageStream (osbs-client's builds of these kinds do not touch it).
  if (plan.build) return undefined
  const wanted = imageStreamFor(plan.settings, { imageStream: plan.imageStream, nameLabel: plan.labels.name }, tags)
  const repository = imageStreamRepository(plan.settings, plan.labels.name)
  // No registry to import from: the plan warned already.
  if (!wanted || !repository || !tags.length) return undefined
  const name = wanted.metadata.name
  const ns = client.namespace
  const byHand = `oc import-image ${name} --all -n ${ns}`
  const update: ImageStreamUpdate = { name, repository, created: false, tags: tags.map((tag) => ({ tag })) }
  let written: KubeObject
  try {
    const result = await writeImageStream(client, wanted, repository, options)
    written = result.stream
    update.created = result.created
  } catch (error) {
    if (options.signal?.aborted) throw error
    const forbidden = error instanceof ClusterError && error.status === 403
    update.problem = `ImageStream ${name} was not written: ${(error as Error).message}`
    reporter.warning(
      `${update.problem}. The image was built and pushed, but images built FROM ${name} are not rebuilt until the stream follows ${repository}: ` +
        (forbidden
          ? `give the account the right to get, create and update imagestreams in namespace ${ns} (e.g. the edit role), then run this workflow again`
          : `run this workflow again, or create the stream as a dry run shows it`)
    )
    return update
  }
  reporter.info(`${update.created ? 'Created' : 'Updated'} ImageStream ${name}: ${tags.join(', ')} from ${repository}, imported now and on OpenShift's schedule`)

  const importWaitMs = options.importWaitMs ?? 60_000
  let imported: KubeObject | undefined
  try {
    imported = await waitForImport(client, written, importWaitMs, options.signal)
  } catch (error) {
    if (options.signal?.aborted) throw error
    update.problem = `ImageStream ${name}: the import could not be followed: ${(error as Error).message}`
    reporter.warning(`${update.problem}. OpenShift imports the tags on its schedule; to import now: ${byHand}`)
    return update
  }
  if (!imported) {
    update.problem = `ImageStream ${name}: OpenShift had not imported ${tags.join(', ')} within ${Math.round(importWaitMs / 1000)} s`
    reporter.warning(`${update.problem}. The image was built and pushed; OpenShift imports the tags on its schedule. To import now: ${byHand}`)
    return update
  }
  update.tags = importedTags(imported, tags)
  const failed = update.tags.filter((t) => t.error)
  if (failed.length) {
    update.problem = failed.map((t) => `ImageStream ${name}: OpenShift did not import ${repository}:${t.tag}: ${t.error}`).join('\n')
    reporter.warning(
      `${update.problem}\nThe image was built and pushed, but images built FROM ${name} are not rebuilt until it is imported: check that OpenShift can pull from ` +
        `${repository.split('/')[0]} (a pull secret in namespace ${ns}; http:// in registry-uri or source-registry-uri for a registry without TLS), then: ${byHand}`
    )
  }
  const done = update.tags.filter((t) => !t.error)
  if (done.length) reporter.info(`ImageStream ${name} imported ${done.map((t) => `${t.tag} (${t.image})`).join(', ')}`)
  return update
}
