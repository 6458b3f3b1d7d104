/**
 * The images ImageStreams point at. Pull specs resolve through the emulator's registries (registry.ts): an image
 * they host has its real digest; one they do not host ("external") resolves at once to a deterministic fake digest
 * of its current published version (publish.ts moves it).
 */
import { createHash } from 'node:crypto'
import { parsePullSpec, registryHost } from '../../images/pullspec.js'
import { type ImageRegistries } from '../../images/registries.js'
import type { Store } from '../../storage/store.js'
import { splitPullSpec, type TagImage } from './tags.js'

export class Images {
  constructor(
    readonly store: Store,
    readonly registries: ImageRegistries
  ) {}

  /** The image a pull spec currently points at (hosted by the emulator's registries, else external). */
  resolve(pullSpec: string): TagImage {
    const { repo, digest } = splitPullSpec(pullSpec)
    if (digest) return { image: digest, dockerImageReference: `${repo}@${digest}` }
    const r = this.registries.resolveImage(pullSpec)
    return { image: r.digest, dockerImageReference: `${repo}@${r.digest}` }
  }

  /**
   * True for a tag's pull spec on one of the real registries (real builds) that the emulator has not recorded: it
   * must not be resolved as an external image (a digest that registry does not serve) but imported from it.
   */
  unrecordedReal(pullSpec: string): boolean {
    const hosts = [...this.registries.served]
    const { registry } = parsePullSpec(pullSpec)
    if (!registry || !hosts.includes(registryHost(registry)) || splitPullSpec(pullSpec).digest) return false
    return !this.registries.lookup(pullSpec)
  }

  /** The pull spec an ImageStreamTag currently resolves to (what ImageChange triggers compare). */
  latest(namespace: string, isName: string, tag: string): string | undefined {
    const is = this.store.peek('imagestreams', namespace, isName)
    const item = is?.status?.tags?.find((x: any) => x.tag === tag)?.items?.[0]
    if (!item) return undefined
    const spec = (is!.spec?.tags ?? []).find((t: any) => t.name === tag)
    if (spec?.referencePolicy?.type === 'Local') return `${is!.status.dockerImageRepository}@${item.image}`
    return item.dockerImageReference
  }

  /** The Image object of a tag event (ImageStreamTag's `image`, ImageStreamImport's `status.images`). */
  image(img: TagImage, created: string): any {
    return {
      // the Image object's uid: one per image (3.11 stores each Image once), made from its digest here
      metadata: { name: img.image, uid: imageUid(img.image), creationTimestamp: created, annotations: { 'image.openshift.io/dockerLayersOrder': 'ascending' } },
      dockerImageReference: img.dockerImageReference,
      dockerImageMetadata: {
        kind: 'DockerImage',
        apiVersion: '1.0',
        Id: img.image,
        Created: created,
        ContainerConfig: {},
        Config: { Labels: {} },
        Architecture: 'amd64',
        Size: 0
      },
      dockerImageMetadataVersion: '1.0',
      dockerImageLayers: [],
      dockerImageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json'
    }
  }
}

/** A uid (UUID form) made from an image digest: the same image has the same uid. */
function imageUid(digest: string): string {
  const h = createHash('sha256').update(digest).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}
