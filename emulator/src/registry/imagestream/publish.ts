/**
 * `publishExternal` (the `/_emulator/images` endpoint, `cluster.publishExternalImage`): a new version of an image
 * the emulator's registries do not host, and the tag that follows it moved, which fires ImageChange triggers.
 */
import type { KubeObject } from '../../api/object.js'
import { badRequest } from '../../api/status.js'
import { isPullSpec } from '../../api/validation.js'
import type { Images } from './images.js'
import { INTERNAL_REGISTRY, pushTagEvent, splitPullSpec, stampImport, tagReference, type TagImage } from './tags.js'

/** What `publishExternal` answers. */
export interface PublishedImage extends TagImage {
  /** the external pull spec the tag now follows */
  from: string
}

/**
 * Publish a new version of an external image and move `<imageStream>:<tag>` in `namespace` to it (creating the
 * ImageStream and its tag when missing). Returns the new image.
 */
export function publishExternal(images: Images, namespace: string, imageStream: string, tag: string, opts: { from?: string; digest?: string } = {}): PublishedImage {
  const current = images.store.get('imagestreams', namespace, imageStream)
  const specTag = (current?.spec?.tags ?? []).find((t: any) => t.name === tag)
  const from = opts.from ?? (specTag?.from?.kind === 'DockerImage' ? specTag.from.name : undefined) ?? `${imageStream}:${tag}`
  if (!isPullSpec(from)) throw badRequest(`invalid image reference "${from}"`)
  const { repo } = splitPullSpec(from)
  const digest = opts.digest ?? images.registries.publishExternal(from).digest
  const resolved: TagImage = { image: digest, dockerImageReference: `${repo}@${digest}` }
  const is: KubeObject = current ?? {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name: imageStream, namespace },
    spec: { lookupPolicy: { local: false }, tags: [] },
    status: { dockerImageRepository: `${INTERNAL_REGISTRY}/${namespace}/${imageStream}`, tags: [] }
  }
  const gen = current ? Number(is.metadata.generation ?? 1) + (specTag?.from?.name === from ? 0 : 1) : 1
  is.metadata.generation = gen
  is.spec ??= {}
  is.spec.tags ??= []
  if (!specTag || specTag.from?.name !== from) {
    is.spec.tags = is.spec.tags.filter((x: any) => x.name !== tag)
    is.spec.tags.push(tagReference({ name: tag, from: { kind: 'DockerImage', name: from } }, gen))
  }
  pushTagEvent(is, tag, resolved, gen)
  stampImport(is)
  if (current) images.store.update('imagestreams', is, current.metadata.resourceVersion)
  else images.store.create('imagestreams', is)
  return { ...resolved, from }
}
