/** Watch streams: initial ADDED set, MODIFIED/DELETED, resume from a resourceVersion, 410 Expired, timeoutSeconds. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { startCluster, type Cluster } from '../src/index.js'
import { buildConfigBody, call, failure, Stream } from '../testing/client.js'
import { Store } from '../src/storage/store.js'
import { serveWatch } from '../src/apiserver/watch.js'

let cluster: Cluster
const B = '/apis/build.openshift.io/v1/namespaces/osbs'

beforeAll(async () => {
  cluster = await startCluster({ port: 0, watchHistory: 20, reactor: () => new Promise(() => {}) })
  for (const n of ['w-a', 'w-b']) await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody(n, { labels: { group: 'one' } }) })
})
afterAll(async () => {
  await cluster.close()
})

const patchLabels = (name: string, labels: Record<string, string | null>) =>
  call(cluster, 'PATCH', `${B}/buildconfigs/${name}`, { body: { metadata: { labels } }, contentType: 'application/merge-patch+json' })

describe('watch', () => {
  it('starts with ADDED for the current objects, then streams changes in order', async () => {
    const w = new Stream(cluster, `${B}/buildconfigs?watch=true&labelSelector=group%3Done`)
    await w.ready
    expect(w.status).toBe(200)
    expect(await w.until((l) => l.length >= 2)).toBe(true)
    expect(w.events().map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'w-a'],
      ['ADDED', 'w-b']
    ])
    expect(w.events()[0]!.object.kind).toBe('BuildConfig')
    expect(w.events()[0]!.object.apiVersion).toBe('build.openshift.io/v1')
    await patchLabels('w-a', { x: '1' })
    // leaving the selector is a DELETED for this watcher, entering it an ADDED
    await patchLabels('w-b', { group: 'two' })
    await patchLabels('w-b', { group: 'one' })
    await call(cluster, 'DELETE', `${B}/buildconfigs/w-b`)
    expect(await w.until((l) => l.length >= 6)).toBe(true)
    expect(
      w
        .events()
        .slice(2)
        .map((e) => [e.type, e.object.metadata.name])
    ).toEqual([
      ['MODIFIED', 'w-a'],
      ['DELETED', 'w-b'],
      ['ADDED', 'w-b'],
      ['DELETED', 'w-b']
    ])
    const rvs = w
      .events()
      .slice(2)
      .map((e) => Number(e.object.metadata.resourceVersion))
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b))
    w.close()
  })

  it('from a resourceVersion: only the changes after it, no initial ADDED', async () => {
    const list = await call(cluster, 'GET', `${B}/buildconfigs`)
    const rv = list.body.metadata.resourceVersion
    await patchLabels('w-a', { y: '2' })
    const w = new Stream(cluster, `${B}/buildconfigs?watch=1&resourceVersion=${rv}`)
    expect(await w.until((l) => l.length >= 1)).toBe(true)
    expect(w.events().map((e) => [e.type, e.object.metadata.name, e.object.metadata.labels.y])).toEqual([['MODIFIED', 'w-a', '2']])
    w.close()
  })

  it('the /watch/ prefix with a name watches one object; legacy /oapi objects carry apiVersion v1', async () => {
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('w-c') })
    const w = new Stream(cluster, `/oapi/v1/watch/namespaces/osbs/buildconfigs/w-c`)
    expect(await w.until((l) => l.length >= 1)).toBe(true)
    await patchLabels('w-a', { z: '1' })
    await patchLabels('w-c', { z: '1' })
    expect(await w.until((l) => l.length >= 2)).toBe(true)
    expect(w.events().map((e) => [e.type, e.object.metadata.name, e.object.apiVersion])).toEqual([
      ['ADDED', 'w-c', 'v1'],
      ['MODIFIED', 'w-c', 'v1']
    ])
    w.close()
  })

  it('a field selector on builds (metadata.name) filters the stream', async () => {
    await call(cluster, 'POST', `${B}/buildconfigs/w-c/instantiate`, { body: { metadata: { name: 'w-c' } } })
    await call(cluster, 'POST', `${B}/buildconfigs/w-c/instantiate`, { body: { metadata: { name: 'w-c' } } })
    const w = new Stream(cluster, `${B}/builds?watch=true&fieldSelector=metadata.name%3Dw-c-2`)
    expect(await w.until((l) => l.length >= 1)).toBe(true)
    expect(w.events().every((e) => e.object.metadata.name === 'w-c-2')).toBe(true)
    w.close()
  })

  it('a resourceVersion older than the kept history gets an ERROR event with a 410 Expired Status', async () => {
    const old = (await call(cluster, 'GET', `${B}/buildconfigs`)).body.metadata.resourceVersion
    for (let i = 0; i < 25; i++) await patchLabels('w-a', { n: String(i) })
    const w = new Stream(cluster, `${B}/buildconfigs?watch=true&resourceVersion=${old}`)
    expect(await w.end()).toBe(true)
    expect(w.status).toBe(200)
    const [e] = w.events()
    expect(e!.type).toBe('ERROR')
    // 3.11: resources read from etcd (all but pods, which go through the watch cache) say it so
    expect(e!.object).toEqual(failure(410, 'Expired', 'The resourceVersion for the provided watch is too old.'))
  })

  it('POST /_emulator/compact expires every earlier resourceVersion', async () => {
    const rv = (await call(cluster, 'GET', `${B}/buildconfigs`)).body.metadata.resourceVersion
    expect((await call(cluster, 'POST', '/_emulator/compact')).status).toBe(200)
    const w = new Stream(cluster, `${B}/buildconfigs?watch=true&resourceVersion=${Number(rv) - 1}`)
    expect(await w.end()).toBe(true)
    expect(w.events()[0]).toMatchObject({ type: 'ERROR', object: { code: 410 } })
    // from the current revision on, watching works again
    const ok = new Stream(cluster, `${B}/buildconfigs?watch=true&resourceVersion=${rv}`)
    await patchLabels('w-a', { after: 'compact' })
    expect(await ok.until((l) => l.length >= 1)).toBe(true)
    expect(ok.events()[0]!.type).toBe('MODIFIED')
    ok.close()
  })

  it('ends the stream after timeoutSeconds', async () => {
    const started = Date.now()
    const w = new Stream(cluster, `${B}/buildconfigs?watch=true&timeoutSeconds=1&resourceVersion=${(await call(cluster, 'GET', `${B}/buildconfigs`)).body.metadata.resourceVersion}`)
    expect(await w.end(5000)).toBe(true)
    expect(w.aborted).toBe(false)
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(w.lines).toEqual([])
  })

  it('an injected 410 on a watch is an ERROR event; a cut watch drops the connection mid-stream', async () => {
    cluster.faults.respond({ method: 'GET', path: '/buildconfigs', query: { watch: 'true' } }, 410)
    const w = new Stream(cluster, `${B}/buildconfigs?watch=true`)
    expect(await w.end()).toBe(true)
    expect(w.events()).toEqual([{ type: 'ERROR', object: expect.objectContaining({ reason: 'Expired', code: 410 }) }])

    cluster.faults.cutStream({ path: '/buildconfigs', query: { watch: 'true' } }, 100)
    const cut = new Stream(cluster, `${B}/buildconfigs?watch=true`)
    expect(await cut.end()).toBe(true)
    expect(cut.lines.join('\n').length).toBeLessThanOrEqual(100)
    expect(cut.aborted).toBe(true)
  })

  it('a quiet watch stays open and delivers the first matching change', async () => {
    const w = new Stream(cluster, `${B}/buildconfigs?watch=true&timeoutSeconds=2&labelSelector=none%3Dnone`)
    await w.ready
    // a change that does not match: the server has passed it to the watch by the time the PATCH answers
    await patchLabels('w-a', { other: 'x' })
    expect(w.ended).toBe(false)
    await patchLabels('w-a', { none: 'none' })
    expect(await w.until((l) => l.length >= 1)).toBe(true)
    expect(w.events()[0]!.type).toBe('ADDED')
    w.close()
  })
})

describe('a watcher that does not read', () => {
  it('is ended once its backlog passes the limit; the server does not buffer without bound', async () => {
    const store = new Store(10)
    store.create('buildconfigs', { apiVersion: 'build.openshift.io/v1', kind: 'BuildConfig', metadata: { name: 'slow', namespace: 'osbs' }, spec: {} })
    let ended = false
    let maxBuffered = 0
    const server = http.createServer((req, res) => {
      serveWatch(res, store, { plural: 'buildconfigs', namespace: 'osbs', match: () => true, present: (o) => o, maxSeconds: 60, maxBacklog: 50, onEnd: () => (ended = true) })
      const sample = setInterval(() => (maxBuffered = Math.max(maxBuffered, res.writableLength)), 1)
      res.on('close', () => clearInterval(sample))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const port = (server.address() as AddressInfo).port
      const response = await new Promise<http.IncomingMessage>((r) => http.get({ port, host: '127.0.0.1', path: '/' }, r))
      response.pause()
      // 64 kB per change, 2000 changes: 128 MB if it were all kept
      const big = 'x'.repeat(64 * 1024)
      for (let i = 0; i < 2000 && !ended; i++) {
        store.modify('buildconfigs', 'osbs', 'slow', (o) => {
          o.metadata.annotations = { big, n: String(i) }
          return o
        })
        if (i % 50 === 0) await new Promise((r) => setImmediate(r))
      }
      // the stream ends cleanly after what was written: complete lines, the initial ADDED first
      const chunks: Buffer[] = []
      response.on('data', (c: Buffer) => chunks.push(c))
      response.resume()
      await new Promise((r) => response.on('end', r))
      const lines = Buffer.concat(chunks)
        .toString()
        .split('\n')
        .filter((l) => l !== '')
      const events = lines.map((l) => JSON.parse(l))
      expect(events[0].type).toBe('ADDED')
      expect(events.length).toBeGreaterThan(1)
      expect(events.length).toBeLessThan(2001)
      expect(ended).toBe(true)
      // bounded by the backlog (50 changes of 64 kB), not by the 2000 changes
      expect(maxBuffered).toBeLessThan(20 * 1024 * 1024)
    } finally {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    }
  }, 30000)
})
