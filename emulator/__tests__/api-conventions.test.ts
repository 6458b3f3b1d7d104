/** Kubernetes API conventions of the local OpenShift: Status bodies, resourceVersion, validation, auth, patch, selectors. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../src/index.js'
import { buildConfigBody, call, failure } from '../testing/client.js'

let cluster: Cluster
const B = '/apis/build.openshift.io/v1/namespaces/osbs'
const O = '/oapi/v1/namespaces/osbs'

beforeAll(async () => {
  cluster = await startCluster({ port: 0, reactor: () => new Promise(() => {}) })
})
afterAll(async () => {
  await cluster.close()
})

describe('Status bodies', () => {
  it('404 NotFound, group-qualified on /apis and plain on /oapi', async () => {
    const a = await call(cluster, 'GET', `${B}/builds/nope-1`)
    expect(a.status).toBe(404)
    expect(a.body).toEqual(failure(404, 'NotFound', 'builds.build.openshift.io "nope-1" not found', { name: 'nope-1', group: 'build.openshift.io', kind: 'builds' }))
    const o = await call(cluster, 'GET', `${O}/builds/nope-1`)
    expect(o.status).toBe(404)
    expect(o.body).toEqual(failure(404, 'NotFound', 'builds "nope-1" not found', { name: 'nope-1', kind: 'builds' }))
  })

  it('unknown paths are 404 with the generic message', async () => {
    const r = await call(cluster, 'GET', '/apis/build.openshift.io/v1/namespaces/osbs/deployments')
    expect(r.status).toBe(404)
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource', code: 404 })
  })

  it('401 without or with a wrong token; discovery is open to anonymous requests', async () => {
    const none = await call(cluster, 'GET', `${B}/builds`, { token: null })
    expect(none.status).toBe(401)
    expect(none.body).toEqual(failure(401, 'Unauthorized', 'Unauthorized'))
    const wrong = await call(cluster, 'GET', `${B}/builds`, { token: 'wrong' })
    expect(wrong.status).toBe(401)
    expect((await call(cluster, 'GET', '/apis', { token: null })).status).toBe(200)
    expect((await call(cluster, 'GET', '/apis', { token: 'wrong' })).status).toBe(401)
  })
})

describe('create, update, resourceVersion', () => {
  it('POST answers 201 with server defaults; a second POST is 409 AlreadyExists', async () => {
    const r = await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('conv-a') })
    expect(r.status).toBe(201)
    expect(r.body.kind).toBe('BuildConfig')
    expect(r.body.apiVersion).toBe('build.openshift.io/v1')
    expect(r.body.metadata).toMatchObject({ name: 'conv-a', namespace: 'osbs' })
    // 3.11's BuildConfigs have no generation
    expect(r.body.metadata.generation).toBeUndefined()
    expect(r.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/)
    expect(r.body.metadata.resourceVersion).toMatch(/^\d+$/)
    expect(r.body.spec.runPolicy).toBe('Serial')
    expect(r.body.spec.successfulBuildsHistoryLimit).toBe(5)
    expect(r.body.spec.failedBuildsHistoryLimit).toBe(5)
    expect(r.body.status).toEqual({ lastVersion: 0 })
    const again = await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('conv-a') })
    expect(again.status).toBe(409)
    expect(again.body).toEqual(failure(409, 'AlreadyExists', 'buildconfigs.build.openshift.io "conv-a" already exists', { name: 'conv-a', group: 'build.openshift.io', kind: 'buildconfigs' }))
  })

  it('the legacy path serves apiVersion v1 and does not default history limits', async () => {
    const r = await call(cluster, 'POST', `${O}/buildconfigs`, { body: { ...buildConfigBody('conv-legacy'), apiVersion: 'v1' } })
    expect(r.status).toBe(201)
    expect(r.body.apiVersion).toBe('v1')
    expect(r.body.spec.successfulBuildsHistoryLimit).toBeUndefined()
    const g = await call(cluster, 'GET', `${B}/buildconfigs/conv-legacy`)
    expect(g.body.apiVersion).toBe('build.openshift.io/v1')
    expect(g.body.metadata.selfLink).toBe(`${B}/buildconfigs/conv-legacy`)
  })

  it('PUT with a stale resourceVersion is 409 Conflict; without one 422; with the current one 200', async () => {
    const cur = (await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('conv-b') })).body
    const upd = structuredClone(cur)
    upd.metadata.labels.extra = 'x'
    const ok = await call(cluster, 'PUT', `${B}/buildconfigs/conv-b`, { body: upd })
    expect(ok.status).toBe(200)
    expect(Number(ok.body.metadata.resourceVersion)).toBeGreaterThan(Number(cur.metadata.resourceVersion))
    expect(ok.body.metadata.generation).toBeUndefined()

    const stale = await call(cluster, 'PUT', `${B}/buildconfigs/conv-b`, { body: upd })
    expect(stale.status).toBe(409)
    expect(stale.body).toEqual(
      failure(
        409,
        'Conflict',
        'Operation cannot be fulfilled on buildconfigs.build.openshift.io "conv-b": the object has been modified; please apply your changes to the latest version and try again',
        { name: 'conv-b', group: 'build.openshift.io', kind: 'buildconfigs' }
      )
    )

    const norv = structuredClone(ok.body)
    delete norv.metadata.resourceVersion
    const missing = await call(cluster, 'PUT', `${B}/buildconfigs/conv-b`, { body: norv })
    expect(missing.status).toBe(422)
    expect(missing.body).toEqual(
      failure(422, 'Invalid', 'BuildConfig.build.openshift.io "conv-b" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update', {
        name: 'conv-b',
        group: 'build.openshift.io',
        kind: 'BuildConfig',
        causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' }]
      })
    )

    const spec = structuredClone(ok.body)
    spec.spec.source.git.ref = 'other'
    spec.status.lastVersion = 0
    const bumped = await call(cluster, 'PUT', `${B}/buildconfigs/conv-b`, { body: spec })
    expect(bumped.status).toBe(200)
    expect(bumped.body.metadata.generation).toBeUndefined()
  })

  it('PUT of a missing object is 404', async () => {
    const r = await call(cluster, 'PUT', `${B}/buildconfigs/conv-none`, { body: { ...buildConfigBody('conv-none'), metadata: { name: 'conv-none', resourceVersion: '1' } } })
    expect(r.status).toBe(404)
  })

  it('status.lastVersion is never decreased by an update', async () => {
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('conv-lv') })
    const inst = await call(cluster, 'POST', `${B}/buildconfigs/conv-lv/instantiate`, { body: { kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name: 'conv-lv' } } })
    expect(inst.status).toBe(201)
    const cur = (await call(cluster, 'GET', `${B}/buildconfigs/conv-lv`)).body
    expect(cur.status.lastVersion).toBe(1)
    cur.status = { lastVersion: 0 }
    const r = await call(cluster, 'PUT', `${B}/buildconfigs/conv-lv`, { body: cur })
    expect(r.status).toBe(200)
    expect(r.body.status.lastVersion).toBe(1)
  })
})

describe('request body validation', () => {
  it('422 Invalid with causes for a semantically bad BuildConfig', async () => {
    const bad = buildConfigBody('Bad_Name')
    delete bad.spec.source.git.uri
    bad.spec.runPolicy = 'Sometimes'
    bad.spec.triggers = [{ type: 'ImageChange', imageChange: { from: { kind: 'DockerImage', name: 'fedora:latest' } } }]
    const r = await call(cluster, 'POST', `${B}/buildconfigs`, { body: bad })
    expect(r.status).toBe(422)
    expect(r.body.kind).toBe('Status')
    expect(r.body.reason).toBe('Invalid')
    expect(r.body.code).toBe(422)
    expect(r.body.details.kind).toBe('BuildConfig')
    expect(r.body.details.group).toBe('build.openshift.io')
    expect(r.body.details.name).toBe('Bad_Name')
    const fields = r.body.details.causes.map((c: any) => [c.reason, c.field])
    expect(fields).toEqual(
      expect.arrayContaining([
        ['FieldValueInvalid', 'metadata.name'],
        ['FieldValueRequired', 'spec.source.git.uri'],
        ['FieldValueNotSupported', 'spec.runPolicy'],
        ['FieldValueInvalid', 'spec.triggers[0].imageChange.from.kind']
      ])
    )
    expect(r.body.message).toMatch(/^BuildConfig\.build\.openshift\.io "Bad_Name" is invalid: \[/)
    expect(r.body.message).toContain('spec.source.git.uri: Required value')
    expect(r.body.message).toContain('spec.runPolicy: Unsupported value: "Sometimes": supported values: "Parallel", "Serial", "SerialLatestOnly"')
  })

  it('422 for a strategy-less BuildConfig and duplicate ImageChange triggers; plain kind on /oapi', async () => {
    const bad = buildConfigBody('conv-dup')
    bad.spec.triggers = [
      { type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'fedora:latest' } } },
      { type: 'imageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'fedora:latest' } } }
    ]
    const dup = await call(cluster, 'POST', `${O}/buildconfigs`, { body: bad })
    expect(dup.status).toBe(422)
    expect(dup.body.message).toBe('BuildConfig "conv-dup" is invalid: spec.triggers[1].imageChange: Invalid value: "fedora:latest": multiple ImageChange triggers refer to the same image stream tag')
    expect(dup.body.details.group).toBeUndefined()
    const none = buildConfigBody('conv-nostrategy')
    none.spec.strategy = {}
    const r = await call(cluster, 'POST', `${B}/buildconfigs`, { body: none })
    expect(r.status).toBe(422)
    expect(r.body.details.causes[0]).toMatchObject({ field: 'spec.strategy', reason: 'FieldValueInvalid' })
  })

  it('422 for label keys and values and annotation keys the API server rejects, on create and on patch', async () => {
    const LONG = 'v'.repeat(64)
    const body = buildConfigBody('conv-labels', { labels: { 'bad key': 'x', 'example.com/ok': 'has space', long: LONG, 'Example.COM/x': 'y' } })
    body.metadata.annotations = { 'a/b/c': 'x', 'Mixed.Case/Key': 'fine' }
    const r = await call(cluster, 'POST', `${B}/buildconfigs`, { body })
    expect(r.status).toBe(422)
    const causes = r.body.details.causes.map((c: any) => [c.field, c.message])
    expect(causes).toEqual(
      expect.arrayContaining([
        [
          'metadata.labels',
          expect.stringMatching(/^Invalid value: "bad key": name part must consist of alphanumeric characters.*regex used for validation is '\(\[A-Za-z0-9\]\[-A-Za-z0-9_.\]\*\)\?\[A-Za-z0-9\]'\)$/)
        ],
        ['metadata.labels', expect.stringMatching(/^Invalid value: "has space": a valid label must be an empty string/)],
        ['metadata.labels', `Invalid value: "${LONG}": must be no more than 63 characters`],
        ['metadata.labels', expect.stringMatching(/^Invalid value: "Example.COM\/x": prefix part a DNS-1123 subdomain/)],
        ['metadata.annotations', expect.stringMatching(/^Invalid value: "a\/b\/c": a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e.g. 'example.com\/MyName'\)$/)]
      ])
    )
    // annotation keys are checked lower-cased, label values of 63 characters are fine
    expect(causes.filter(([, m]: string[]) => m.includes('Mixed.Case/Key'))).toEqual([])
    expect(causes).toHaveLength(5)
    const ok = await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('conv-labels', { labels: { max: 'v'.repeat(63), empty: '' } }) })
    expect(ok.status).toBe(201)
    const patched = await call(cluster, 'PATCH', `${B}/buildconfigs/conv-labels`, { body: { metadata: { labels: { max: LONG } } }, contentType: 'application/merge-patch+json' })
    expect(patched.status).toBe(422)
    expect(patched.body.details.causes).toEqual([{ reason: 'FieldValueInvalid', field: 'metadata.labels', message: `Invalid value: "${LONG}": must be no more than 63 characters` }])
    // annotations may hold 256 KiB in all, keys included
    const big = await call(cluster, 'PATCH', `${B}/buildconfigs/conv-labels`, {
      body: { metadata: { annotations: { a: 'x'.repeat(128 * 1024), b: 'y'.repeat(128 * 1024) } } },
      contentType: 'application/merge-patch+json'
    })
    expect(big.status).toBe(422)
    expect(big.body.details.causes).toEqual([{ reason: 'FieldValueTooLong', field: 'metadata.annotations', message: 'Too long: must have at most 262144 bytes' }])
    const fits = await call(cluster, 'PATCH', `${B}/buildconfigs/conv-labels`, {
      body: { metadata: { annotations: { a: 'x'.repeat(128 * 1024), b: 'y'.repeat(128 * 1024 - 2) } } },
      contentType: 'application/merge-patch+json'
    })
    expect(fits.status).toBe(200)
  })

  it('400 for undecodable JSON and for mistyped fields', async () => {
    const r = await call(cluster, 'POST', `${B}/buildconfigs`, { body: '{"kind": "BuildConfig", ' })
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 })
    const typed = buildConfigBody('conv-typed')
    typed.spec.strategy.customStrategy.exposeDockerSocket = 'yes'
    const t = await call(cluster, 'POST', `${B}/buildconfigs`, { body: typed })
    expect(t.status).toBe(400)
    expect(t.body.message).toBe(
      'BuildConfig in version "v1" cannot be handled as a BuildConfig: json: cannot unmarshal string into Go struct field CustomBuildStrategy.spec.strategy.customStrategy.exposeDockerSocket of type bool'
    )
    const kind = await call(cluster, 'POST', `${B}/buildconfigs`, { body: { ...buildConfigBody('conv-kind'), kind: 'Build' } })
    expect(kind.status).toBe(400)
  })

  it('unknown fields are dropped with a Warning, or a 400 with fieldValidation=Strict', async () => {
    const body = buildConfigBody('conv-unknown')
    body.spec.strategy.customStrategy.exposeDockerSockets = true
    const strict = await call(cluster, 'POST', `${B}/buildconfigs?fieldValidation=Strict`, { body })
    expect(strict.status).toBe(400)
    expect(strict.body.message).toContain('strict decoding error: unknown field "spec.strategy.customStrategy.exposeDockerSockets"')
    const warn = await call(cluster, 'POST', `${B}/buildconfigs`, { body })
    expect(warn.status).toBe(201)
    expect(warn.headers.warning).toContain('unknown field \\"spec.strategy.customStrategy.exposeDockerSockets\\"')
    expect(warn.body.spec.strategy.customStrategy.exposeDockerSockets).toBeUndefined()
    // never a 422: unknown fields are a decoding matter
    expect(strict.body.message).toBe('BuildConfig in version "v1" cannot be handled as a BuildConfig: strict decoding error: unknown field "spec.strategy.customStrategy.exposeDockerSockets"')
    // Ignore: dropped without a header, as OpenShift 3.11 does
    const ignore = await call(cluster, 'POST', `${B}/buildconfigs?fieldValidation=Ignore`, { body: { ...body, metadata: { name: 'conv-unknown-ignored' } } })
    expect(ignore.status).toBe(201)
    expect(ignore.headers.warning).toBeUndefined()
    expect(ignore.body.spec.strategy.customStrategy.exposeDockerSockets).toBeUndefined()
  })

  it('the namespace in the body must match the URL', async () => {
    const body = buildConfigBody('conv-ns')
    body.metadata.namespace = 'other'
    const r = await call(cluster, 'POST', `${B}/buildconfigs`, { body })
    expect(r.status).toBe(400)
  })

  it('creating in a namespace that does not exist is 404', async () => {
    const r = await call(cluster, 'POST', '/apis/build.openshift.io/v1/namespaces/nowhere/buildconfigs', { body: buildConfigBody('conv-x') })
    expect(r.status).toBe(404)
    expect(r.body.message).toBe('namespaces "nowhere" not found')
  })
})

describe('builds: spec immutable, terminal phases final', () => {
  it('rejects spec changes and phase changes out of a terminal phase with 422', async () => {
    const b = await call(cluster, 'POST', `${B}/builds`, {
      body: { kind: 'Build', apiVersion: 'build.openshift.io/v1', metadata: { name: 'direct-1' }, spec: buildConfigBody('x').spec, status: { phase: 'Complete' } }
    })
    expect(b.status).toBe(201)
    const spec = structuredClone(b.body)
    spec.spec.source.git.ref = 'changed'
    const r1 = await call(cluster, 'PUT', `${B}/builds/direct-1`, { body: spec })
    expect(r1.status).toBe(422)
    expect(r1.body.message).toContain('spec: Invalid value: "content of spec is not printed out, please refer to the details": spec is immutable')
    const phase = structuredClone(b.body)
    phase.status.phase = 'Running'
    const r2 = await call(cluster, 'PUT', `${B}/builds/direct-1`, { body: phase })
    expect(r2.status).toBe(422)
    expect(r2.body.message).toBe('Build.build.openshift.io "direct-1" is invalid: status.phase: Invalid value: "Running": phase cannot be updated from a terminal state')
    const labels = await call(cluster, 'PATCH', `${B}/builds/direct-1`, { body: { metadata: { labels: { a: 'b' } } }, contentType: 'application/merge-patch+json' })
    expect(labels.status).toBe(200)
    expect(labels.body.metadata.labels.a).toBe('b')
  })
})

describe('patch', () => {
  it('merge patch, strategic merge patch and JSON patch; 415 for other media types; rv in a patch is a precondition', async () => {
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('conv-p') })
    const merge = await call(cluster, 'PATCH', `${B}/buildconfigs/conv-p`, { body: { metadata: { labels: { is_autorebuild: 'true' } } }, contentType: 'application/merge-patch+json' })
    expect(merge.status).toBe(200)
    expect(merge.body.metadata.labels).toMatchObject({ is_autorebuild: 'true', 'git-repo-name': 'app' })
    const smp = await call(cluster, 'PATCH', `${B}/buildconfigs/conv-p`, { body: { metadata: { labels: { other: 'x' } } }, contentType: 'application/strategic-merge-patch+json' })
    expect(smp.status).toBe(200)
    expect(smp.body.metadata.labels.other).toBe('x')
    const json = await call(cluster, 'PATCH', `${B}/buildconfigs/conv-p`, {
      body: [
        { op: 'test', path: '/metadata/labels/other', value: 'x' },
        { op: 'replace', path: '/spec/source/git/ref', value: 'devel' },
        { op: 'remove', path: '/metadata/labels/other' }
      ],
      contentType: 'application/json-patch+json'
    })
    expect(json.status).toBe(200)
    expect(json.body.spec.source.git.ref).toBe('devel')
    expect(json.body.metadata.labels.other).toBeUndefined()
    const failedTest = await call(cluster, 'PATCH', `${B}/buildconfigs/conv-p`, { body: [{ op: 'test', path: '/spec/runPolicy', value: 'Parallel' }], contentType: 'application/json-patch+json' })
    expect(failedTest.status).toBe(422)
    const wrongType = await call(cluster, 'PATCH', `${B}/buildconfigs/conv-p`, { body: { metadata: {} }, contentType: 'application/json' })
    expect(wrongType.status).toBe(415)
    expect(wrongType.body.reason).toBe('UnsupportedMediaType')
    const stale = await call(cluster, 'PATCH', `${B}/buildconfigs/conv-p`, { body: { metadata: { resourceVersion: '1', labels: { y: 'z' } } }, contentType: 'application/merge-patch+json' })
    expect(stale.status).toBe(409)
    const missing = await call(cluster, 'PATCH', `${B}/buildconfigs/conv-none`, { body: {}, contentType: 'application/merge-patch+json' })
    expect(missing.status).toBe(404)
  })
})

describe('delete', () => {
  it('answers a Success Status, then 404', async () => {
    const c = (await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('conv-del') })).body
    const d = await call(cluster, 'DELETE', `${B}/buildconfigs/conv-del`)
    expect(d.status).toBe(200)
    expect(d.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'conv-del', group: 'build.openshift.io', kind: 'buildconfigs', uid: c.metadata.uid } })
    expect((await call(cluster, 'DELETE', `${B}/buildconfigs/conv-del`)).status).toBe(404)
  })
})

describe('deletecollection', () => {
  it('deletes the objects matching a selector and lists them', async () => {
    for (const n of ['dc-1', 'dc-2']) await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody(n, { labels: { sweep: 'yes' } }) })
    const r = await call(cluster, 'DELETE', `${B}/buildconfigs?labelSelector=sweep%3Dyes`)
    expect(r.status).toBe(200)
    expect(r.body.items.map((i: any) => i.metadata.name)).toEqual(['dc-1', 'dc-2'])
    expect((await call(cluster, 'GET', `${B}/buildconfigs/dc-1`)).status).toBe(404)
  })
})

describe('selectors', () => {
  beforeAll(async () => {
    for (const [name, labels] of [
      ['sel-a', { tier: 'web', env: 'prod' }],
      ['sel-b', { tier: 'db', env: 'prod' }],
      ['sel-c', { tier: 'web' }]
    ] as const) {
      const body = buildConfigBody(name)
      body.metadata.labels = labels
      expect((await call(cluster, 'POST', `${B}/buildconfigs`, { body })).status).toBe(201)
    }
  })

  const names = async (q: string) => {
    const r = await call(cluster, 'GET', `${B}/buildconfigs?${q}`)
    expect(r.status).toBe(200)
    return r.body.items.map((i: any) => i.metadata.name).filter((n: string) => n.startsWith('sel-'))
  }

  it('label selectors: =, ==, !=, in, notin, exists, !exists', async () => {
    expect(await names('labelSelector=tier%3Dweb')).toEqual(['sel-a', 'sel-c'])
    expect(await names('labelSelector=tier%3D%3Ddb')).toEqual(['sel-b'])
    expect(await names('labelSelector=' + encodeURIComponent('tier!=web'))).toEqual(['sel-b'])
    expect(await names('labelSelector=' + encodeURIComponent('tier in (db,cache)'))).toEqual(['sel-b'])
    expect(await names('labelSelector=' + encodeURIComponent('env notin (prod)'))).toEqual(['sel-c'])
    expect(await names('labelSelector=env')).toEqual(['sel-a', 'sel-b'])
    expect(await names('labelSelector=' + encodeURIComponent('!env'))).toEqual(['sel-c'])
    expect(await names('labelSelector=' + encodeURIComponent('tier=web,env=prod'))).toEqual(['sel-a'])
  })

  it('field selectors: metadata.name; unknown fields are 400', async () => {
    expect(await names('fieldSelector=metadata.name%3Dsel-b')).toEqual(['sel-b'])
    const r = await call(cluster, 'GET', `${B}/buildconfigs?fieldSelector=status%3DNew`)
    expect(r.status).toBe(400)
    expect(r.body.message).toBe('"status" is not a known field selector: only "metadata.name", "metadata.namespace"')
    const builds = await call(cluster, 'GET', `${B}/builds?fieldSelector=status%3DComplete`)
    expect(builds.status).toBe(200)
    expect(builds.body.items.every((b: any) => b.status.phase === 'Complete')).toBe(true)
  })

  it('lists carry kind, apiVersion and metadata.resourceVersion; items have no kind', async () => {
    const r = await call(cluster, 'GET', `${B}/buildconfigs`)
    expect(r.body.kind).toBe('BuildConfigList')
    expect(r.body.apiVersion).toBe('build.openshift.io/v1')
    expect(r.body.metadata.resourceVersion).toMatch(/^\d+$/)
    expect(r.body.items[0].kind).toBeUndefined()
    expect(r.body.items[0].metadata.name).toBeDefined()
  })
})

describe('core v1: namespaces and secrets', () => {
  it('the namespace exists; others are 404', async () => {
    const r = await call(cluster, 'GET', '/api/v1/namespaces/osbs')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'osbs' }, status: { phase: 'Active' } })
    const n = await call(cluster, 'GET', '/api/v1/namespaces/nope')
    expect(n.status).toBe(404)
    expect(n.body.message).toBe('namespaces "nope" not found')
  })

  it('secrets can be created, listed and read; stringData becomes data', async () => {
    const c = await call(cluster, 'POST', '/api/v1/namespaces/osbs/secrets', { body: { kind: 'Secret', apiVersion: 'v1', metadata: { name: 'pulp' }, stringData: { 'pulp.cer': 'CERT' } } })
    expect(c.status).toBe(201)
    expect(c.body.data['pulp.cer']).toBe(Buffer.from('CERT').toString('base64'))
    expect(c.body.type).toBe('Opaque')
    const g = await call(cluster, 'GET', '/api/v1/namespaces/osbs/secrets/pulp')
    expect(g.status).toBe(200)
    const l = await call(cluster, 'GET', '/api/v1/namespaces/osbs/secrets')
    expect(l.body.kind).toBe('SecretList')
    expect(l.body.items.map((s: any) => s.metadata.name)).toContain('pulp')
    const miss = await call(cluster, 'GET', '/api/v1/namespaces/osbs/secrets/none')
    expect(miss.status).toBe(404)
    expect(miss.body.message).toBe('secrets "none" not found')
    const bad = await call(cluster, 'POST', '/api/v1/namespaces/osbs/secrets', { body: { metadata: { name: 'bad' }, data: { k: 'not base64!' } } })
    expect(bad.status).toBe(400)
  })
})

describe('discovery', () => {
  it('serves the groups, resource lists and version', async () => {
    const apis = await call(cluster, 'GET', '/apis')
    expect(apis.body.kind).toBe('APIGroupList')
    expect(apis.body.groups.map((g: any) => g.name)).toEqual(['build.openshift.io', 'image.openshift.io', 'user.openshift.io'])
    const b = await call(cluster, 'GET', '/apis/build.openshift.io/v1')
    expect(b.body).toMatchObject({ kind: 'APIResourceList', groupVersion: 'build.openshift.io/v1' })
    const names = b.body.resources.map((r: any) => r.name)
    expect(names).toEqual([...names].sort())
    expect(names).toEqual(expect.arrayContaining(['buildconfigs', 'buildconfigs/instantiate', 'builds', 'builds/log']))
    expect(b.body.resources.find((r: any) => r.name === 'buildconfigs').shortNames).toEqual(['bc'])
    const o = await call(cluster, 'GET', '/oapi/v1')
    expect(o.body.groupVersion).toBe('v1')
    expect((await call(cluster, 'GET', '/oapi')).body.versions).toEqual(['v1'])
    expect((await call(cluster, 'GET', '/api')).body.versions).toEqual(['v1'])
    expect((await call(cluster, 'GET', '/api/v1')).body.resources.map((r: any) => r.name)).toEqual(['configmaps', 'namespaces', 'pods', 'resourcequotas', 'secrets', 'serviceaccounts'])
    expect((await call(cluster, 'GET', '/version')).body.major).toBe('1')
    expect((await call(cluster, 'GET', '/apis/image.openshift.io')).body.preferredVersion.groupVersion).toBe('image.openshift.io/v1')
  })
})
