/** ImageChange triggers, ImageStreams, ImageStreamTags, ImageStreamImports and external images. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../src/index.js'
import { buildConfigBody, call, eventually, ManualReactor, Stream } from '../testing/client.js'

let cluster: Cluster
const pods = new ManualReactor()
const B = '/apis/build.openshift.io/v1/namespaces/osbs'
const I = '/apis/image.openshift.io/v1/namespaces/osbs'

beforeAll(async () => {
  cluster = await startCluster({ port: 0, reactor: pods.reactor, podStartDelay: 1 })
})
afterAll(async () => {
  await cluster.close()
})

const trigger = (name: string) => ({ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name } } })
const buildsOf = (bc: string) => cluster.store.list('builds', 'osbs').filter((b) => b.metadata.annotations?.['openshift.io/build-config.name'] === bc)
/** Everything the controller does about the changes so far is done: what has not happened now does not happen. */
const quiet = () => cluster.settled()

describe('ImageChange triggers', () => {
  it('fire exactly once per new image of the tag', async () => {
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('trig-a', { runPolicy: 'Parallel', triggers: [trigger('fedora:latest')] }) })
    await quiet()
    expect(buildsOf('trig-a')).toHaveLength(0)

    const v1 = cluster.publishExternalImage('osbs', 'fedora', 'latest', { from: 'registry.fedoraproject.org/fedora:latest' })
    // exactly what the declared type says
    expect(v1).toEqual({
      image: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      dockerImageReference: `registry.fedoraproject.org/fedora@${v1.image}`,
      from: 'registry.fedoraproject.org/fedora:latest'
    })
    await quiet()
    expect(buildsOf('trig-a')).toHaveLength(1)
    const b1 = buildsOf('trig-a')[0]!
    expect(b1.spec.triggeredBy).toEqual([{ message: 'Image change', imageChangeBuild: { imageID: v1.dockerImageReference, fromRef: { kind: 'ImageStreamTag', name: 'fedora:latest' } } }])
    const bc = cluster.store.get('buildconfigs', 'osbs', 'trig-a')!
    expect(bc.spec.triggers[0].imageChange.lastTriggeredImageID).toBe(v1.dockerImageReference)
    expect(bc.status.imageChangeTriggers).toEqual([{ from: { name: 'fedora:latest' }, lastTriggeredImageID: v1.dockerImageReference, lastTriggerTime: expect.any(String) }])
    await quiet()
    expect(buildsOf('trig-a')).toHaveLength(1)

    // the client rewrites the trigger (without lastTriggeredImageID): the same image does not fire again
    const cur = (await call(cluster, 'GET', `${B}/buildconfigs/trig-a`)).body
    cur.spec.triggers = [trigger('fedora:latest')]
    expect((await call(cluster, 'PUT', `${B}/buildconfigs/trig-a`, { body: cur })).status).toBe(200)
    await quiet()
    expect(buildsOf('trig-a')).toHaveLength(1)

    // republishing the same digest is no new image
    cluster.publishExternalImage('osbs', 'fedora', 'latest', { digest: v1.image })
    await quiet()
    expect(buildsOf('trig-a')).toHaveLength(1)

    const v2 = cluster.publishExternalImage('osbs', 'fedora', 'latest')
    expect(v2.image).not.toBe(v1.image)
    await eventually(() => buildsOf('trig-a').length === 2)
    await quiet()
    expect(buildsOf('trig-a')).toHaveLength(2)
    expect(buildsOf('trig-a')[1]!.spec.triggeredBy[0].imageChangeBuild.imageID).toBe(v2.dockerImageReference)
    for (const b of buildsOf('trig-a')) {
      await pods.waitStarted(b.metadata.name)
      pods.finish(b.metadata.name)
    }
  })

  it('fire when a trigger is added to a BuildConfig while the tag already has an image (the client adopts that build)', async () => {
    cluster.publishExternalImage('osbs', 'base', 'latest')
    const created = (await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('trig-b') })).body
    await quiet()
    expect(buildsOf('trig-b')).toHaveLength(0)
    const upd = structuredClone(created)
    upd.spec.triggers = [trigger('base:latest')]
    const written = await call(cluster, 'PUT', `${B}/buildconfigs/trig-b`, { body: upd })
    expect(written.status).toBe(200)
    const w = new Stream(cluster, `${B}/buildconfigs?watch=true&fieldSelector=metadata.name%3Dtrig-b&resourceVersion=${written.body.metadata.resourceVersion}`)
    expect(await w.until((l) => l.some((x) => JSON.parse(x).object.status.lastVersion === 1))).toBe(true)
    w.close()
    const n = w.events().find((e) => e.object.status.lastVersion === 1)!.object.status.lastVersion
    const adopted = await eventually(() => cluster.store.get('builds', 'osbs', `trig-b-${n}`))
    expect(adopted.spec.triggeredBy[0].message).toBe('Image change')
    await quiet()
    expect(buildsOf('trig-b')).toHaveLength(1)
    await pods.waitStarted('trig-b-1')
    pods.finish('trig-b-1')
  })

  it('fire for a BuildConfig created with a trigger on a tag that has an image; paused triggers never fire', async () => {
    cluster.publishExternalImage('osbs', 'base2', 'latest')
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('trig-c', { triggers: [trigger('base2:latest')] }) })
    const paused = buildConfigBody('trig-paused', { triggers: [{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'base2:latest' }, paused: true } }] })
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: paused })
    await eventually(() => buildsOf('trig-c').length === 1)
    await quiet()
    expect(buildsOf('trig-paused')).toHaveLength(0)
    await pods.waitStarted('trig-c-1')
    pods.finish('trig-c-1')
  })

  it('an image a build pod imports (ReactorHost.importImage) rebuilds the images built on it; the builder image trigger resolves from', async () => {
    const body = buildConfigBody('trig-child', { triggers: [{ type: 'ImageChange', imageChange: {} }] })
    body.spec.strategy.customStrategy.from = { kind: 'ImageStreamTag', name: 'parent:latest' }
    const r = await call(cluster, 'POST', `${B}/buildconfigs`, { body })
    expect(r.status).toBe(201)
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('trig-parent') })
    const inst = await call(cluster, 'POST', `${B}/buildconfigs/trig-parent/instantiate`, { body: { metadata: { name: 'trig-parent' } } })
    const host = await pods.waitStarted(inst.body.metadata.name)
    const digest = 'sha256:' + 'd'.repeat(64)
    host.importImage('parent', 'registry.example.com/user/parent', [{ tag: 'latest', image: digest, dockerImageReference: `registry.example.com/user/parent@${digest}` }])
    pods.finish(inst.body.metadata.name)
    const child = await eventually(() => buildsOf('trig-child')[0])
    expect(child.spec.strategy.customStrategy.from).toEqual({ kind: 'DockerImage', name: `registry.example.com/user/parent@${digest}` })
    expect(child.spec.triggeredBy[0].imageChangeBuild.fromRef).toEqual({ kind: 'ImageStreamTag', name: 'parent:latest' })
    await pods.waitStarted(child.metadata.name)
    pods.finish(child.metadata.name)
  })

  it('a ConfigChange trigger starts the first build only', async () => {
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('trig-cc', { triggers: [{ type: 'ConfigChange' }] }) })
    const first = await eventually(() => buildsOf('trig-cc')[0])
    expect(first.spec.triggeredBy).toEqual([{ message: 'Build configuration change' }])
    const cur = (await call(cluster, 'GET', `${B}/buildconfigs/trig-cc`)).body
    cur.spec.source.git.ref = 'other'
    expect((await call(cluster, 'PUT', `${B}/buildconfigs/trig-cc`, { body: cur })).status).toBe(200)
    await quiet()
    expect(buildsOf('trig-cc')).toHaveLength(1)
    await pods.waitStarted(first.metadata.name)
    pods.finish(first.metadata.name)
  })

  it('POST /_emulator/images publishes a new external image and fires triggers', async () => {
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('trig-http', { triggers: [trigger('ubi:8')] }) })
    const r = await call(cluster, 'POST', '/_emulator/images', { body: { imageStream: 'ubi', tag: '8', from: 'registry.example.com/ubi8:latest' } })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ image: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), dockerImageReference: `registry.example.com/ubi8@${r.body.image}`, from: 'registry.example.com/ubi8:latest' })
    await eventually(() => buildsOf('trig-http').length === 1)
    expect((await call(cluster, 'POST', '/_emulator/images', { body: { tag: '8' } })).status).toBe(400)
    expect((await call(cluster, 'POST', '/_emulator/images', { body: { imageStream: 'ubi', tag: '8' }, token: null })).status).toBe(401)
  })
})

describe('image streams', () => {
  it('tags pointing at external images resolve at once to a deterministic digest', async () => {
    const body = {
      kind: 'ImageStream',
      apiVersion: 'image.openshift.io/v1',
      metadata: { name: 'ext' },
      spec: { tags: [{ name: 'v1', from: { kind: 'DockerImage', name: 'quay.example.com/org/ext:v1' } }] }
    }
    const r = await call(cluster, 'POST', `${I}/imagestreams`, { body })
    expect(r.status).toBe(201)
    // imported from its registry: the stream's generation + 1, as 3.11's import writes it
    expect(r.body.spec.tags[0]).toMatchObject({ name: 'v1', referencePolicy: { type: 'Source' }, importPolicy: {}, generation: 2 })
    expect(r.body.status.dockerImageRepository).toBe('docker-registry.default.svc:5000/osbs/ext')
    const item = r.body.status.tags[0].items[0]
    expect(item.image).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(item.dockerImageReference).toBe(`quay.example.com/org/ext@${item.image}`)
    const other = await startCluster({ port: 0, reactor: pods.reactor })
    try {
      const r2 = await call(other, 'POST', `${I}/imagestreams`, { body })
      expect(r2.body.status.tags[0].items[0].image).toBe(item.image)
    } finally {
      await other.close()
    }
  })

  it('imagestreamtags: get (404 without image), create, update, delete', async () => {
    const missing = await call(cluster, 'GET', `${I}/imagestreamtags/ext:nope`)
    expect(missing.status).toBe(404)
    expect(missing.body.message).toBe('imagestreamtags.image.openshift.io "ext:nope" not found')
    const get = await call(cluster, 'GET', `${I}/imagestreamtags/ext:v1`)
    expect(get.status).toBe(200)
    expect(get.body).toMatchObject({ kind: 'ImageStreamTag', apiVersion: 'image.openshift.io/v1', metadata: { name: 'ext:v1', namespace: 'osbs' }, tag: { name: 'v1' } })
    expect(get.body.image.metadata.name).toMatch(/^sha256:/)
    const created = await call(cluster, 'POST', `${I}/imagestreamtags`, {
      body: { kind: 'ImageStreamTag', apiVersion: 'image.openshift.io/v1', metadata: { name: 'ext:v2' }, tag: { from: { kind: 'DockerImage', name: 'quay.example.com/org/ext:v2' } } }
    })
    expect(created.status).toBe(201)
    expect(created.body.image.dockerImageReference).toMatch(/^quay\.example\.com\/org\/ext@sha256:/)
    const dup = await call(cluster, 'POST', `${I}/imagestreamtags`, { body: { metadata: { name: 'ext:v2' }, tag: { from: { kind: 'DockerImage', name: 'x/y:z' } } } })
    expect(dup.status).toBe(409)
    const put = await call(cluster, 'PUT', `${I}/imagestreamtags/ext:v2`, { body: { metadata: { name: 'ext:v2' }, tag: { from: { kind: 'DockerImage', name: 'quay.example.com/org/ext:v3' } } } })
    expect(put.status).toBe(200)
    expect(put.body.image.dockerImageReference).not.toBe(created.body.image.dockerImageReference)
    const list = await call(cluster, 'GET', `${I}/imagestreamtags`)
    expect(list.body.items.map((i: any) => i.metadata.name)).toEqual(expect.arrayContaining(['ext:v1', 'ext:v2']))
    expect((await call(cluster, 'DELETE', `${I}/imagestreamtags/ext:v2`)).status).toBe(200)
    expect((await call(cluster, 'GET', `${I}/imagestreamtags/ext:v2`)).status).toBe(404)
    const badName = await call(cluster, 'POST', `${I}/imagestreamtags`, { body: { metadata: { name: 'nocolon' }, tag: { from: { kind: 'DockerImage', name: 'a/b:c' } } } })
    expect(badName.status).toBe(422)
  })

  it('imagestreamimports create the stream and import the images (201)', async () => {
    const r = await call(cluster, 'POST', `${I}/imagestreamimports`, {
      body: {
        kind: 'ImageStreamImport',
        apiVersion: 'image.openshift.io/v1',
        metadata: { name: 'prom' },
        spec: {
          import: true,
          images: [{ from: { kind: 'DockerImage', name: 'example.com/prometheus/prometheus:v2.13.0' }, to: { name: 'v2.13.0' }, importPolicy: {}, referencePolicy: { type: 'Source' } }]
        }
      }
    })
    expect(r.status).toBe(201)
    expect(r.body.kind).toBe('ImageStreamImport')
    expect(r.body.status.images[0]).toMatchObject({ status: { metadata: {}, status: 'Success' }, tag: 'v2.13.0', image: { metadata: { name: expect.stringMatching(/^sha256:/) } } })
    // the stream as stored, as 3.11 answers it (no kind, apiVersion, selfLink)
    expect(r.body.status.import).toMatchObject({ metadata: { name: 'prom' } })
    expect([r.body.status.import.kind, r.body.status.import.metadata.selfLink]).toEqual([undefined, undefined])
    const is = await call(cluster, 'GET', `${I}/imagestreams/prom`)
    expect(is.body.status.tags[0].tag).toBe('v2.13.0')
    expect(is.body.metadata.annotations['openshift.io/image.dockerRepositoryCheck']).toMatch(/Z$/)
    const dry = await call(cluster, 'POST', `${I}/imagestreamimports`, {
      body: { metadata: { name: 'dry' }, spec: { import: false, images: [{ from: { kind: 'DockerImage', name: 'a.example.com/b:c' } }] } }
    })
    expect(dry.status).toBe(201)
    expect(dry.body.status.import).toBeUndefined()
    expect((await call(cluster, 'GET', `${I}/imagestreams/dry`)).status).toBe(404)
    const bad = await call(cluster, 'POST', `${I}/imagestreamimports`, { body: { metadata: { name: 'bad' }, spec: { import: true, images: [{ from: { kind: 'DockerImage' } }] } } })
    expect(bad.status).toBe(422)
  })

  it('ImageStream PUT needs the current resourceVersion and keeps the server-written status', async () => {
    const cur = (await call(cluster, 'GET', `${I}/imagestreams/ext`)).body
    const upd = structuredClone(cur)
    upd.status = { tags: [] }
    const r = await call(cluster, 'PUT', `${I}/imagestreams/ext`, { body: upd })
    expect(r.status).toBe(200)
    expect(r.body.status.tags).toEqual(cur.status.tags)
    expect((await call(cluster, 'PUT', `${I}/imagestreams/ext`, { body: upd })).status).toBe(409)
  })
})
