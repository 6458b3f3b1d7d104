/** The build controller: runPolicy, phases, timestamps, cancellation, the ReactorHost, history pruning. */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { startCluster, type Cluster } from '../src/index.js'
import { buildConfigBody, call, eventually, ManualReactor, Stream } from '../testing/client.js'

let cluster: Cluster
const pods = new ManualReactor()
const B = '/apis/build.openshift.io/v1/namespaces/osbs'

beforeAll(async () => {
  cluster = await startCluster({ port: 0, reactor: pods.reactor, podStartDelay: 1 })
})
afterAll(async () => {
  await cluster.close()
})

const phase = (name: string) => cluster.store.get('builds', 'osbs', name)?.status?.phase as string | undefined
const waitPhase = (name: string, p: string) => eventually(() => phase(name) === p, 10000)
async function newBC(name: string, runPolicy?: string) {
  const r = await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody(name, { runPolicy }) })
  expect(r.status).toBe(201)
}
async function start(bc: string): Promise<string> {
  const r = await call(cluster, 'POST', `${B}/buildconfigs/${bc}/instantiate`, { body: { kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name: bc } } })
  expect(r.status).toBe(201)
  return r.body.metadata.name
}
/** The controller has handled every change so far (queued builds stay queued from here on). */
const settle = () => cluster.settled()
/** Fake timers that fake only Date: the test sets the clock, everything else runs for real. */
const fakeDate = (now: number) =>
  jest.useFakeTimers({ now, doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] })

describe('runPolicy', () => {
  it('SerialLatestOnly: start #1, wait until Running, start #2 and #3: #2 is Cancelled and #3 runs after #1', async () => {
    await newBC('slo', 'SerialLatestOnly')
    const b1 = await start('slo')
    await waitPhase(b1, 'Running')
    const b2 = await start('slo')
    const b3 = await start('slo')
    await waitPhase(b2, 'Cancelled')
    const c2 = cluster.store.get('builds', 'osbs', b2)!
    expect(c2.status).toMatchObject({ phase: 'Cancelled', cancelled: true, reason: 'CancelledBuild', message: 'The build was cancelled by the user.' })
    expect(c2.metadata.labels!['openshift.io/build.start-policy']).toBe('SerialLatestOnly')
    await settle()
    expect(phase(b1)).toBe('Running')
    expect(phase(b3)).toBe('New')
    pods.finish(b1)
    await waitPhase(b1, 'Complete')
    await waitPhase(b3, 'Running')
    expect(pods.started.filter((n) => n.startsWith('slo-'))).toEqual([b1, b3])
    pods.finish(b3)
    await waitPhase(b3, 'Complete')
  })

  it('Serial: builds run one at a time in creation order', async () => {
    await newBC('ser')
    const [a, b, c] = [await start('ser'), await start('ser'), await start('ser')]
    await waitPhase(a, 'Running')
    await settle()
    expect([phase(b), phase(c)]).toEqual(['New', 'New'])
    pods.finish(a, { success: false, reason: 'GenericBuildFailed', message: 'Generic Build failure - check logs for details.' })
    await waitPhase(a, 'Failed')
    await waitPhase(b, 'Running')
    expect(phase(c)).toBe('New')
    pods.finish(b)
    await waitPhase(c, 'Running')
    pods.finish(c)
    await waitPhase(c, 'Complete')
    expect(pods.started.filter((n) => n.startsWith('ser-'))).toEqual([a, b, c])
  })

  it('Parallel: builds run together', async () => {
    await newBC('par', 'Parallel')
    const names = [await start('par'), await start('par'), await start('par')]
    for (const n of names) await waitPhase(n, 'Running')
    for (const n of names) pods.finish(n)
    for (const n of names) await waitPhase(n, 'Complete')
  })
})

describe('phases', () => {
  it('New → Pending → Running → Complete with pod name, timestamps and a duration in nanoseconds', async () => {
    await newBC('ph')
    const w = new Stream(cluster, `${B}/builds?watch=true&fieldSelector=metadata.name%3Dph-1&resourceVersion=${cluster.store.resourceVersion}`)
    await w.ready
    const name = await start('ph')
    await waitPhase(name, 'Running')
    const host = await pods.waitStarted(name)
    host.log('step one')
    // the build ends 2.5 s after its start: the clock (Date only) is moved, not waited for
    const started = Date.parse(cluster.store.get('builds', 'osbs', name)!.status.startTimestamp)
    fakeDate(started + 2500)
    try {
      pods.finish(name, { success: true, outputDockerImageReference: 'registry.example.com/user/ph:1', imageDigest: 'sha256:' + 'b'.repeat(64) })
      await waitPhase(name, 'Complete')
    } finally {
      jest.useRealTimers()
    }
    expect(await w.until((l) => l.some((x) => x.includes('"Complete"')))).toBe(true)
    w.close()
    const seen = w
      .events()
      .map((e) => e.object.status.phase)
      .filter((p, i, a) => a[i - 1] !== p)
    const b = cluster.store.get('builds', 'osbs', name)!
    expect(seen).toEqual(['New', 'Pending', 'Running', 'Complete'])
    expect(b.metadata.annotations!['openshift.io/build.pod-name']).toBe(`${name}-build`)
    expect(b.status.startTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(b.status.completionTimestamp).toBe(new Date(started + 2000).toISOString().replace('.000Z', 'Z'))
    expect(b.status.duration).toBe(2_500_000_000)
    expect(b.status.outputDockerImageReference).toBe('registry.example.com/user/ph:1')
    expect(b.status.output).toEqual({ to: { imageDigest: 'sha256:' + 'b'.repeat(64) } })
    expect(b.status.reason).toBeUndefined()
  })

  it('a failed pod: Failed with reason, message and a log snippet', async () => {
    await newBC('fail')
    const name = await start('fail')
    const host = await pods.waitStarted(name)
    host.log('ERROR - plugin x failed')
    pods.finish(name, { success: false, reason: 'GenericBuildFailed', message: 'Generic Build failure - check logs for details.' })
    await waitPhase(name, 'Failed')
    const b = cluster.store.get('builds', 'osbs', name)!
    expect(b.status).toMatchObject({ reason: 'GenericBuildFailed', message: 'Generic Build failure - check logs for details.', logSnippet: 'ERROR - plugin x failed' })
  })

  it('a pod that throws ends the build in Error', async () => {
    const c = await startCluster({
      port: 0,
      reactor: async () => {
        throw new Error('boom')
      }
    })
    try {
      await call(c, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('err') })
      await call(c, 'POST', `${B}/buildconfigs/err/instantiate`, { body: { metadata: { name: 'err' } } })
      await eventually(() => c.store.get('builds', 'osbs', 'err-1')?.status?.phase === 'Error')
    } finally {
      await c.close()
    }
  })
})

describe('cancellation', () => {
  it('PATCH status.cancelled on a Running build: Cancelled/CancelledBuild, the pod is aborted', async () => {
    await newBC('can')
    const name = await start('can')
    const host = await pods.waitStarted(name)
    const r = await call(cluster, 'PATCH', `${B}/builds/${name}`, { body: { status: { cancelled: true } }, contentType: 'application/merge-patch+json' })
    expect(r.status).toBe(200)
    await waitPhase(name, 'Cancelled')
    expect(host.signal.aborted).toBe(true)
    const b = cluster.store.get('builds', 'osbs', name)!
    expect(b.status).toMatchObject({ phase: 'Cancelled', reason: 'CancelledBuild', message: 'The build was cancelled by the user.', cancelled: true })
    expect(b.status.completionTimestamp).toBeDefined()
    expect(typeof b.status.duration).toBe('number')
    // terminal: cancelling again is accepted and changes nothing; moving the phase is rejected
    const again = await call(cluster, 'PATCH', `${B}/builds/${name}`, { body: { status: { cancelled: true } }, contentType: 'application/merge-patch+json' })
    expect(again.status).toBe(200)
    expect(again.body.status).toEqual(b.status)
    const back = await call(cluster, 'PATCH', `${B}/builds/${name}`, { body: { status: { phase: 'Running' } }, contentType: 'application/merge-patch+json' })
    expect(back.status).toBe(422)
  })

  it('GET + PUT with status.cancelled on a New build (as oc cancel-build does); the next build then runs', async () => {
    await newBC('can2')
    const a = await start('can2')
    await pods.waitStarted(a)
    const b = await start('can2')
    const cur = (await call(cluster, 'GET', `${B}/builds/${b}`)).body
    expect(cur.status.phase).toBe('New')
    cur.status.cancelled = true
    const put = await call(cluster, 'PUT', `${B}/builds/${b}`, { body: cur })
    expect(put.status).toBe(200)
    await waitPhase(b, 'Cancelled')
    expect(cluster.store.get('builds', 'osbs', b)!.status.startTimestamp).toBeDefined()
    pods.finish(a)
    await waitPhase(a, 'Complete')
    await settle()
    expect(pods.started).not.toContain(b)
  })
})

describe('ReactorHost', () => {
  it('merges BuildConfig labels (retrying an injected 409), replaces build annotations, and imports images', async () => {
    await newBC('host')
    const name = await start('host')
    const host = await pods.waitStarted(name)
    expect(host.getBuildConfig()!.metadata.name).toBe('host')
    const conflict = cluster.faults.respond({ method: 'PUT', path: '/buildconfigs/host' }, 409, { count: 2 })
    host.mergeBuildConfigLabels({ is_autorebuild: 'true' })
    expect(conflict.hits).toBe(2)
    const bc = cluster.store.get('buildconfigs', 'osbs', 'host')!
    expect(bc.metadata.labels).toMatchObject({ is_autorebuild: 'true', 'git-repo-name': 'app' })
    host.setBuildAnnotations({ 'image-id': 'sha256:1' })
    host.setBuildAnnotations({ digests: '[]' })
    const b = cluster.store.get('builds', 'osbs', name)!
    // a replace, as osbs-client's set_annotations_on_build does: OpenShift's own annotations go too
    expect(b.metadata.annotations).toEqual({ digests: '[]' })
    expect(b.metadata.labels).toMatchObject({ buildconfig: 'host' })
    host.importImage('user-host', 'registry.example.com/user/host', [
      { tag: 'latest', image: 'sha256:' + 'c'.repeat(64), dockerImageReference: 'registry.example.com/user/host@sha256:' + 'c'.repeat(64) }
    ])
    const is = cluster.store.get('imagestreams', 'osbs', 'user-host')!
    expect(is.spec.dockerImageRepository).toBe('registry.example.com/user/host')
    expect(is.status.tags[0]).toMatchObject({ tag: 'latest', items: [{ image: 'sha256:' + 'c'.repeat(64) }] })
    expect(host.pluginFault('tag_and_push')).toBeUndefined()
    cluster.faults.failPlugin('tag_and_push', 'push failed', { build: name })
    expect(host.pluginFault('tag_and_push')).toBe('push failed')
    pods.finish(name)
    await waitPhase(name, 'Complete')
  })

  it('pace() rejects once the build is cancelled', async () => {
    await newBC('pace')
    const name = await start('pace')
    const host = await pods.waitStarted(name)
    await host.pace()
    await call(cluster, 'PATCH', `${B}/builds/${name}`, { body: { status: { cancelled: true } }, contentType: 'application/merge-patch+json' })
    await waitPhase(name, 'Cancelled')
    await expect(host.pace()).rejects.toBeDefined()
  })
})

describe('history limits', () => {
  it('prunes the oldest successful builds beyond successfulBuildsHistoryLimit', async () => {
    const body = buildConfigBody('prune', { runPolicy: 'Parallel' })
    body.spec.successfulBuildsHistoryLimit = 2
    await call(cluster, 'POST', `${B}/buildconfigs`, { body })
    const names = [await start('prune'), await start('prune'), await start('prune')]
    for (const n of names) await pods.waitStarted(n)
    for (const n of names) pods.finish(n)
    await eventually(() => !cluster.store.get('builds', 'osbs', names[0]!))
    await waitPhase(names[2]!, 'Complete')
    expect(phase(names[1]!)).toBe('Complete')
  })
})
