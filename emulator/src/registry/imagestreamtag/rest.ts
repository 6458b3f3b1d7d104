/**
 * ImageStreamTags (openshift-apiserver's `registry/imagestreamtag/rest.go`): not stored but computed from the
 * ImageStreams, `<stream>:<tag>`; a write sets the stream's spec tag (creating the stream when missing), a delete
 * removes the tag from spec and status.
 */
import type { KubeObject } from '../../api/object.js'
import { apiVersionFor } from '../../api/resources.js'
import { alreadyExists, badRequest, conflict, invalid, methodNotAllowed, notFound, type ResourceRef } from '../../api/status.js'
import { invalidValue, required } from '../../api/validation.js'
import { applyPatch, checkObject, matcher, readObject, refOf, requireNamespace, type BodyType } from '../../apiserver/request.js'
import type { RequestContext, WriteContext } from '../../apiserver/strategy.js'
import { readBody, sendJSON } from '../../apiserver/http.js'
import type { Store } from '../../storage/store.js'
import type { RegistryDeps } from '../deps.js'
import type { Images } from '../imagestream/images.js'
import { writeImageStream, TagReference } from '../imagestream/strategy.js'
import { any, arr, bool, int, obj, ObjectMeta, str } from '../../api/schema.js'

export const ImageStreamTag = obj('ImageStreamTag', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  tag: TagReference,
  generation: int,
  lookupPolicy: obj('ImageLookupPolicy', { local: bool }),
  conditions: arr(any),
  image: any
})

const IMAGE_STREAM_TAG: BodyType = { kind: 'ImageStreamTag', schema: ImageStreamTag }

/** The ImageStreamTag `<is>:<tag>` as the server computes it, or undefined when the tag has no image. */
export function imageStreamTag(images: Images, is: KubeObject, tag: string, apiVersion: string): KubeObject | undefined {
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
    image: images.image(item, item.created)
  }
}

/** `<stream>:<tag>` split, or undefined when the name is not of that form. */
export function splitTagName(name: string): [string, string] | undefined {
  const i = name.indexOf(':')
  if (i <= 0 || i === name.length - 1 || name.indexOf(':', i + 1) >= 0) return undefined
  return [name.slice(0, i), name.slice(i + 1)]
}

/** POST/PUT of an ImageStreamTag: sets the spec tag (creating the ImageStream when missing). */
export function writeImageStreamTag(images: Images, ns: string, body: any, create: boolean, ref: ResourceRef, ctx: WriteContext): KubeObject {
  const name = body.metadata?.name ?? ''
  const parts = splitTagName(name)
  if (!parts) throw invalid('ImageStreamTag', ctx.group, name, [invalidValue('metadata.name', name, 'must be of the form <stream_name>:<tag>')])
  const [isName, tag] = parts
  if (!body.tag?.from) throw invalid('ImageStreamTag', ctx.group, name, [required('tag.from')])
  const cur = images.store.get('imagestreams', ns, isName)
  const exists = !!cur && (cur.spec?.tags ?? []).some((t: any) => t.name === tag)
  if (create && exists) throw alreadyExists(ref, name)
  const is: KubeObject = cur ? structuredClone(cur) : { kind: 'ImageStream', apiVersion: 'image.openshift.io/v1', metadata: { name: isName, namespace: ns }, spec: { tags: [] } }
  const tags = (is.spec?.tags ?? []).filter((t: any) => t.name !== tag)
  tags.push({ ...body.tag, name: tag, generation: undefined })
  is.spec = { ...(is.spec ?? {}), tags }
  const prepared = writeImageStream(images, is, cur, { ...ctx, group: ctx.group ? 'image.openshift.io' : '' })
  const stored = cur ? images.store.update('imagestreams', prepared, cur.metadata.resourceVersion) : images.store.create('imagestreams', prepared)
  const ist = imageStreamTag(images, stored, tag, body.apiVersion ?? 'image.openshift.io/v1')
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

/** DELETE of an ImageStreamTag: the tag leaves the stream's spec and status. */
export function deleteImageStreamTag(store: Store, ns: string, name: string, ref: ResourceRef): void {
  const parts = splitTagName(name)
  if (!parts) throw notFound(ref, name)
  const [isName, tag] = parts
  const cur = store.get('imagestreams', ns, isName)
  const has = cur && ((cur.spec?.tags ?? []).some((t: any) => t.name === tag) || (cur.status?.tags ?? []).some((t: any) => t.tag === tag))
  if (!cur || !has) throw notFound(ref, name)
  cur.spec.tags = (cur.spec?.tags ?? []).filter((t: any) => t.name !== tag)
  cur.status.tags = (cur.status?.tags ?? []).filter((t: any) => t.tag !== tag)
  cur.metadata.generation = Number(cur.metadata.generation ?? 1) + 1
  store.update('imagestreams', cur, cur.metadata.resourceVersion)
}

/** Every request of imagestreamtags: the tags of the namespace's streams, as the server computes them. */
export async function imageStreamTagsRest(ctx: RequestContext<RegistryDeps>): Promise<void> {
  const { req, res, route, query, env } = ctx
  const method = req.method ?? 'GET'
  const { def } = route
  const images = env.deps.images
  const apiVersion = apiVersionFor(def, route.legacy)
  const wctx: WriteContext = { legacy: route.legacy, group: route.msgGroup }
  const ns = route.namespace!
  const withLink = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, selfLink: `${route.base}/namespaces/${ns}/imagestreamtags/${o.metadata.name}` } })
  if (route.name === undefined) {
    if (method === 'GET') {
      const match = matcher(route, query)
      const items: KubeObject[] = []
      for (const is of env.store.peekList('imagestreams', route.namespace)) {
        for (const t of is.status?.tags ?? []) {
          const ist = imageStreamTag(images, is, t.tag, apiVersion)
          if (ist && match(ist)) {
            const { kind: _k, apiVersion: _a, ...rest } = withLink(ist)
            items.push(rest as KubeObject)
          }
        }
      }
      return sendJSON(res, 200, { kind: def.listKind, apiVersion, metadata: { selfLink: `${route.base}/namespaces/${ns}/imagestreamtags`, resourceVersion: env.store.resourceVersion }, items })
    }
    if (method === 'POST') {
      const headers: Record<string, string> = {}
      const body = await readObject(req, IMAGE_STREAM_TAG, env, query, headers)
      requireNamespace(env.store, ns)
      return sendJSON(res, 201, withLink(writeImageStreamTag(images, ns, body, true, refOf(route), wctx)), headers)
    }
    throw methodNotAllowed()
  }
  const name = route.name
  const parts = splitTagName(name)
  const current = () => {
    const is = parts ? env.store.peek('imagestreams', ns, parts[0]) : undefined
    return is ? imageStreamTag(images, is, parts![1], apiVersion) : undefined
  }
  if (method === 'GET') {
    if (!parts) throw badRequest(`"${name}" is an invalid imagestreamtag name: it must be of the form <stream_name>:<tag>`)
    const ist = current()
    if (!ist) throw notFound(refOf(route), name)
    return sendJSON(res, 200, withLink(ist))
  }
  if (method === 'PUT' || method === 'PATCH') {
    const headers: Record<string, string> = {}
    let body: any
    if (method === 'PUT') body = await readObject(req, IMAGE_STREAM_TAG, env, query, headers)
    else {
      const cur = current()
      if (!cur) {
        await readBody(req)
        throw notFound(refOf(route), name)
      }
      body = checkObject(await applyPatch(req, cur, 'ImageStreamTag'), IMAGE_STREAM_TAG, env, query, headers)
    }
    body.metadata ??= {}
    if (body.metadata.name && body.metadata.name !== name) throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`)
    body.metadata.name = name
    const cur = current()
    if (cur && body.metadata.resourceVersion && body.metadata.resourceVersion !== cur.metadata.resourceVersion) throw conflict(refOf(route), name)
    const is = parts ? env.store.peek('imagestreams', ns, parts[0]) : undefined
    const specExists = !!is && ((is.spec?.tags ?? []) as any[]).some((t) => t.name === parts![1])
    if (!cur && !specExists && method === 'PUT' && !body.tag) throw notFound(refOf(route), name)
    return sendJSON(res, 200, withLink(writeImageStreamTag(images, ns, body, false, refOf(route), wctx)), headers)
  }
  if (method === 'DELETE') {
    await readBody(req)
    deleteImageStreamTag(env.store, ns, name, refOf(route))
    return sendJSON(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' })
  }
  throw methodNotAllowed()
}
