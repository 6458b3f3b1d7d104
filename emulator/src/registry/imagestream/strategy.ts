/**
 * The ImageStream strategy (openshift-apiserver's `registry/imagestream/strategy.go` and `ValidateImageStream`):
 * the lookup policy, the generation, the server's status (kept on update), and spec tags resolved into tag events
 * as the import would.
 */
import type { KubeObject } from '../../api/object.js'
import { any, arr, bool, int, map, obj, ObjectMeta, ObjectReference, str } from '../../api/schema.js'
import { invalid, type StatusCause } from '../../api/status.js'
import { duplicate, FROM_KINDS, invalidValue, isDNSSubdomain, isPullSpec, notSupported, required, validateMeta } from '../../api/validation.js'
import type { Strategy, WriteContext } from '../../apiserver/strategy.js'
import type { RegistryDeps } from '../deps.js'
import type { Images } from './images.js'
import { INTERNAL_REGISTRY, pushTagEvent, stampImport, tagReference, type TagImage } from './tags.js'

export const TagImportPolicy = obj('TagImportPolicy', { insecure: bool, scheduled: bool })
export const TagReferencePolicy = obj('TagReferencePolicy', { type: str })

export const TagReference = obj('TagReference', {
  name: str,
  annotations: map(str),
  from: ObjectReference,
  reference: bool,
  generation: int,
  importPolicy: TagImportPolicy,
  referencePolicy: TagReferencePolicy
})

export const ImageStream = obj('ImageStream', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  spec: obj('ImageStreamSpec', {
    lookupPolicy: obj('ImageLookupPolicy', { local: bool }),
    dockerImageRepository: str,
    tags: arr(TagReference)
  }),
  status: obj('ImageStreamStatus', {
    dockerImageRepository: str,
    publicDockerImageRepository: str,
    tags: arr(
      obj('NamedTagEventList', {
        tag: str,
        items: arr(obj('TagEvent', { created: str, dockerImageReference: str, image: str, generation: int })),
        conditions: arr(any)
      })
    )
  })
})

const TAG_NAME = /^[\w][\w.-]{0,127}$/

export function validateImageStream(is: any): StatusCause[] {
  const causes = validateMeta(is.metadata, {
    nameCheck: (n) => (/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(n) || isDNSSubdomain(n) ? undefined : 'must match "[a-z0-9]+(?:[._-][a-z0-9]+)*"')
  })
  const repo = is.spec?.dockerImageRepository
  if (repo && !isPullSpec(repo)) causes.push(invalidValue('spec.dockerImageRepository', repo, 'invalid reference format'))
  const seen = new Set<string>()
  ;(is.spec?.tags ?? []).forEach((t: any, i: number) => {
    const p = `spec.tags[${t?.name ?? i}]`
    if (!t?.name) causes.push(required(`spec.tags[${i}].name`))
    else {
      if (!TAG_NAME.test(t.name)) causes.push(invalidValue(`spec.tags[${i}].name`, t.name, 'must be a valid tag name'))
      if (seen.has(t.name)) causes.push(duplicate(`spec.tags[${i}].name`, t.name))
      seen.add(t.name)
    }
    if (t?.from != null) {
      const kind = t.from.kind ?? ''
      if (!FROM_KINDS.includes(kind)) causes.push(invalidValue(`${p}.from.kind`, kind, "valid values are 'DockerImage', 'ImageStreamImage', 'ImageStreamTag'"))
      else if (!t.from.name) causes.push(required(`${p}.from.name`))
      else if (kind === 'DockerImage' && !isPullSpec(t.from.name)) causes.push(invalidValue(`${p}.from.name`, t.from.name, 'invalid reference format'))
    }
    const rp = t?.referencePolicy?.type
    if (rp != null && rp !== '' && !['Source', 'Local'].includes(rp)) causes.push(notSupported(`${p}.referencePolicy.type`, rp, ['Local', 'Source']))
  })
  return causes
}

/** The image a spec tag's `from` points at now, or undefined. */
function resolveTagFrom(images: Images, ns: string, is: KubeObject, from: any): TagImage | undefined {
  if (from.kind === 'DockerImage') return images.resolve(from.name)
  if (from.kind === 'ImageStreamTag') {
    const [name, tag] = from.name.includes(':') ? from.name.split(':') : [is.metadata.name, from.name]
    const src = name === is.metadata.name && (from.namespace ?? ns) === ns ? is : images.store.peek('imagestreams', from.namespace ?? ns, name)
    const item = src?.status?.tags?.find((x: any) => x.tag === tag)?.items?.[0]
    return item ? { image: item.image, dockerImageReference: item.dockerImageReference } : undefined
  }
  if (from.kind === 'ImageStreamImage') {
    const [name, digest] = from.name.split('@')
    const src = images.store.peek('imagestreams', from.namespace ?? ns, name)
    for (const l of src?.status?.tags ?? []) for (const i of l.items ?? []) if (i.image === digest) return { image: i.image, dockerImageReference: i.dockerImageReference }
  }
  return undefined
}

/** Server side of an ImageStream write (create or update, after validation): defaults, spec tags resolved into status. */
export function prepareImageStream(images: Images, is: KubeObject, old: KubeObject | undefined): KubeObject {
  const ns = is.metadata.namespace!
  is.spec ??= {}
  is.spec.lookupPolicy ??= { local: false }
  const gen = old ? Number(old.metadata.generation ?? 1) + (JSON.stringify(old.spec) === JSON.stringify(is.spec) ? 0 : 1) : 1
  is.metadata.generation = gen
  // status is the server's: kept from the stored object on update
  is.status = old ? structuredClone(old.status ?? {}) : {}
  is.status.dockerImageRepository = `${INTERNAL_REGISTRY}/${ns}/${is.metadata.name}`
  is.status.tags ??= []
  const oldTags = new Map<string, any>((old?.spec?.tags ?? []).map((t: any) => [t.name, t]))
  const tags: any[] = []
  let imported = false
  /** DockerImage tags read from their registry: the import controller's work, which 3.11 does just after the write */
  const fromRegistry: Array<{ ref: any; img: { image: string; dockerImageReference: string } }> = []
  for (const t of is.spec.tags ?? []) {
    const prev = oldTags.get(t.name)
    const changed = !prev || JSON.stringify(prev.from) !== JSON.stringify(t.from) || (t.generation != null && t.generation !== prev.generation)
    const ref = tagReference({ ...t, generation: changed ? gen : prev.generation }, gen)
    tags.push(ref)
    if (!changed || !t.from) continue
    // not yet seen in a real registry (pushed there by someone else): the import controller reads it there
    if (t.from.kind === 'DockerImage' && images.unrecordedReal(t.from.name)) continue
    const img = resolveTagFrom(images, ns, is, t.from)
    if (!img) continue
    if (t.from.kind === 'DockerImage') fromRegistry.push({ ref, img })
    else pushTagEvent(is, t.name, img, gen)
    imported = true
  }
  if (fromRegistry.length) {
    // 3.11's import (an ImageStreamImport of the stream) writes it again: its generation + 1, given to the tags it
    // imported (spec and tag event), as `imagestreamimport/rest.go`'s nextGeneration
    const next = gen + 1
    is.metadata.generation = next
    for (const { ref, img } of fromRegistry) {
      ref.generation = next
      pushTagEvent(is, ref.name, img, next)
    }
  }
  is.spec.tags = tags
  if (imported) stampImport(is)
  return is
}

/** Validation then preparation, for the writes of the image API's other resources (ImageStreamTag, ImageStreamImport). */
export function writeImageStream(images: Images, is: KubeObject, old: KubeObject | undefined, ctx: WriteContext): KubeObject {
  const causes = validateImageStream(is)
  if (causes.length) throw invalid('ImageStream', ctx.group, is.metadata?.name ?? '', causes)
  return prepareImageStream(images, is, old)
}

export const imageStreamStrategy: Strategy<RegistryDeps> = {
  requireResourceVersion: true,
  validate: (is) => validateImageStream(is),
  prepareForCreate: (is, ctx) => prepareImageStream(ctx.deps.images, is, undefined),
  prepareForUpdate: (is, old, ctx) => prepareImageStream(ctx.deps.images, is, old)
}
