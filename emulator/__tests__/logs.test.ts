/** GET builds/<name>/log, OpenShift 3.x flavour (SPEC §9.3, openshift-api.md §3.6). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../src/index.js'
import { buildConfigBody, call, eventually, failure, ManualReactor, Stream } from '../testing/client.js'

let cluster: Cluster
const pods = new ManualReactor()
const B = '/apis/build.openshift.io/v1/namespaces/osbs'
const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /

beforeAll(async () => {
  cluster = await startCluster({ port: 0, reactor: pods.reactor, podStartDelay: 1, logWaitSeconds: 0.3 })
})
afterAll(async () => {
  await cluster.close()
})

async function start(bc: string): Promise<string> {
  if (!cluster.store.get('buildconfigs', 'osbs', bc)) await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody(bc) })
  const r = await call(cluster, 'POST', `${B}/buildconfigs/${bc}/instantiate`, { body: { metadata: { name: bc } } })
  expect(r.status).toBe(201)
  return r.body.metadata.name
}
const waitPhase = (name: string, p: string) => eventually(() => cluster.store.get('builds', 'osbs', name)?.status?.phase === p)

describe('before the build runs', () => {
  it("waits, then answers 3.11's 400 (its wait's timeout); nowait answers 204", async () => {
    const running = await start('lw')
    await pods.waitStarted(running)
    const queued = await start('lw')
    const started = Date.now()
    const r = await call(cluster, 'GET', `${B}/builds/${queued}/log?follow=true`)
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
    expect(r.status).toBe(400)
    expect(r.headers['retry-after']).toBeUndefined()
    expect(r.body).toEqual(failure(400, 'BadRequest', `unable to wait for build ${queued} to run: timed out waiting for the condition`))
    const nowait = await call(cluster, 'GET', `${B}/builds/${queued}/log?nowait=true`)
    expect([nowait.status, nowait.headers['content-type'], nowait.text]).toEqual([204, undefined, ''])
    pods.finish(running)
    await waitPhase(queued, 'Running')
    pods.finish(queued)
    await waitPhase(queued, 'Complete')
  })

  it('a request waiting for a build that starts meanwhile streams its log', async () => {
    const a = await start('lw2')
    await pods.waitStarted(a)
    const b = await start('lw2')
    const c = await followBeforeStart(b)
    pods.finish(a)
    const host = await pods.waitStarted(b)
    host.log('hello from b')
    pods.finish(b)
    expect(await c.end()).toBe(true)
    expect(c.status).toBe(200)
    expect(c.lines).toEqual(['hello from b'])
  })

  it('400 for a cancelled build, also when it is cancelled while the request waits', async () => {
    const a = await start('lc')
    await pods.waitStarted(a)
    const b = await start('lc')
    const waiting = call(cluster, 'GET', `${B}/builds/${b}/log?follow=true`)
    await new Promise((r) => setTimeout(r, 50))
    await call(cluster, 'PATCH', `${B}/builds/${b}`, { body: { status: { cancelled: true } }, contentType: 'application/merge-patch+json' })
    const w = await waiting
    expect(w.status).toBe(400)
    expect(w.body).toEqual(failure(400, 'BadRequest', `build ${b} was cancelled: No logs are available.`))
    const after = await call(cluster, 'GET', `${B}/builds/${b}/log`)
    expect(after.status).toBe(400)
    expect(after.body.message).toBe(`build ${b} was cancelled. No logs are available.`)
    pods.finish(a)
    await waitPhase(a, 'Complete')
  })

  it('400 for a build deleted while the request waits, as 3.11', async () => {
    const a = await start('ld')
    await pods.waitStarted(a)
    const b = await start('ld')
    const logPath = `${B}/builds/${b}/log?follow=true`
    const waiting = call(cluster, 'GET', logPath)
    await eventually(() => cluster.requests.list().some((e) => e.url === logPath))
    expect((await call(cluster, 'DELETE', `${B}/builds/${b}`)).status).toBe(200)
    expect((await waiting).body).toEqual(failure(400, 'BadRequest', `unable to wait for build ${b} to run: build was deleted`))
    pods.finish(a)
    await waitPhase(a, 'Complete')
  })

  it('200 and an empty body for a build that ended without its pod ever running', async () => {
    const a = await start('le')
    await pods.waitStarted(a)
    const b = await start('le')
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    const ended = await call(cluster, 'PATCH', `${B}/builds/${b}`, {
      body: { status: { phase: 'Failed', startTimestamp: now, completionTimestamp: now, duration: 1e9 } },
      contentType: 'application/merge-patch+json'
    })
    expect([ended.status, ended.body.status.phase]).toEqual([200, 'Failed'])
    for (const query of ['', '?follow=true']) {
      const r = await call(cluster, 'GET', `${B}/builds/${b}/log${query}`)
      expect([r.status, r.headers['content-type'], r.text]).toEqual([200, 'text/plain', ''])
    }
    pods.finish(a)
    await waitPhase(a, 'Complete')
  })

  it('404 for a build that does not exist', async () => {
    const r = await call(cluster, 'GET', `${B}/builds/nope-1/log`)
    expect(r.status).toBe(404)
    expect(r.body.message).toBe('builds.build.openshift.io "nope-1" not found')
  })
})

/** A followed log request started before the build runs. */
async function followBeforeStart(build: string): Promise<Stream> {
  const s = new Stream(cluster, `${B}/builds/${build}/log?follow=true`)
  await new Promise((r) => setTimeout(r, 30))
  return s
}

describe('following', () => {
  it('streams lines as they are written and ends (EOF) when the build ends; the Build is terminal by then', async () => {
    const name = await start('lf')
    const host = await pods.waitStarted(name)
    host.log('line 1')
    const s = new Stream(cluster, `${B}/builds/${name}/log?follow=true`)
    expect(await s.until((l) => l.length >= 1)).toBe(true)
    expect(s.lines).toEqual(['line 1'])
    host.log('line 2 — ünïcödé')
    expect(await s.until((l) => l.length >= 2)).toBe(true)
    expect(s.ended).toBe(false)
    host.log('line 3')
    pods.finish(name)
    expect(await s.end()).toBe(true)
    expect(s.aborted).toBe(false)
    expect(s.lines).toEqual(['line 1', 'line 2 — ünïcödé', 'line 3'])
    expect(cluster.store.get('builds', 'osbs', name)!.status.phase).toBe('Complete')
  })

  it('timestamps=true prefixes RFC3339Nano times; sinceTime resumes from a time; tailLines and limitBytes cut', async () => {
    const name = await start('lt')
    const host = await pods.waitStarted(name)
    for (let i = 1; i <= 5000; i++) host.log(`line ${i}`)
    pods.finish(name)
    await waitPhase(name, 'Complete')
    const all = await call(cluster, 'GET', `${B}/builds/${name}/log?timestamps=true`)
    expect(all.status).toBe(200)
    const lines = all.text.trimEnd().split('\n')
    expect(lines).toHaveLength(5000)
    expect(lines.every((l) => TS.test(l))).toBe(true)
    const times = lines.map((l) => l.slice(0, l.indexOf(' ')))
    expect([...times].sort()).toEqual(times)
    expect(new Set(times).size).toBe(5000)
    // resume after line 3000 as a client does after a dropped stream
    const since = times[3000]!
    const resumed = await call(cluster, 'GET', `${B}/builds/${name}/log?timestamps=true&sinceTime=${encodeURIComponent(since)}`)
    const rl = resumed.text.trimEnd().split('\n')
    expect(rl).toHaveLength(2000)
    expect(rl[0]).toBe(lines[3000])
    const tail = await call(cluster, 'GET', `${B}/builds/${name}/log?tailLines=3`)
    expect(tail.text).toBe('line 4998\nline 4999\nline 5000\n')
    const limited = await call(cluster, 'GET', `${B}/builds/${name}/log?limitBytes=12`)
    expect(limited.text).toBe('line 1\nline ')
    const seconds = await call(cluster, 'GET', `${B}/builds/${name}/log?sinceSeconds=3600`)
    expect(seconds.text.split('\n')).toHaveLength(5001)
  })

  it('previous=true serves the log of the build before', async () => {
    const a = await start('lprev')
    ;(await pods.waitStarted(a)).log('from the first build')
    pods.finish(a)
    await waitPhase(a, 'Complete')
    const b = await start('lprev')
    ;(await pods.waitStarted(b)).log('from the second build')
    pods.finish(b)
    await waitPhase(b, 'Complete')
    expect((await call(cluster, 'GET', `${B}/builds/${b}/log?previous=true`)).text).toBe('from the first build\n')
    expect((await call(cluster, 'GET', `${B}/builds/${a}/log?previous=true`)).status).toBe(404)
  })

  it('rejects invalid log options with 422 BuildLogOptions / 400', async () => {
    const name = await start('lo')
    await pods.waitStarted(name)
    const both = await call(cluster, 'GET', `${B}/builds/${name}/log?sinceSeconds=5&sinceTime=2020-01-01T00:00:00Z`)
    expect(both.status).toBe(422)
    expect(both.body.details.kind).toBe('BuildLogOptions')
    expect((await call(cluster, 'GET', `${B}/builds/${name}/log?tailLines=-1`)).status).toBe(422)
    expect((await call(cluster, 'GET', `${B}/builds/${name}/log?sinceTime=yesterday`)).status).toBe(400)
    pods.finish(name)
  })

  it('a stream cut after N bytes drops the connection; resuming with sinceTime loses no line and repeats none', async () => {
    const name = await start('lcut')
    const host = await pods.waitStarted(name)
    for (let i = 1; i <= 200; i++) host.log(`line ${i}`)
    cluster.faults.cutStream({ path: `/builds/${name}/log` }, 2000)
    const first = new Stream(cluster, `${B}/builds/${name}/log?follow=true&timestamps=true`)
    expect(await first.end()).toBe(true)
    expect(first.aborted).toBe(true)
    const got = first.lines.filter((l) => TS.test(l) && l.includes('line '))
    const complete = got.filter((l) => /line \d+$/.test(l))
    // the last line may be partial: resume from the last complete one and skip what was printed
    const last = complete[complete.length - 2]!
    const since = last.slice(0, last.indexOf(' '))
    for (let i = 201; i <= 250; i++) host.log(`line ${i}`)
    pods.finish(name)
    const second = new Stream(cluster, `${B}/builds/${name}/log?follow=true&timestamps=true&sinceTime=${encodeURIComponent(since)}`)
    expect(await second.end()).toBe(true)
    const printed = new Set<string>()
    const out: string[] = []
    for (const l of [...complete.slice(0, -1), ...second.lines]) {
      if (printed.has(l)) continue
      printed.add(l)
      out.push(l.slice(l.indexOf(' ') + 1))
    }
    expect(out).toEqual(Array.from({ length: 250 }, (_, i) => `line ${i + 1}`))
  })
})
