/**
 * An ImageStream's tags: spec tags (TagReference) as the server fills them in, the tag events of status.tags, and
 * what a tag's `from` resolves to.
 */
import type { KubeObject } from '../../api/object.js'
import { nowRFC3339 } from '../../storage/store.js'

export const INTERNAL_REGISTRY = 'docker-registry.default.svc:5000'

/** The image an ImageStream tag points at (not registry.ts's `TagImage`, which carries the manifest). */
export interface TagImage {
  /** `sha256:…` (the image's name in OpenShift: its manifest digest) */
  image: string
  /** pull spec by digest */
  dockerImageReference: string
}

/** Split a pull spec into repository (with registry) and tag / digest. */
export function splitPullSpec(spec: string): { repo: string; tag?: string; digest?: string } {
  let rest = spec
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  const slash = rest.lastIndexOf('/')
  const colon = rest.lastIndexOf(':')
  let tag: string | undefined
  if (colon > slash) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
  }
  return { repo: rest, tag, digest }
}

/** A spec tag as the server stores it. */
export function tagReference(t: any, generation: number): any {
  return {
    name: t.name,
    annotations: t.annotations ?? null,
    from: t.from,
    generation: t.generation ?? generation,
    importPolicy: t.importPolicy ?? {},
    referencePolicy: t.referencePolicy ?? { type: 'Source' },
    ...(t.reference ? { reference: true } : {})
  }
}

/** The import annotation: when the stream's tags were last read from their registries. */
export function stampImport(is: KubeObject): void {
  is.metadata.annotations = { ...(is.metadata.annotations ?? {}), 'openshift.io/image.dockerRepositoryCheck': nowRFC3339() }
}

/** Put a new TagEvent first in status.tags[tag] unless it is already the current image. */
export function pushTagEvent(is: KubeObject, tag: string, img: TagImage, generation: number): boolean {
  is.status ??= {}
  is.status.tags ??= []
  let list = is.status.tags.find((x: any) => x.tag === tag)
  if (!list) {
    list = { tag, items: [] }
    is.status.tags.push(list)
    is.status.tags.sort((a: any, b: any) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0))
  }
  list.items ??= []
  const top = list.items[0]
  if (top && top.image === img.image && top.dockerImageReference === img.dockerImageReference) return false
  list.items = [{ created: nowRFC3339(), dockerImageReference: img.dockerImageReference, image: img.image, generation }, ...list.items.filter((i: any) => i.image !== img.image)]
  delete list.conditions
  return true
}
