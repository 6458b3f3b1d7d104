/** Fault injection: each kind, from test code and over /_emulator/faults. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startCluster, type Cluster } from '../src/index.js'
import { buildConfigBody, call, eventually, makeGitRepo, Stream } from '../testing/client.js'

let cluster: Cluster
let repo: string
const B = '/apis/build.openshift.io/v1/namespaces/osbs'

const plugins = {
  client_version: 'test',
  prebuild_plugins: [{ name: 'add_labels_in_dockerfile', args: { labels: {} } }],
  prepublish_plugins: [],
  postbuild_plugins: [{ name: 'tag_by_labels' }],
  exit_plugins: [{ name: 'remove_built_image' }]
}

beforeAll(async () => {
  repo = makeGitRepo()
  // the real emulated atomic-reactor
  cluster = await startCluster({ port: 0, podStartDelay: 1 })
})
afterAll(async () => {
  await cluster.close()
  rmSync(fileURLToPath(repo), { recursive: true, force: true })
})

async function build(bc: string): Promise<string> {
  if (!cluster.store.get('buildconfigs', 'osbs', bc)) {
    expect((await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody(bc, { gitUri: repo, plugins }) })).status).toBe(201)
  }
  const r = await call(cluster, 'POST', `${B}/buildconfigs/${bc}/instantiate`, { body: { metadata: { name: bc } } })
  expect(r.status).toBe(201)
  return r.body.metadata.name
}
const terminal = (name: string) =>
  eventually(() => {
    const p = cluster.store.get('builds', 'osbs', name)?.status?.phase
    return ['Complete', 'Failed', 'Error', 'Cancelled'].includes(p) ? p : undefined
  }, 30000)

describe('plugin faults', () => {
  it('a build of the real emulated atomic-reactor completes without faults', async () => {
    const name = await build('fault-ok')
    expect(await terminal(name)).toBe('Complete')
  })

  it('a hold keeps the build pod Running until it is removed (from test code)', async () => {
    const hold = cluster.faults.holdBuild({ build: 'fault-hold-1' })
    const name = await build('fault-hold')
    expect(name).toBe('fault-hold-1')
    await eventually(() => hold.hits > 0)
    expect(cluster.store.get('builds', 'osbs', name)!.status.phase).toBe('Running')
    cluster.faults.remove(hold)
    expect(await terminal(name)).toBe('Complete')
  })

  it('a held build can be cancelled; over HTTP: kind hold, listed under holds', async () => {
    const r = await call(cluster, 'POST', '/_emulator/faults', { body: { kind: 'hold', build: 'fault-hold-2' } })
    expect(r.status).toBe(201)
    const name = await build('fault-hold')
    await eventually(() => cluster.faults.list().holds[0]!.hits > 0)
    expect((await call(cluster, 'GET', '/_emulator/faults')).body.holds).toEqual([{ id: r.body.id, build: 'fault-hold-2', hits: 1 }])
    const cur = (await call(cluster, 'GET', `${B}/builds/${name}`)).body
    expect((await call(cluster, 'PUT', `${B}/builds/${name}`, { body: { ...cur, status: { ...cur.status, cancelled: true } } })).status).toBe(200)
    expect(await terminal(name)).toBe('Cancelled')
    expect((await call(cluster, 'DELETE', `/_emulator/faults/${r.body.id}`)).status).toBe(200)
  })

  it('a failing plugin fails the build with its message in the log (from test code)', async () => {
    cluster.faults.failPlugin('tag_by_labels', 'injected: registry on fire', { count: 1 })
    const name = await build('fault-plugin')
    expect(await terminal(name)).toBe('Failed')
    const log = await call(cluster, 'GET', `${B}/builds/${name}/log`)
    expect(log.text).toContain('injected: registry on fire')
    expect(cluster.store.get('builds', 'osbs', name)!.status.reason).toBe('GenericBuildFailed')
    // the fault was used up: the next build completes
    expect(await terminal(await build('fault-plugin'))).toBe('Complete')
  })

  it('over HTTP: POST /_emulator/faults with kind plugin, only for one build', async () => {
    const r = await call(cluster, 'POST', '/_emulator/faults', { body: { kind: 'plugin', plugin: 'add_labels_in_dockerfile', message: 'labels exploded', build: 'fault-http-2' } })
    expect(r.status).toBe(201)
    expect(await terminal(await build('fault-http'))).toBe('Complete')
    const second = await build('fault-http')
    expect(second).toBe('fault-http-2')
    expect(await terminal(second)).toBe('Failed')
    expect((await call(cluster, 'GET', `${B}/builds/${second}/log`)).text).toContain('labels exploded')
    expect((await call(cluster, 'DELETE', '/_emulator/faults')).status).toBe(200)
  })
})

describe('request faults', () => {
  it('5xx on a chosen request: a 503 once, then served normally', async () => {
    const f = cluster.faults.respond({ method: 'GET', path: '/buildconfigs/fault-ok' }, 503)
    const first = await call(cluster, 'GET', `${B}/buildconfigs/fault-ok`)
    expect(first.status).toBe(503)
    expect(first.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'ServiceUnavailable', code: 503 })
    expect(f.hits).toBe(1)
    expect((await call(cluster, 'GET', `${B}/buildconfigs/fault-ok`)).status).toBe(200)
    // other requests are not affected
    cluster.faults.respond({ method: 'POST', path: /\/instantiate$/ }, 500, { count: 2 })
    expect((await call(cluster, 'GET', `${B}/buildconfigs/fault-ok`)).status).toBe(200)
    expect((await call(cluster, 'POST', `${B}/buildconfigs/fault-ok/instantiate`, { body: { metadata: { name: 'fault-ok' } } })).status).toBe(500)
    expect((await call(cluster, 'POST', `${B}/buildconfigs/fault-ok/instantiate`, { body: { metadata: { name: 'fault-ok' } } })).status).toBe(500)
    const ok = await call(cluster, 'POST', `${B}/buildconfigs/fault-ok/instantiate`, { body: { metadata: { name: 'fault-ok' } } })
    expect(ok.status).toBe(201)
    await terminal(ok.body.metadata.name)
  })

  it('429 carries Retry-After', async () => {
    cluster.faults.respond({ method: 'GET', path: '/buildconfigs/fault-ok' }, 429)
    const r = await call(cluster, 'GET', `${B}/buildconfigs/fault-ok`)
    expect(r.status).toBe(429)
    expect(r.headers['retry-after']).toBe('1')
    expect(r.body).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 1 }, code: 429 })
  })

  it('409 on a chosen request (HTTP endpoint), e.g. a PUT of a BuildConfig', async () => {
    const r = await call(cluster, 'POST', '/_emulator/faults', { body: { kind: 'status', method: 'PUT', path: '/buildconfigs/fault-ok', status: 409 } })
    expect(r.status).toBe(201)
    const listed = await call(cluster, 'GET', '/_emulator/faults')
    expect(listed.body.requests).toEqual([expect.objectContaining({ id: r.body.id, kind: 'status', status: 409 })])
    const cur = (await call(cluster, 'GET', `${B}/buildconfigs/fault-ok`)).body
    const put = await call(cluster, 'PUT', `${B}/buildconfigs/fault-ok`, { body: cur })
    expect(put.status).toBe(409)
    expect(put.body.reason).toBe('Conflict')
    expect((await call(cluster, 'PUT', `${B}/buildconfigs/fault-ok`, { body: cur })).status).toBe(200)
  })

  it('410 on a list request answers Expired; on a watch it is an ERROR event', async () => {
    cluster.faults.respond({ method: 'GET', path: '/builds', query: { labelSelector: 'x=y' } }, 410)
    const l = await call(cluster, 'GET', `${B}/builds?labelSelector=x%3Dy`)
    expect(l.status).toBe(410)
    expect(l.body.reason).toBe('Expired')
    await call(cluster, 'POST', '/_emulator/faults', { body: { kind: 'status', status: 410, path: '/builds', query: { watch: 'true' } } })
    const w = new Stream(cluster, `${B}/builds?watch=true`)
    expect(await w.end()).toBe(true)
    expect(w.events()[0]).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } })
  })

  it('a log stream cut after N bytes (HTTP endpoint)', async () => {
    const name = await build('fault-cut')
    await terminal(name)
    const full = await call(cluster, 'GET', `${B}/builds/${name}/log`)
    expect(full.text.length).toBeGreaterThan(300)
    await call(cluster, 'POST', '/_emulator/faults', { body: { kind: 'cut', path: `/builds/${name}/log`, bytes: 300 } })
    const cut = new Stream(cluster, `${B}/builds/${name}/log`)
    expect(await cut.end()).toBe(true)
    expect(cut.aborted).toBe(true)
    expect(cut.lines.join('\n').length).toBeLessThanOrEqual(300)
    expect(full.text.startsWith(cut.lines.join('\n'))).toBe(true)
  })

  it('a slow response is delayed; a reset connection fails the request', async () => {
    cluster.faults.delay({ method: 'GET', path: '/buildconfigs/fault-ok' }, 400)
    const t0 = Date.now()
    const slow = await call(cluster, 'GET', `${B}/buildconfigs/fault-ok`)
    expect(slow.status).toBe(200)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350)
    cluster.faults.reset({ path: '/buildconfigs/fault-ok' })
    await expect(call(cluster, 'GET', `${B}/buildconfigs/fault-ok`)).rejects.toThrow()
    expect((await call(cluster, 'GET', `${B}/buildconfigs/fault-ok`)).status).toBe(200)
    await call(cluster, 'POST', '/_emulator/faults', { body: { kind: 'delay', ms: 300, path: '/buildconfigs/fault-ok', count: -1 } })
    const t1 = Date.now()
    await call(cluster, 'GET', `${B}/buildconfigs/fault-ok`)
    await call(cluster, 'GET', `${B}/buildconfigs/fault-ok`)
    expect(Date.now() - t1).toBeGreaterThanOrEqual(550)
    cluster.faults.clear()
    expect(cluster.faults.list()).toEqual({ requests: [], plugins: [], holds: [] })
  })

  it('a dropped answer: the request is carried out, the client gets no answer', async () => {
    await build('fault-drop')
    const before = cluster.store.get('buildconfigs', 'osbs', 'fault-drop')!.status.lastVersion
    const f = cluster.faults.dropResponse({ method: 'POST', path: /\/instantiate$/ })
    await expect(call(cluster, 'POST', `${B}/buildconfigs/fault-drop/instantiate`, { body: { metadata: { name: 'fault-drop' } } })).rejects.toThrow()
    expect(f.hits).toBe(1)
    // carried out: lastVersion bumped and the Build exists
    expect(cluster.store.get('buildconfigs', 'osbs', 'fault-drop')!.status.lastVersion).toBe(before + 1)
    expect(cluster.store.get('builds', 'osbs', `fault-drop-${before + 1}`)).toBeDefined()
    // used up: the next instantiate is answered
    const next = await call(cluster, 'POST', `${B}/buildconfigs/fault-drop/instantiate`, { body: { metadata: { name: 'fault-drop' } } })
    expect(next.status).toBe(201)
    expect(next.body.metadata.name).toBe(`fault-drop-${before + 2}`)

    // over HTTP, on a create: the object exists although the client saw the connection drop
    const added = await call(cluster, 'POST', '/_emulator/faults', { body: { kind: 'drop', method: 'POST', pathRegex: '/buildconfigs$' } })
    expect(added.status).toBe(201)
    expect((await call(cluster, 'GET', '/_emulator/faults')).body.requests).toEqual([expect.objectContaining({ id: added.body.id, kind: 'drop' })])
    await expect(call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('fault-dropped-create', { gitUri: repo, plugins }) })).rejects.toThrow()
    expect(cluster.store.get('buildconfigs', 'osbs', 'fault-dropped-create')).toBeDefined()
    expect((await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('fault-dropped-create', { gitUri: repo, plugins }) })).status).toBe(409)
    expect(cluster.faults.list().requests).toEqual([])
  })

  it('a gate holds a request until removed, then carries it out, also for a client that gave up', async () => {
    await build('fault-gate')
    const before = cluster.store.get('buildconfigs', 'osbs', 'fault-gate')!.status.lastVersion
    const gate = cluster.faults.gate({ method: 'POST', path: /\/instantiate$/ })
    const client = new AbortController()
    const sent = fetch(new URL(`${B}/buildconfigs/fault-gate/instantiate`, cluster.url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${cluster.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'fault-gate' } }),
      signal: client.signal
    })
    await gate.received
    expect(cluster.store.get('buildconfigs', 'osbs', 'fault-gate')!.status.lastVersion).toBe(before)
    client.abort()
    await expect(sent).rejects.toThrow()
    await gate.abandoned
    cluster.faults.remove(gate)
    // carried out after its client left
    await eventually(() => cluster.store.get('builds', 'osbs', `fault-gate-${before + 1}`))
    expect(gate.hits).toBe(1)

    // over HTTP: kind gate, released by DELETE; the held request is answered
    const added = await call(cluster, 'POST', '/_emulator/faults', { body: { kind: 'gate', method: 'POST', pathRegex: '/instantiate$' } })
    expect(added.status).toBe(201)
    const mark = Math.max(...cluster.requests.list().map((e) => e.sent))
    const held = call(cluster, 'POST', `${B}/buildconfigs/fault-gate/instantiate`, { body: { metadata: { name: 'fault-gate' } } })
    await eventually(() => cluster.requests.list().some((e) => e.sent > mark && e.url.endsWith('/fault-gate/instantiate')))
    expect(cluster.store.get('builds', 'osbs', `fault-gate-${before + 2}`)).toBeUndefined()
    expect((await call(cluster, 'DELETE', `/_emulator/faults/${added.body.id}`)).status).toBe(200)
    expect((await held).body.metadata.name).toBe(`fault-gate-${before + 2}`)
    await terminal(`fault-gate-${before + 1}`)
    await terminal(`fault-gate-${before + 2}`)
  })

  it('rejects unknown fault kinds', async () => {
    const r = await call(cluster, 'POST', '/_emulator/faults', { body: { kind: 'meteor' } })
    expect(r.status).toBe(400)
    expect(r.body.message).toContain('unknown fault kind')
  })
})
