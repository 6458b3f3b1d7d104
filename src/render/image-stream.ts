/**
 * The ImageStream of the built image, as the action writes it after a build ended Complete (what osbs-client's
 * `create_image_stream`, `ensure_image_stream_tag` and `import_image` did for atomic-reactor's import_image
 * plugin). Pure: the stream body, the tags it follows, and how it merges into a stream that exists.
 */
import type { Settings } from '../settings.js'

export const INSECURE_REPOSITORY = 'openshift.io/image.insecureRepository'
/** Set by OpenShift after each import; a stream without it is imported again. */
export const REPOSITORY_CHECK = 'openshift.io/image.dockerRepositoryCheck'

export interface ImageStreamTagSpec {
  name: string
  from: { kind: 'DockerImage'; name: string }
  importPolicy: { scheduled: boolean; insecure: boolean }
  [key: string]: unknown
}

/** An ImageStream object as sent to `image.openshift.io/v1`. */
export interface ImageStreamObject {
  apiVersion: 'image.openshift.io/v1'
  kind: 'ImageStream'
  metadata: { name: string; annotations?: Record<string, string>; resourceVersion?: string; [key: string]: unknown }
  spec: { tags: ImageStreamTagSpec[]; [key: string]: unknown }
  status?: unknown
}

/** Where OpenShift imports the image from: the source registry, else the first registry pushed to. */
export function importRegistry(settings: Settings): { host: string; insecure: boolean } | undefined {
  const registry = settings.sourceRegistry ?? settings.registries.find((r) => settings.registryApiVersions.includes(r.version))
  return registry ? { host: registry.host, insecure: registry.insecure } : undefined
}

/** The tag of a pull spec (`latest` when it has none). */
export function tagOf(pullSpec: string): string {
  const colon = pullSpec.lastIndexOf(':')
  return colon > pullSpec.lastIndexOf('/') ? pullSpec.slice(colon + 1) : 'latest'
}

/**
 * The tags the stream follows: those of the primary pull specs without `-` (a `<version>-<release>` tag names one
 * build and never moves; `latest` and a `<version>` without `-` move with each build), each once, in order.
 */
export function trackedTags(primaryPullSpecs: string[]): string[] {
  const tags: string[] = []
  for (const tag of primaryPullSpecs.map(tagOf)) if (!tag.includes('-') && !tags.includes(tag)) tags.push(tag)
  return tags
}

/** The tags a build with this `version` label will follow, known before it ran (dry run): `<version>` when it has no `-`, and `latest`. */
export function plannedTags(version: string): string[] {
  return [version, 'latest'].filter((tag, i, all) => !tag.includes('-') && all.indexOf(tag) === i)
}

export interface ImageStreamInput {
  name: string
  /** `host[:port]/<name label>` */
  repository: string
  insecure: boolean
  tags: string[]
}

/**
 * The ImageStream: spec tags imported from `<repository>:<tag>`, re-imported by OpenShift on its schedule. Spec
 * tags only, no `spec.dockerImageRepository`: OpenShift 3.11 imports a stream's whole repository then, and its
 * `imagestreamimport/rest.go` adds every tag it finds there as a spec tag (`ensureSpecTag`), so that each build's
 * unique tag would stay in the stream and be imported again on every import after it.
 */
export function renderImageStream(input: ImageStreamInput): ImageStreamObject {
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name: input.name, ...(input.insecure ? { annotations: { [INSECURE_REPOSITORY]: 'true' } } : {}) },
    spec: {
      tags: input.tags.map((tag) => ({
        name: tag,
        from: { kind: 'DockerImage', name: `${input.repository}:${tag}` },
        importPolicy: { scheduled: true, insecure: input.insecure }
      }))
    }
  }
}

/** The repository the stream's tags are imported from: `host[:port]/<name label>`; undefined when there is no registry to import from. */
export function imageStreamRepository(settings: Settings, nameLabel: string): string | undefined {
  const registry = importRegistry(settings)
  return registry ? `${registry.host}/${nameLabel}` : undefined
}

/** The stream of the image with this name label, following `tags`; undefined when there is no registry to import from. */
export function imageStreamFor(settings: Settings, image: { imageStream: string; nameLabel: string }, tags: string[]): ImageStreamObject | undefined {
  const registry = importRegistry(settings)
  const repository = imageStreamRepository(settings, image.nameLabel)
  if (!registry || !repository) return undefined
  return renderImageStream({ name: image.imageStream, repository, insecure: registry.insecure, tags })
}

/**
 * The spec tags OpenShift 3.11 added to a stream that followed `repository` as a whole (`spec.dockerImageRepository`,
 * as earlier versions of the action wrote it): `from: DockerImage <repository>:<its name>` with the repository's
 * import policy, which is never scheduled (the action's own tags always are).
 */
function addedByRepositoryImport(tag: any, repository: string): boolean {
  return tag?.from?.kind === 'DockerImage' && tag.from.name === `${repository}:${tag.name}` && tag.importPolicy?.scheduled !== true
}

/**
 * The existing stream with this run's insecure annotation and tags (other tags, labels, annotations and fields
 * kept; a tag of the same name keeps its other fields), and without the repository-check annotation, which makes
 * OpenShift import it now (osbs-client's `import_image`). A `spec.dockerImageRepository` naming `repository`
 * (written by earlier versions of the action) is removed, with the spec tags OpenShift's imports of it added.
 */
export function mergeImageStream(existing: any, wanted: ImageStreamObject, repository: string): ImageStreamObject {
  const annotations: Record<string, string> = { ...(existing?.metadata?.annotations ?? {}), ...(wanted.metadata.annotations ?? {}) }
  if (!wanted.metadata.annotations?.[INSECURE_REPOSITORY]) delete annotations[INSECURE_REPOSITORY]
  delete annotations[REPOSITORY_CHECK]
  const { dockerImageRepository, ...spec } = existing?.spec ?? {}
  const ours = dockerImageRepository === repository
  const oldTags: any[] = (Array.isArray(spec.tags) ? spec.tags : []).filter((t: any) => !(ours && addedByRepositoryImport(t, repository)))
  const tags = oldTags.filter((t) => !wanted.spec.tags.some((w) => w.name === t?.name))
  for (const tag of wanted.spec.tags) {
    const old = oldTags.find((t) => t?.name === tag.name)
    tags.push(old ? { ...old, from: tag.from, importPolicy: { ...(old.importPolicy ?? {}), ...tag.importPolicy } } : tag)
  }
  return {
    ...existing,
    apiVersion: wanted.apiVersion,
    kind: wanted.kind,
    metadata: { ...existing.metadata, annotations },
    spec: { ...spec, ...(dockerImageRepository && !ours ? { dockerImageRepository } : {}), tags }
  }
}
