/**
 * The emulator's objects against responses recorded from a real OpenShift 3.9 server (__fixtures__/openshift/recorded-3.9):
 * every field the real object has, and the emulator's object should have, exists with the same JSON type.
 *
 * Not compared, and why:
 * - labels and annotations other than the server's own (`buildconfig`, `openshift.io/build-config.name`, …):
 *   they were set by the recording's client or atomic-reactor, not by the server;
 * - fields of the recorded "BuildConfig" that are not BuildConfig fields (that recording is a Build under a
 *   BuildConfig kind): only paths of `v1.BuildConfig` in OpenShift's OpenAPI are compared;
 * - `null` against a value: Go writes a nil map/slice as null (the same records disagree among themselves).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readOpenShiftJson } from '../../__fixtures__/openshift-data.js'
import { startCluster, type Cluster } from '../src/index.js'
import { call, eventually, jsonPaths, ManualReactor, Stream, swaggerSchemaAt, type SwaggerDefs } from '../testing/client.js'

const recorded = (f: string) => readOpenShiftJson('recorded-3.9', f)
const defs37: SwaggerDefs = readOpenShiftJson('openapi-3.7-build-image.json').definitions

const SERVER_LABELS = ['buildconfig', 'openshift.io/build-config.name', 'openshift.io/build.start-policy']
const SERVER_ANNOTATIONS = ['openshift.io/build-config.name', 'openshift.io/build.number', 'openshift.io/build.pod-name']

function clientMetadata(path: string): boolean {
  const m = /(^|\.)metadata\.(labels|annotations)\.(.+)$/.exec(path)
  if (!m) return false
  return !(m[2] === 'labels' ? SERVER_LABELS : SERVER_ANNOTATIONS).includes(m[3]!)
}

/** Paths of `real` missing in `ours` or of another type; `skip` leaves paths out. */
function differences(real: unknown, ours: unknown, skip: (p: string) => boolean = () => false): string[] {
  const want = jsonPaths(real)
  const have = jsonPaths(ours)
  const out: string[] = []
  for (const [path, types] of want) {
    if (clientMetadata(path) || skip(path)) continue
    const got = have.get(path)
    if (!got) {
      out.push(`missing ${path} (${[...types].join('|')})`)
      continue
    }
    const a = [...types].filter((t) => t !== 'null')
    const b = [...got].filter((t) => t !== 'null')
    if (a.length && b.length && !a.some((t) => b.includes(t))) out.push(`${path}: ${[...types].join('|')} recorded, ${[...got].join('|')} served`)
  }
  return out
}

let cluster: Cluster
const pods = new ManualReactor()
const B = '/apis/build.openshift.io/v1/namespaces/osbs'
let bcBody: any
const served: Record<string, any> = {}

beforeAll(async () => {
  cluster = await startCluster({ port: 0, reactor: pods.reactor, podStartDelay: 1 })
  // A BuildConfig made of the recorded BuildConfig's spec (its BuildConfigSpec fields) and labels.
  const rec = recorded('created_build_config_test-build-config-123.json')
  const spec: any = {}
  for (const k of Object.keys(rec.spec)) if (swaggerSchemaAt(defs37, 'v1.BuildConfigSpec', k)) spec[k] = rec.spec[k]
  spec.triggers = [{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'fedora:latest' } } }]
  bcBody = { kind: 'BuildConfig', apiVersion: 'build.openshift.io/v1', metadata: { name: 'rec', labels: rec.metadata.labels, annotations: { from: rec.metadata.annotations.from } }, spec }
  expect((await call(cluster, 'POST', `${B}/buildconfigs`, { body: bcBody })).status).toBe(201)
  served.bc = (await call(cluster, 'GET', `${B}/buildconfigs/rec`)).body

  const start = async () => (await call(cluster, 'POST', `${B}/buildconfigs/rec/instantiate`, { body: { kind: 'BuildRequest', metadata: { name: 'rec' } } })).body
  served.instantiated = await start()
  const watch = new Stream(cluster, `${B}/builds?watch=true&resourceVersion=${served.instantiated.metadata.resourceVersion}`)
  await watch.ready
  await pods.waitStarted('rec-1')
  served.running = (await call(cluster, 'GET', `${B}/builds/rec-1`)).body
  pods.finish('rec-1', { success: true, outputDockerImageReference: served.instantiated.spec.output.to.name })
  await eventually(() => cluster.store.get('builds', 'osbs', 'rec-1')?.status.phase === 'Complete')
  served.complete = (await call(cluster, 'GET', `${B}/builds/rec-1`)).body
  await watch.until((l) => l.some((x) => x.includes('"Complete"')))
  served.watchEvent = watch.events().find((e) => e.type === 'MODIFIED' && e.object.status.phase === 'Complete')
  watch.close()

  await start()
  const host = await pods.waitStarted('rec-2')
  host.log('Traceback (most recent call last):')
  pods.finish('rec-2', { success: false, reason: 'GenericBuildFailed', message: 'Generic Build failure - check logs for details.' })
  await eventually(() => cluster.store.get('builds', 'osbs', 'rec-2')?.status.phase === 'Failed')
  served.failed = (await call(cluster, 'GET', `${B}/builds/rec-2`)).body

  await start()
  await pods.waitStarted('rec-3')
  const cur = (await call(cluster, 'GET', `${B}/builds/rec-3`)).body
  cur.status.cancelled = true
  expect((await call(cluster, 'PUT', `${B}/builds/rec-3`, { body: cur })).status).toBe(200)
  await eventually(() => cluster.store.get('builds', 'osbs', 'rec-3')?.status.phase === 'Cancelled')
  served.cancelled = (await call(cluster, 'GET', `${B}/builds/rec-3`)).body
  served.list = (await call(cluster, 'GET', `${B}/builds`)).body

  const is = recorded('imagestream.json')
  const isBody = {
    kind: 'ImageStream',
    apiVersion: 'image.openshift.io/v1',
    metadata: { name: 'test-imagestream' },
    spec: { dockerImageRepository: 'example.com/prometheus/prometheus', tags: is.spec.tags.map((t: any) => ({ name: t.name, from: t.from })) }
  }
  const created = await call(cluster, 'POST', '/apis/image.openshift.io/v1/namespaces/osbs/imagestreams', { body: isBody })
  expect(created.status).toBe(201)
  served.imagestream = created.body
})
afterAll(async () => {
  await cluster.close()
})

describe('objects served like OpenShift 3.9 serves them', () => {
  it('BuildConfig', () => {
    const rec = recorded('created_build_config_test-build-config-123.json')
    expect(differences(rec, served.bc, (p) => !swaggerSchemaAt(defs37, 'v1.BuildConfig', p))).toEqual([])
  })

  it('Build as instantiate answers it (New)', () => {
    expect(differences(recorded('instantiated_test-build-config-123.json'), served.instantiated)).toEqual([])
  })

  it('Build while Running, Complete and Cancelled', () => {
    expect(differences(recorded('build_test-build-cancel-123_get.json'), served.running)).toEqual([])
    // the recording of a Complete build carries a failure reason; a Complete build has none
    const noFailure = (p: string) => p === 'status.reason' || p === 'status.message'
    expect(differences(recorded('build_test-build-123.json'), served.complete, noFailure)).toEqual([])
    expect(differences(recorded('build_test-orchestrator-build-123.json'), served.complete, noFailure)).toEqual([])
    expect(differences(recorded('build_test-build-cancel-123_put.json'), served.cancelled)).toEqual([])
  })

  it('BuildList (builds of every phase, including a Failed one with its log snippet)', () => {
    expect(served.list.items.map((b: any) => b.status.phase).sort()).toEqual(['Cancelled', 'Complete', 'Failed'])
    expect(differences(recorded('builds_list.json'), served.list)).toEqual([])
    expect(differences(recorded('builds_list_one.json'), served.list)).toEqual([])
    expect(differences(recorded('builds_list_empty.json'), served.list)).toEqual([])
  })

  it('watch event', () => {
    expect(served.watchEvent).toBeDefined()
    expect(differences(recorded('watch_build_test-build-123.json'), served.watchEvent, (p) => p === 'object.status.reason')).toEqual([])
    expect(differences(recorded('watch_build_test-orchestrator-build-123.json'), served.watchEvent, (p) => p === 'object.status.reason')).toEqual([])
  })

  it('ImageStream', () => {
    expect(differences(recorded('imagestream.json'), served.imagestream)).toEqual([])
  })

  it('the comparison notices a missing field and a wrong type', () => {
    const b = structuredClone(served.complete)
    delete b.status.duration
    b.status.startTimestamp = 12
    expect(differences(recorded('build_test-build-123.json'), b, (p) => p === 'status.reason')).toEqual(['missing status.duration (number)', 'status.startTimestamp: string recorded, number served'])
  })
})
