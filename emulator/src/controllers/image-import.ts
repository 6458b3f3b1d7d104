/**
 * OpenShift 3.x's image import controller (openshift-controller-manager's `imagestream` controller), in process:
 * an ImageStream without the `openshift.io/image.dockerRepositoryCheck` annotation that has something to import
 * (`spec.dockerImageRepository`, or spec tags `from: DockerImage` that are not references) is imported through an
 * ImageStreamImport with `import: true` (the one implementation, registry/imagestreamimport's `importImages`): its tags resolved against
 * the emulator's registries into `status.tags`, the annotation set to the import's RFC3339 time. A stream with
 * nothing to import is left alone, as the controller does ("did not find any tags or repository needing import").
 *
 * This is what `oc import-image`, osbs-client's `import_image` (PUT without the annotation, then watch for it) and
 * `create_image_stream` rely on.
 */
import type { Images } from '../registry/imagestream/images.js'
import { importedPullSpecs, importImages } from '../registry/imagestreamimport/rest.js'
import type { KubeObject, Store, StoreEvent } from '../storage/store.js'
import { WorkQueue } from '../util/workqueue.js'

export const REPOSITORY_CHECK = 'openshift.io/image.dockerRepositoryCheck'

/** The spec tags the controller imports: `from: DockerImage`, not `reference: true`. */
function importableTags(is: KubeObject): any[] {
  return ((is.spec?.tags ?? []) as any[]).filter((t) => t?.from?.kind === 'DockerImage' && t.from.name && !t.reference)
}

/** True when the controller would import `is` now. */
export function needsImport(is: KubeObject): boolean {
  if (is.metadata.annotations?.[REPOSITORY_CHECK]) return false
  return !!is.spec?.dockerImageRepository || importableTags(is).length > 0
}

/** The ImageStreamImport the controller posts for `is` (its `spec.import` is true). */
export function importRequest(is: KubeObject): KubeObject {
  const insecure = is.metadata.annotations?.['openshift.io/image.insecureRepository'] === 'true'
  const spec: any = { import: true, images: [] }
  if (is.spec?.dockerImageRepository) {
    spec.repository = { from: { kind: 'DockerImage', name: is.spec.dockerImageRepository }, importPolicy: { insecure } }
  }
  for (const t of importableTags(is)) {
    spec.images.push({
      from: { kind: 'DockerImage', name: t.from.name },
      to: { name: t.name },
      importPolicy: { ...(t.importPolicy ?? {}), insecure: t.importPolicy?.insecure ?? insecure },
      referencePolicy: t.referencePolicy
    })
  }
  return { kind: 'ImageStreamImport', apiVersion: 'image.openshift.io/v1', metadata: { name: is.metadata.name, namespace: is.metadata.namespace, resourceVersion: is.metadata.resourceVersion }, spec }
}

/**
 * Brings the emulator's record of the registries up to date for these pull specs before an import reads it: with
 * real builds, a build pod that pushes by itself (the real atomic-reactor through podman) leaves images in the real
 * registries that the emulator has not seen.
 */
export type RegistryRefresh = (pullSpecs: string[]) => Promise<void>

export class ImageImportController {
  private unsubscribe?: () => void
  // After the write that asked for it has been answered and seen by watchers, as the real controller does.
  private readonly queue = new WorkQueue('image import controller', (key) => this.sync(key))
  private readonly pending = new Set<Promise<void>>()
  private closed = false

  constructor(
    private readonly store: Store,
    private readonly images: Images,
    private readonly refresh?: RegistryRefresh
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe((e) => this.onEvent(e))
    for (const is of this.store.peekList('imagestreams')) if (needsImport(is)) this.queue.add(`${is.metadata.namespace}/${is.metadata.name}`)
  }

  /** Stop; resolves once the imports under way have ended. */
  async close(): Promise<void> {
    this.closed = true
    this.queue.close()
    this.unsubscribe?.()
    await Promise.allSettled([...this.pending])
  }

  private onEvent(e: StoreEvent): void {
    if (e.plural !== 'imagestreams' || e.type === 'DELETED') return
    if (needsImport(e.object)) this.queue.add(`${e.object.metadata.namespace}/${e.object.metadata.name}`)
  }

  private sync(key: string): void {
    const [ns, name] = key.split('/') as [string, string]
    const is = this.store.peek('imagestreams', ns, name)
    if (!is || !needsImport(is)) return
    if (!this.refresh) return importStream(this.images, ns, importRequest(is))
    const run = this.refresh(importedPullSpecs(importRequest(is)))
      .then(() => {
        const now = this.store.peek('imagestreams', ns, name)
        if (!this.closed && now && needsImport(now)) importStream(this.images, ns, importRequest(now))
      })
      .catch((err) => process.emitWarning(`image import controller: ${key}: ${(err as Error).message}`))
      .finally(() => this.pending.delete(run))
    this.pending.add(run)
  }
}

/** The import the controllers make (`import: true`), as the image API serves it. */
function importStream(images: Images, ns: string, request: KubeObject): void {
  importImages(images, ns, request, 'image.openshift.io/v1', { legacy: false, group: 'image.openshift.io' }, { resource: 'imagestreams', group: 'image.openshift.io' })
}

/** The spec tags OpenShift re-imports on a schedule: `importPolicy.scheduled`. */
function scheduledTags(is: KubeObject): any[] {
  return importableTags(is).filter((t) => t.importPolicy?.scheduled === true)
}

/**
 * OpenShift 3.x's scheduled image import controller: every `intervalMs` (the master's
 * `imagePolicyConfig.scheduledImageImportMinimumIntervalSeconds`, 900 s by default) the spec tags with
 * `importPolicy.scheduled: true` are imported again, so that a tag moved in its registry moves the ImageStream
 * (and fires the ImageChange triggers on it) without anyone asking.
 */
export class ScheduledImportController {
  private timer?: NodeJS.Timeout
  private running?: Promise<void>
  private closed = false

  constructor(
    private readonly store: Store,
    private readonly images: Images,
    private readonly intervalMs: number,
    private readonly refresh?: RegistryRefresh
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.pass().finally(() => (this.running = undefined))
    }, this.intervalMs)
    this.timer.unref()
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.timer)
    await this.running
  }

  /** One pass over every ImageStream with scheduled tags. */
  async pass(): Promise<void> {
    for (const is of this.store.peekList('imagestreams')) {
      const tags = scheduledTags(is)
      if (!tags.length || this.closed) continue
      const request = importRequest(is)
      request.spec = { import: true, images: request.spec.images.filter((i: any) => tags.some((t) => t.name === i.to.name)) }
      delete request.metadata.resourceVersion
      try {
        await this.refresh?.(importedPullSpecs(request))
        if (this.closed || !this.store.peek('imagestreams', is.metadata.namespace!, is.metadata.name)) continue
        importStream(this.images, is.metadata.namespace!, request)
      } catch (err) {
        process.emitWarning(`scheduled image import: ${is.metadata.namespace}/${is.metadata.name}: ${(err as Error).message}`)
      }
    }
  }
}
