/**
 * The image import controller (imageimport.ts): ImageStreams without `openshift.io/image.dockerRepositoryCheck`
 * are imported from the emulator's registries (status tags, the annotation with the import's time), as OpenShift
 * 3.x's imagestream controller does; osbs-client's import_image (PUT without the annotation, watch until it is
 * back) completes; the scheduled import controller re-imports the spec tags with `importPolicy.scheduled` every
 * interval, and only those.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../src/index.js'
import { importRequest, needsImport } from '../src/controllers/image-import.js'
import { prioritizeTags, repositoryTags } from '../src/registry/imagestreamimport/tags.js'
import { ImageRegistries } from '../src/images/registries.js'
import { type ImageContent } from '../src/images/manifests.js'
import { buildConfigBody, call, ManualReactor, Stream, type WatchEvent } from '../testing/client.js'

const I = '/oapi/v1/namespaces/osbs/imagestreams'
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/
const image = (n: number): ImageContent => ({ imageId: `sha256:${String(n).repeat(64).slice(0, 64)}`, labels: { n: String(n) } })
let c: Cluster

beforeAll(async () => {
  c = await startCluster({ port: 0, kubeconfig: false })
})
afterAll(async () => {
  await c.close()
})

/** Watch one ImageStream from `rv` until an event carries the repository-check annotation. */
async function watchUntilImported(name: string, rv: string): Promise<WatchEvent[]> {
  const w = new Stream(c, `${I}?watch=true&fieldSelector=metadata.name=${name}&resourceVersion=${rv}`)
  await w.ready
  await w.until(() => w.events().some((e) => e.object.metadata?.annotations?.['openshift.io/image.dockerRepositoryCheck']))
  w.close()
  return w.events()
}

describe('prioritizeTags / repositoryTags', () => {
  it("latest first, then versions newest first, then the rest by name; at most 50 tags of a hosted repository (3.11's default)", () => {
    expect(prioritizeTags(['b', '1.2', 'latest', '1.10', 'a', 'v2', '1.2.1'])).toEqual(['latest', 'v2', '1.10', '1.2.1', '1.2', 'a', 'b'])
    const r = new ImageRegistries()
    const versions = Array.from({ length: 55 }, (_, i) => String(i + 1))
    for (const t of [...versions, 'latest']) r.push('reg.example.com:5000', 'ns/app', t, image(1))
    const tags = repositoryTags(r, 'reg.example.com:5000/ns/app')
    expect(tags).toHaveLength(50)
    expect(tags.slice(0, 3)).toEqual(['latest', '55', '54'])
    expect(tags[49]).toBe('7')
    expect(repositoryTags(r, 'elsewhere.example.com/ns/app')).toEqual(['latest'])
  })
})

describe('needsImport / importRequest', () => {
  const is = (annotations: Record<string, string> | undefined, spec: any) => ({
    kind: 'ImageStream',
    apiVersion: 'v1',
    metadata: { name: 's', namespace: 'osbs', resourceVersion: '7', annotations },
    spec
  })

  it('a repository or DockerImage spec tags without the annotation need an import; references and annotated streams do not', () => {
    expect(needsImport(is(undefined, { dockerImageRepository: 'reg/ns/app' }))).toBe(true)
    expect(needsImport(is(undefined, { tags: [{ name: 't', from: { kind: 'DockerImage', name: 'fedora:27' } }] }))).toBe(true)
    expect(needsImport(is(undefined, { tags: [{ name: 't', reference: true, from: { kind: 'DockerImage', name: 'fedora:27' } }] }))).toBe(false)
    expect(needsImport(is(undefined, { tags: [{ name: 't', from: { kind: 'ImageStreamTag', name: 'other:1' } }] }))).toBe(false)
    expect(needsImport(is({ 'openshift.io/image.dockerRepositoryCheck': '2017-10-01T00:00:00Z' }, { dockerImageRepository: 'reg/ns/app' }))).toBe(false)
  })

  it("the ImageStreamImport posted: import true, the repository, each importable tag, the stream's resourceVersion", () => {
    const req = importRequest(is({ 'openshift.io/image.insecureRepository': 'true' }, { dockerImageRepository: 'reg/ns/app', tags: [{ name: 't', from: { kind: 'DockerImage', name: 'fedora:27' } }] }))
    expect(req).toEqual({
      kind: 'ImageStreamImport',
      apiVersion: 'image.openshift.io/v1',
      metadata: { name: 's', namespace: 'osbs', resourceVersion: '7' },
      spec: {
        import: true,
        repository: { from: { kind: 'DockerImage', name: 'reg/ns/app' }, importPolicy: { insecure: true } },
        images: [{ from: { kind: 'DockerImage', name: 'fedora:27' }, to: { name: 't' }, importPolicy: { insecure: true }, referencePolicy: undefined }]
      }
    })
  })
})

describe('the controller', () => {
  it('a new stream with spec.dockerImageRepository: ADDED without the annotation, then MODIFIED with the tags and the time', async () => {
    const d1 = c.registries.push('registry.local:5000', 'alice/hello', '1.0', image(1)).v2
    c.registries.push('registry.local:5000', 'alice/hello', 'latest', image(1))
    const rv = c.store.resourceVersion
    const r = await call(c, 'POST', I, { body: { kind: 'ImageStream', apiVersion: 'v1', metadata: { name: 'hello' }, spec: { dockerImageRepository: 'registry.local:5000/alice/hello' } } })
    expect(r.status).toBe(201)
    expect(r.body.metadata.annotations).toBeUndefined()
    const events = await watchUntilImported('hello', rv)
    expect(events[0]!.type).toBe('ADDED')
    const last = events[events.length - 1]!
    expect(last.type).toBe('MODIFIED')
    expect(last.object.metadata.annotations['openshift.io/image.dockerRepositoryCheck']).toMatch(RFC3339)
    expect(last.object.status.tags.map((t: any) => t.tag)).toEqual(['1.0', 'latest'])
    expect(last.object.status.tags[0].items[0]).toMatchObject({ image: d1, dockerImageReference: `registry.local:5000/alice/hello@${d1}` })
    // 3.11's ensureSpecTag: every tag of the repository becomes a spec tag from DockerImage <repository>:<tag>
    expect(last.object.spec.tags.map((t: any) => [t.name, t.from])).toEqual([
      ['1.0', { kind: 'DockerImage', name: 'registry.local:5000/alice/hello:1.0' }],
      ['latest', { kind: 'DockerImage', name: 'registry.local:5000/alice/hello:latest' }]
    ])
    expect(last.object.spec.tags[0]).toMatchObject({ importPolicy: {}, referencePolicy: { type: 'Source' } })
  })

  it("osbs-client's import_image: the stream PUT back without the annotation is imported again, with the tags pushed since", async () => {
    const d2 = c.registries.push('registry.local:5000', 'alice/hello', '2.0', image(2)).v2
    const cur = (await call(c, 'GET', `${I}/hello`)).body
    delete cur.metadata.annotations['openshift.io/image.dockerRepositoryCheck']
    const put = await call(c, 'PUT', `${I}/hello`, { body: cur })
    expect(put.status).toBe(200)
    expect(put.body.metadata.annotations['openshift.io/image.dockerRepositoryCheck']).toBeUndefined()
    const events = await watchUntilImported('hello', cur.metadata.resourceVersion)
    const last = events[events.length - 1]!
    expect(last.type).toBe('MODIFIED')
    expect(last.object.status.tags.find((t: any) => t.tag === '2.0').items[0].image).toBe(d2)
    expect(last.object.spec.tags.map((t: any) => t.name)).toEqual(['1.0', '2.0', 'latest'])
  })

  it('spec tags from DockerImage (not hosted: the external image) are re-imported when the annotation is removed', async () => {
    const created = await call(c, 'POST', I, {
      body: { kind: 'ImageStream', apiVersion: 'v1', metadata: { name: 'base' }, spec: { tags: [{ name: '27', from: { kind: 'DockerImage', name: 'registry.fedoraproject.org/fedora:27' } }] } }
    })
    expect(created.status).toBe(201)
    const cur = (await call(c, 'GET', `${I}/base`)).body
    expect(cur.status.tags[0].tag).toBe('27')
    const published = c.registries.publishExternal('registry.fedoraproject.org/fedora:27')
    delete cur.metadata.annotations['openshift.io/image.dockerRepositoryCheck']
    expect((await call(c, 'PUT', `${I}/base`, { body: cur })).status).toBe(200)
    const events = await watchUntilImported('base', cur.metadata.resourceVersion)
    const items = events[events.length - 1]!.object.status.tags[0].items
    expect(items[0].image).toBe(published.digest)
    expect(items).toHaveLength(2)
  })

  it('a stream with nothing to import keeps having no annotation', async () => {
    const r = await call(c, 'POST', I, { body: { kind: 'ImageStream', apiVersion: 'v1', metadata: { name: 'empty' }, spec: {} } })
    expect(r.status).toBe(201)
    // The controller handles streams in the order they changed: once a later stream is imported, this one was seen.
    const rv = c.store.resourceVersion
    await call(c, 'POST', I, { body: { kind: 'ImageStream', apiVersion: 'v1', metadata: { name: 'later' }, spec: { dockerImageRepository: 'registry.local:5000/alice/hello' } } })
    await watchUntilImported('later', rv)
    expect(c.store.get('imagestreams', 'osbs', 'empty')!.metadata.annotations).toBeUndefined()
  })
})

describe('the scheduled import controller', () => {
  const pods = new ManualReactor()
  let s: Cluster
  beforeAll(async () => {
    s = await startCluster({ port: 0, kubeconfig: false, reactor: pods.reactor, podStartDelay: 1, scheduledImportIntervalSeconds: 0.1 })
  })
  afterAll(async () => {
    await s.close()
  })

  const B = '/apis/build.openshift.io/v1/namespaces/osbs'
  const buildsOf = (bc: string) => s.store.list('builds', 'osbs').filter((b) => b.metadata.annotations?.['openshift.io/build-config.name'] === bc)
  const current = (tag: string) => s.store.get('imagestreams', 'osbs', 'ticker')!.status.tags.find((t: any) => t.tag === tag).items[0].image
  /** Watch the stream from `rv` until its tag `tag` is at `digest`; that event's object. */
  async function moved(rv: string, tag: string, digest: string): Promise<any> {
    const w = new Stream(s, `${I}?watch=true&fieldSelector=metadata.name=ticker&resourceVersion=${rv}`)
    await w.ready
    const hit = () => w.events().find((e) => e.object.status?.tags?.find((t: any) => t.tag === tag)?.items?.[0]?.image === digest)
    const seen = await w.until(() => !!hit())
    w.close()
    expect(seen).toBe(true)
    return hit()!.object
  }
  async function finishAll(bc: string): Promise<void> {
    for (const b of buildsOf(bc)) if (!['Complete', 'Failed', 'Cancelled'].includes(b.status?.phase)) pods.finish((await pods.waitStarted(b.metadata.name)).build.metadata.name)
  }

  it('a scheduled tag moved in its registry moves the stream and fires its ImageChange trigger; an unscheduled one stays', async () => {
    const sched1 = s.registries.push('registry.local:5000', 'bob/sched', '1', image(3)).v2
    const plain1 = s.registries.push('registry.local:5000', 'bob/plain', '1', image(4)).v2
    for (const [bc, tag] of [
      ['on-sched', 'sched'],
      ['on-plain', 'plain']
    ]) {
      const body = buildConfigBody(bc!, { triggers: [{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: `ticker:${tag}` } } }] })
      expect((await call(s, 'POST', `${B}/buildconfigs`, { body })).status).toBe(201)
    }
    const created = await call(s, 'POST', I, {
      body: {
        kind: 'ImageStream',
        apiVersion: 'v1',
        metadata: { name: 'ticker' },
        spec: {
          tags: [
            { name: 'sched', from: { kind: 'DockerImage', name: 'registry.local:5000/bob/sched:1' }, importPolicy: { scheduled: true } },
            { name: 'plain', from: { kind: 'DockerImage', name: 'registry.local:5000/bob/plain:1' } }
          ]
        }
      }
    })
    expect(created.status).toBe(201)
    await s.settled()
    expect(current('sched')).toBe(sched1)
    expect(current('plain')).toBe(plain1)
    // the first images fired each trigger once
    expect(buildsOf('on-sched')).toHaveLength(1)
    expect(buildsOf('on-plain')).toHaveLength(1)
    await finishAll('on-sched')
    await finishAll('on-plain')

    // both tags move in the registry; nobody asks for an import
    const rv = (await call(s, 'GET', `${I}/ticker`)).body.metadata.resourceVersion
    const sched2 = s.registries.push('registry.local:5000', 'bob/sched', '1', image(5)).v2
    const plain2 = s.registries.push('registry.local:5000', 'bob/plain', '1', image(6)).v2
    const after = await moved(rv, 'sched', sched2)
    expect(after.status.tags.find((t: any) => t.tag === 'sched').items.map((i: any) => i.image)).toEqual([sched2, sched1])
    await s.settled()
    const rebuilt = buildsOf('on-sched')
    expect(rebuilt).toHaveLength(2)
    const second = rebuilt.find((b) => b.metadata.name === 'on-sched-2')!
    expect(second.spec.triggeredBy[0].imageChangeBuild.imageID).toBe(`registry.local:5000/bob/sched@${sched2}`)

    // a further pass (the sched tag moves again): the unscheduled tag was left where it was imported
    const sched3 = s.registries.push('registry.local:5000', 'bob/sched', '1', image(7)).v2
    await moved(after.metadata.resourceVersion, 'sched', sched3)
    await s.settled()
    expect(current('plain')).toBe(plain1)
    expect(current('plain')).not.toBe(plain2)
    expect(buildsOf('on-plain')).toHaveLength(1)
    await finishAll('on-sched')
  })
})
