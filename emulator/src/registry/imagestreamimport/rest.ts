/**
 * ImageStreamImports (openshift-apiserver's `registry/imagestreamimport/rest.go`): created, never stored; the
 * images of the request resolved against the emulator's registries, and with `spec.import` the ImageStream written
 * with them (what the image import controllers and `oc import-image` do).
 */
import { randomUUID } from 'node:crypto'
import type { ImportedTag, KubeObject } from '../../api/object.js'
import { apiVersionFor } from '../../api/resources.js'
import { any, arr, bool, obj, ObjectMeta, ObjectReference, LocalObjectReference, str } from '../../api/schema.js'
import { conflict, invalid, methodNotAllowed, type ResourceRef } from '../../api/status.js'
import { invalidValue, isPullSpec, required } from '../../api/validation.js'
import { readObject, refOf, requireNamespace } from '../../apiserver/request.js'
import type { RequestContext, WriteContext } from '../../apiserver/strategy.js'
import { sendJSON } from '../../apiserver/http.js'
import { nowRFC3339 } from '../../storage/store.js'
import type { RegistryDeps } from '../deps.js'
import type { Images } from '../imagestream/images.js'
import { TagImportPolicy, TagReferencePolicy, writeImageStream } from '../imagestream/strategy.js'
import { INTERNAL_REGISTRY, pushTagEvent, splitPullSpec, stampImport, tagReference } from '../imagestream/tags.js'
import { repositoryTags } from './tags.js'

const ImageImportSpec = obj('ImageImportSpec', {
  from: ObjectReference,
  to: LocalObjectReference,
  importPolicy: TagImportPolicy,
  referencePolicy: TagReferencePolicy,
  includeManifest: bool
})

export const ImageStreamImport = obj('ImageStreamImport', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  spec: obj('ImageStreamImportSpec', {
    import: bool,
    repository: obj('RepositoryImportSpec', {
      from: ObjectReference,
      importPolicy: TagImportPolicy,
      referencePolicy: TagReferencePolicy,
      includeManifest: bool
    }),
    images: arr(ImageImportSpec)
  }),
  status: any
})

/** POST imagestreamimports: the images resolved, and with `spec.import` the stream written. */
export function importImages(images: Images, ns: string, body: KubeObject, apiVersion: string, ctx: WriteContext, conflictRef: ResourceRef): KubeObject {
  const name = body.metadata?.name ?? ''
  if (!name) throw invalid('ImageStreamImport', ctx.group, name, [required('metadata.name', 'name or generateName is required')])
  const spec: any = body.spec ?? {}
  const wanted: any[] = spec.images ?? []
  const causes = wanted.flatMap((i: any, n: number) =>
    !i?.from?.name
      ? [required(`spec.images[${n}].from.name`)]
      : i.from.kind && i.from.kind !== 'DockerImage'
        ? [invalidValue(`spec.images[${n}].from.kind`, i.from.kind, 'only DockerImage is supported')]
        : !isPullSpec(i.from.name)
          ? [invalidValue(`spec.images[${n}].from.name`, i.from.name, 'invalid reference format')]
          : []
  )
  if (!wanted.length && !spec.repository) causes.push(required('spec.images', 'you must specify at least one image or a repository import'))
  if (causes.length) throw invalid('ImageStreamImport', ctx.group, name, causes)
  const created = nowRFC3339()
  const statusImages = wanted.map((i: any) => {
    const img = images.resolve(i.from.name)
    // status.images[].tag is the tag read (3.11's importer), the stream's tag is `to.name`
    const read = splitPullSpec(i.from.name).tag ?? 'latest'
    return { status: { metadata: {}, status: 'Success' }, image: images.image(img, created), tag: read, to: i.to?.name ?? read, resolved: img }
  })
  let repoStatus: any
  if (spec.repository?.from?.name) {
    const from = spec.repository.from.name as string
    const { repo, tag } = splitPullSpec(from)
    // A bulk import: the repository's tags in the registry (tags.ts), `latest` for an external one.
    const tags = tag ? [tag] : repositoryTags(images.registries, repo)
    const resolved = tags.map((t) => ({ tag: t, img: images.resolve(`${repo}:${t}`) }))
    repoStatus = {
      status: { metadata: {}, status: 'Success' },
      images: resolved.map(({ tag: t, img }) => ({ status: { metadata: {}, status: 'Success' }, image: images.image(img, created), tag: t })),
      resolved
    }
  }
  const out: KubeObject = {
    kind: 'ImageStreamImport',
    apiVersion,
    metadata: { name, namespace: ns, creationTimestamp: created },
    // defaulted as 3.11's conversion does
    spec: { ...spec, ...(spec.images ? { images: wanted.map((i: any) => ({ ...i, referencePolicy: i.referencePolicy ?? { type: 'Source' } })) } : {}) },
    status: {}
  }
  if (spec.import) {
    const cur = images.store.get('imagestreams', ns, name)
    const rv = body.metadata?.resourceVersion
    if (cur && rv && rv !== cur.metadata.resourceVersion) throw conflict(conflictRef, name)
    const is: KubeObject = cur ? structuredClone(cur) : { kind: 'ImageStream', apiVersion: 'image.openshift.io/v1', metadata: { name, namespace: ns }, spec: { tags: [] } }
    is.spec ??= {}
    if (spec.repository?.from?.name) is.spec.dockerImageRepository = spec.repository.from.name
    const prepared = writeImageStream(images, is, cur, { ...ctx, group: ctx.group ? 'image.openshift.io' : '' })
    // 3.11's nextGeneration: the stream's generation + 1, for the stream and the tags this import writes
    const gen = Number(prepared.metadata.generation ?? 0) + (cur ? 1 : 0)
    if (wanted.length || repoStatus?.resolved.length) prepared.metadata.generation = gen
    wanted.forEach((i: any, n: number) => {
      const tag = statusImages[n]!.to
      prepared.spec.tags = (prepared.spec.tags ?? []).filter((t: any) => t.name !== tag)
      prepared.spec.tags.push(tagReference({ name: tag, from: { kind: 'DockerImage', name: i.from.name }, importPolicy: i.importPolicy, referencePolicy: i.referencePolicy }, gen))
      pushTagEvent(prepared, tag, statusImages[n]!.resolved, gen)
    })
    if (repoStatus) {
      for (const r of repoStatus.resolved) {
        ensureSpecTag(prepared, r.tag, `${splitPullSpec(spec.repository.from.name).repo}:${r.tag}`, spec.repository, gen)
        pushTagEvent(prepared, r.tag, r.img, gen)
      }
    }
    // 3.11 keeps spec tags in a map: they come back sorted by name
    prepared.spec.tags.sort((a: any, b: any) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    stampImport(prepared)
    const stored = cur ? images.store.update('imagestreams', prepared, cur.metadata.resourceVersion) : images.store.create('imagestreams', prepared)
    out.status.import = stored
  }
  out.status.images = statusImages.map(({ resolved: _r, to: _t, ...rest }) => rest)
  if (repoStatus) {
    const { resolved: _r, ...rest } = repoStatus
    out.status.repository = rest
  }
  return out
}

/**
 * A repository import's tag in the stream's spec (3.11's `imagestreamimport/rest.go` `ensureSpecTag`, reset false):
 * a tag the spec has already is left as it is; any other becomes a spec tag `from: DockerImage <repository>:<tag>`
 * with the repository's import and reference policies. So every tag of the repository stays in the spec, and is
 * imported again on every later import of the stream.
 */
function ensureSpecTag(is: KubeObject, tag: string, from: string, repository: any, generation: number): void {
  is.spec.tags ??= []
  if (is.spec.tags.some((t: any) => t.name === tag)) return
  is.spec.tags.push(tagReference({ name: tag, from: { kind: 'DockerImage', name: from }, importPolicy: repository.importPolicy, referencePolicy: repository.referencePolicy }, generation))
}

/** ReactorHost.importImage: create the stream if missing, move the given tags (status), fire triggers. */
export function importTags(images: Images, ns: string, isName: string, dockerImageRepository: string, tags: ImportedTag[], insecure?: boolean): void {
  const cur = images.store.get('imagestreams', ns, isName)
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
  for (const t of tags) changed = pushTagEvent(is, t.tag, { image: t.image, dockerImageReference: t.dockerImageReference }, gen) || changed
  stampImport(is)
  if (cur) images.store.update('imagestreams', is, cur.metadata.resourceVersion)
  else images.store.create('imagestreams', is)
  void changed
}

/** The pull specs an import of `request` (an ImageStreamImport) reads; those that are not pull specs are left to its validation. */
export function importedPullSpecs(request: KubeObject): string[] {
  const spec = request.spec ?? {}
  const names = [spec.repository?.from?.name, ...((spec.images ?? []) as any[]).map((i) => i?.from?.name)]
  return names.filter((n): n is string => typeof n === 'string' && isPullSpec(n))
}

/**
 * POST imagestreamimports (no other verb): 201 with the import's status. What the registries serve is read first,
 * as OpenShift's importer asks the registry on every import: a tag pushed again by someone else is imported with
 * its new digest (`oc import-image` after a base image was pushed by hand).
 */
export async function imageStreamImportsRest(ctx: RequestContext<RegistryDeps>): Promise<void> {
  const { route, env } = ctx
  const { def } = route
  if ((ctx.req.method ?? 'GET') !== 'POST' || route.name !== undefined) throw methodNotAllowed()
  const headers: Record<string, string> = {}
  const body = await readObject(ctx.req, { kind: 'ImageStreamImport', schema: ImageStreamImport }, env, ctx.query, headers)
  requireNamespace(env.store, route.namespace)
  try {
    await env.deps.refreshRegistries?.(importedPullSpecs(body))
  } catch (err) {
    // the registry did not answer: the import answers from what is recorded, as the controllers do
    process.emitWarning(`imagestreamimports: ${route.namespace}/${body.metadata?.name ?? ''}: ${(err as Error).message}`)
  }
  const out = importImages(env.deps.images, route.namespace!, body, apiVersionFor(def, route.legacy), { legacy: route.legacy, group: route.msgGroup }, refOf(route, 'imagestreams'))
  // as 3.11 answers it: a selfLink and uid of its own; the stream written, as stored (no kind, apiVersion, selfLink)
  out.metadata = { ...out.metadata, selfLink: `${route.base}/namespaces/${route.namespace}/imagestreamimports/${out.metadata.name}`, uid: randomUUID() }
  if (out.status?.import) {
    const { kind: _k, apiVersion: _a, ...stream } = out.status.import
    const { selfLink: _s, ...metadata } = stream.metadata
    out.status.import = { ...stream, metadata }
  }
  return sendJSON(ctx.res, 201, out, headers)
}
