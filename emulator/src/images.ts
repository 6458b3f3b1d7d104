/**
 * ImageStreams, ImageStreamTags and ImageStreamImports.
 *
 * Pull specs resolve through the emulator's registries (registry.ts): an image they host has its real digest; one
 * they do not host ("external") resolves at once to a deterministic fake digest of its current published version.
 * `publishExternal` (the `/_emulator/images` endpoint) publishes a new version of such an image and moves the tag,
 * which fires ImageChange triggers.
 */
import type { ImportedTag } from './reactor/host.js'
import { repositoryTags } from './imageimport.js'
import { parsePullSpec, registryHost, type ImageRegistries } from './registry.js'
import { checkImageStream, type WriteContext } from './kinds.js'
import { alreadyExists, badRequest, conflict, invalid, notFound, type ResourceRef } from './status.js'
import { nowRFC3339, type Store, type KubeObject } from './store.js'
import { isPullSpec, invalidValue, required } from './validation.js'

export const INTERNAL_REGISTRY = 'docker-registry.default.svc:5000'

/** The image an ImageStream tag points at (not registry.ts's `TagImage`, which carries the manifest). */
export interface TagImage {
  /** `sha256:…` (the image's name in OpenShift: its manifest digest) */
  image: string
  /** pull spec by digest */
  dockerImageReference: string
}

/** What `publishExternal` (`cluster.publishExternalImage`, `POST /_emulator/images`) answers. */
export interface PublishedImage extends TagImage {
  /** the external pull spec the tag now follows */
  from: string
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

export class Images {
  constructor(
    private readonly store: Store,
    private readonly registries: ImageRegistries
  ) {}

  /** The image a pull spec currently points at (hosted by the emulator's registries, else external). */
  resolve(pullSpec: string): TagImage {
    const { repo, digest } = splitPullSpec(pullSpec)
    if (digest) return { image: digest, dockerImageReference: `${repo}@${digest}` }
    const r = this.registries.resolveImage(pullSpec)
    return { image: r.digest, dockerImageReference: `${repo}@${r.digest}` }
  }

  /**
   * Publish a new version of an external image and move `<imageStream>:<tag>` in `namespace` to it (creating the
   * ImageStream and its tag when missing). Returns the new image.
   */
  publishExternal(namespace: string, imageStream: string, tag: string, opts: { from?: string; digest?: string } = {}): PublishedImage {
    const current = this.store.get('imagestreams', namespace, imageStream)
    const specTag = (current?.spec?.tags ?? []).find((t: any) => t.name === tag)
    const from = opts.from ?? (specTag?.from?.kind === 'DockerImage' ? specTag.from.name : undefined) ?? `${imageStream}:${tag}`
    if (!isPullSpec(from)) throw badRequest(`invalid image reference "${from}"`)
    const { repo } = splitPullSpec(from)
    const digest = opts.digest ?? this.registries.publishExternal(from).digest
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
      is.spec.tags.push(this.tagReference({ name: tag, from: { kind: 'DockerImage', name: from } }, gen))
    }
    this.pushTagEvent(is, tag, resolved, gen)
    this.stampImport(is)
    if (current) this.store.update('imagestreams', is, current.metadata.resourceVersion)
    else this.store.create('imagestreams', is)
    return { ...resolved, from }
  }

  private tagReference(t: any, generation: number): any {
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

  private stampImport(is: KubeObject): void {
    is.metadata.annotations = { ...(is.metadata.annotations ?? {}), 'openshift.io/image.dockerRepositoryCheck': nowRFC3339() }
  }

  /** Put a new TagEvent first in status.tags[tag] unless it is already the current image. */
  private pushTagEvent(is: KubeObject, tag: string, img: TagImage, generation: number): boolean {
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

  /** Server side of an ImageStream write (create or update): defaults, spec tags resolved into status. */
  prepareImageStream(is: KubeObject, old: KubeObject | undefined, ctx: WriteContext): KubeObject {
    checkImageStream(is, ctx)
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
    for (const t of is.spec.tags ?? []) {
      const prev = oldTags.get(t.name)
      const changed = !prev || JSON.stringify(prev.from) !== JSON.stringify(t.from) || (t.generation != null && t.generation !== prev.generation)
      const ref = this.tagReference({ ...t, generation: changed ? gen : prev.generation }, gen)
      tags.push(ref)
      if (!changed || !t.from) continue
      // not yet seen in a real registry (pushed there by someone else): the import controller reads it there
      if (t.from.kind === 'DockerImage' && this.unrecordedReal(t.from.name)) continue
      const img = this.resolveTagFrom(ns, is, t.from)
      if (img) {
        this.pushTagEvent(is, t.name, img, gen)
        imported = true
      }
    }
    is.spec.tags = tags
    if (imported) this.stampImport(is)
    return is
  }

  /**
   * True for a tag's pull spec on one of the real registries (real builds) that the emulator has not recorded: it
   * must not be resolved as an external image (a digest that registry does not serve) but imported from it.
   */
  private unrecordedReal(pullSpec: string): boolean {
    const hosts = [...this.registries.served]
    const { registry } = parsePullSpec(pullSpec)
    if (!registry || !hosts.includes(registryHost(registry)) || splitPullSpec(pullSpec).digest) return false
    return !this.registries.lookup(pullSpec)
  }

  private resolveTagFrom(ns: string, is: KubeObject, from: any): TagImage | undefined {
    if (from.kind === 'DockerImage') return this.resolve(from.name)
    if (from.kind === 'ImageStreamTag') {
      const [name, tag] = from.name.includes(':') ? from.name.split(':') : [is.metadata.name, from.name]
      const src = name === is.metadata.name && (from.namespace ?? ns) === ns ? is : this.store.peek('imagestreams', from.namespace ?? ns, name)
      const item = src?.status?.tags?.find((x: any) => x.tag === tag)?.items?.[0]
      return item ? { image: item.image, dockerImageReference: item.dockerImageReference } : undefined
    }
    if (from.kind === 'ImageStreamImage') {
      const [name, digest] = from.name.split('@')
      const src = this.store.peek('imagestreams', from.namespace ?? ns, name)
      for (const l of src?.status?.tags ?? []) for (const i of l.items ?? []) if (i.image === digest) return { image: i.image, dockerImageReference: i.dockerImageReference }
    }
    return undefined
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

  image(img: TagImage, created: string): any {
    return {
      metadata: { name: img.image, creationTimestamp: created, annotations: { 'image.openshift.io/dockerLayersOrder': 'ascending' } },
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

  /** The ImageStreamTag `<is>:<tag>` as the server computes it, or undefined when the tag has no image. */
  imageStreamTag(is: KubeObject, tag: string, apiVersion: string): KubeObject | undefined {
    const list = is.status?.tags?.find((x: any) => x.tag === tag)
    const item = list?.items?.[0]
    if (!item) return undefined
    const spec = (is.spec?.tags ?? []).find((t: any) => t.name === tag)
    return {
      kind: 'ImageStreamTag',
      apiVersion,
      metadata: {
        name: `${is.metadata.name}:${tag}`,
        namespace: is.metadata.namespace,
        uid: is.metadata.uid,
        resourceVersion: is.metadata.resourceVersion,
        creationTimestamp: item.created
      },
      tag: spec ?? null,
      generation: item.generation,
      lookupPolicy: is.spec?.lookupPolicy ?? { local: false },
      image: this.image(item, item.created)
    }
  }

  static splitTagName(name: string): [string, string] | undefined {
    const i = name.indexOf(':')
    if (i <= 0 || i === name.length - 1 || name.indexOf(':', i + 1) >= 0) return undefined
    return [name.slice(0, i), name.slice(i + 1)]
  }

  /** POST/PUT of an ImageStreamTag: sets the spec tag (creating the ImageStream when missing). */
  writeImageStreamTag(ns: string, body: any, create: boolean, ref: ResourceRef, ctx: WriteContext): KubeObject {
    const name = body.metadata?.name ?? ''
    const parts = Images.splitTagName(name)
    if (!parts) throw invalid('ImageStreamTag', ctx.group, name, [invalidValue('metadata.name', name, 'must be of the form <stream_name>:<tag>')])
    const [isName, tag] = parts
    if (!body.tag?.from) throw invalid('ImageStreamTag', ctx.group, name, [required('tag.from')])
    const cur = this.store.get('imagestreams', ns, isName)
    const exists = !!cur && (cur.spec?.tags ?? []).some((t: any) => t.name === tag)
    if (create && exists) throw alreadyExists(ref, name)
    const is: KubeObject = cur ? structuredClone(cur) : { kind: 'ImageStream', apiVersion: 'image.openshift.io/v1', metadata: { name: isName, namespace: ns }, spec: { tags: [] } }
    const tags = (is.spec?.tags ?? []).filter((t: any) => t.name !== tag)
    tags.push({ ...body.tag, name: tag, generation: undefined })
    is.spec = { ...(is.spec ?? {}), tags }
    const prepared = this.prepareImageStream(is, cur, { ...ctx, group: ctx.group ? 'image.openshift.io' : '' })
    const stored = cur ? this.store.update('imagestreams', prepared, cur.metadata.resourceVersion) : this.store.create('imagestreams', prepared)
    const ist = this.imageStreamTag(stored, tag, body.apiVersion ?? 'image.openshift.io/v1')
    if (ist) return ist
    // A tag whose image is not resolved yet: the spec part only.
    return {
      kind: 'ImageStreamTag',
      apiVersion: body.apiVersion ?? 'image.openshift.io/v1',
      metadata: { name, namespace: ns, resourceVersion: stored.metadata.resourceVersion, uid: stored.metadata.uid },
      tag: tags.find((t: any) => t.name === tag),
      generation: stored.metadata.generation,
      lookupPolicy: stored.spec.lookupPolicy,
      image: null
    }
  }

  deleteImageStreamTag(ns: string, name: string, ref: ResourceRef): void {
    const parts = Images.splitTagName(name)
    if (!parts) throw notFound(ref, name)
    const [isName, tag] = parts
    const cur = this.store.get('imagestreams', ns, isName)
    const has = cur && ((cur.spec?.tags ?? []).some((t: any) => t.name === tag) || (cur.status?.tags ?? []).some((t: any) => t.tag === tag))
    if (!cur || !has) throw notFound(ref, name)
    cur.spec.tags = (cur.spec?.tags ?? []).filter((t: any) => t.name !== tag)
    cur.status.tags = (cur.status?.tags ?? []).filter((t: any) => t.tag !== tag)
    cur.metadata.generation = Number(cur.metadata.generation ?? 1) + 1
    this.store.update('imagestreams', cur, cur.metadata.resourceVersion)
  }

  /** POST imagestreamimports. */
  importImages(ns: string, body: KubeObject, apiVersion: string, ctx: WriteContext, conflictRef: ResourceRef): KubeObject {
    const name = body.metadata?.name ?? ''
    if (!name) throw invalid('ImageStreamImport', ctx.group, name, [required('metadata.name', 'name or generateName is required')])
    const spec: any = body.spec ?? {}
    const images: any[] = spec.images ?? []
    const causes = images.flatMap((i: any, n: number) =>
      !i?.from?.name
        ? [required(`spec.images[${n}].from.name`)]
        : i.from.kind && i.from.kind !== 'DockerImage'
          ? [invalidValue(`spec.images[${n}].from.kind`, i.from.kind, 'only DockerImage is supported')]
          : !isPullSpec(i.from.name)
            ? [invalidValue(`spec.images[${n}].from.name`, i.from.name, 'invalid reference format')]
            : []
    )
    if (!images.length && !spec.repository) causes.push(required('spec.images', 'you must specify at least one image or a repository import'))
    if (causes.length) throw invalid('ImageStreamImport', ctx.group, name, causes)
    const created = nowRFC3339()
    const statusImages = images.map((i: any) => {
      const img = this.resolve(i.from.name)
      return { status: { metadata: {}, status: 'Success' }, image: this.image(img, created), tag: i.to?.name ?? splitPullSpec(i.from.name).tag ?? 'latest', resolved: img }
    })
    let repoStatus: any
    if (spec.repository?.from?.name) {
      const from = spec.repository.from.name as string
      const { repo, tag } = splitPullSpec(from)
      // A bulk import: the repository's tags in the registry (imageimport.ts), `latest` for an external one.
      const tags = tag ? [tag] : repositoryTags(this.registries, repo)
      const resolved = tags.map((t) => ({ tag: t, img: this.resolve(`${repo}:${t}`) }))
      repoStatus = {
        status: { metadata: {}, status: 'Success' },
        images: resolved.map(({ tag: t, img }) => ({ status: { metadata: {}, status: 'Success' }, image: this.image(img, created), tag: t })),
        resolved
      }
    }
    const out: KubeObject = {
      kind: 'ImageStreamImport',
      apiVersion,
      metadata: { name, namespace: ns, creationTimestamp: created },
      spec,
      status: {}
    }
    if (spec.import) {
      const cur = this.store.get('imagestreams', ns, name)
      const rv = body.metadata?.resourceVersion
      if (cur && rv && rv !== cur.metadata.resourceVersion) throw conflict(conflictRef, name)
      const is: KubeObject = cur ? structuredClone(cur) : { kind: 'ImageStream', apiVersion: 'image.openshift.io/v1', metadata: { name, namespace: ns }, spec: { tags: [] } }
      is.spec ??= {}
      if (spec.repository?.from?.name) is.spec.dockerImageRepository = spec.repository.from.name
      const prepared = this.prepareImageStream(is, cur, { ...ctx, group: ctx.group ? 'image.openshift.io' : '' })
      const gen = Number(prepared.metadata.generation ?? 1)
      images.forEach((i: any, n: number) => {
        const tag = statusImages[n]!.tag
        prepared.spec.tags = (prepared.spec.tags ?? []).filter((t: any) => t.name !== tag)
        prepared.spec.tags.push(this.tagReference({ name: tag, from: { kind: 'DockerImage', name: i.from.name }, importPolicy: i.importPolicy, referencePolicy: i.referencePolicy }, gen))
        this.pushTagEvent(prepared, tag, statusImages[n]!.resolved, gen)
      })
      if (repoStatus) for (const r of repoStatus.resolved) this.pushTagEvent(prepared, r.tag, r.img, gen)
      this.stampImport(prepared)
      const stored = cur ? this.store.update('imagestreams', prepared, cur.metadata.resourceVersion) : this.store.create('imagestreams', prepared)
      out.status.import = stored
    }
    out.status.images = statusImages.map(({ resolved: _r, ...rest }) => rest)
    if (repoStatus) {
      const { resolved: _r, ...rest } = repoStatus
      out.status.repository = rest
    }
    return out
  }

  /** ReactorHost.importImage: create the stream if missing, move the given tags (status), fire triggers. */
  importTags(ns: string, isName: string, dockerImageRepository: string, tags: ImportedTag[], insecure?: boolean): void {
    const cur = this.store.get('imagestreams', ns, isName)
    const is: KubeObject = cur ?? {
      kind: 'ImageStream',
      apiVersion: 'image.openshift.io/v1',
      metadata: { name: isName, namespace: ns, generation: 1 },
      spec: { lookupPolicy: { local: false }, dockerImageRepository, tags: [] },
      status: { dockerImageRepository: `${INTERNAL_REGISTRY}/${ns}/${isName}`, tags: [] }
    }
    if (insecure) is.metadata.annotations = { ...(is.metadata.annotations ?? {}), 'openshift.io/image.insecureRepository': 'true' }
    const gen = Number(is.metadata.generation ?? 1)
    let changed = !cur
    for (const t of tags) changed = this.pushTagEvent(is, t.tag, { image: t.image, dockerImageReference: t.dockerImageReference }, gen) || changed
    this.stampImport(is)
    if (cur) this.store.update('imagestreams', is, cur.metadata.resourceVersion)
    else this.store.create('imagestreams', is)
    void changed
  }
}
