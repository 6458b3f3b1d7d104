/** buildconfigs/instantiate as openshift-apiserver's build generator does it (SPEC §9.3, openshift-api.md §3.1). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../src/index.js'
import { buildConfigBody, call, failure, Stream } from '../testing/client.js'

let cluster: Cluster
const B = '/apis/build.openshift.io/v1/namespaces/osbs'

beforeAll(async () => {
  // Pods never start: builds stay New/Pending, the test looks at what instantiate wrote.
  cluster = await startCluster({ port: 0, podStartDelay: 60000 })
})
afterAll(async () => {
  await cluster.close()
})

const request = (name: string, extra: Record<string, unknown> = {}) => ({ kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name }, ...extra })

describe('instantiate', () => {
  it('bumps lastVersion on the BuildConfig before the Build exists, then creates <bc>-<n> (201)', async () => {
    const bc = (await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('inst-a', { labels: { team: 'x' } }) })).body
    const bcWatch = new Stream(cluster, `${B}/buildconfigs?watch=true&fieldSelector=metadata.name%3Dinst-a&resourceVersion=${bc.metadata.resourceVersion}`)
    const buildWatch = new Stream(cluster, `${B}/builds?watch=true&resourceVersion=${bc.metadata.resourceVersion}`)
    await Promise.all([bcWatch.ready, buildWatch.ready])
    const r = await call(cluster, 'POST', `${B}/buildconfigs/inst-a/instantiate`, {
      body: request('inst-a', {
        metadata: { name: 'inst-a', labels: { team: 'overridden', extra: 'yes' }, annotations: { 'openshift.io/build.number': '99', 'ci.example.com/run': 'https://ci/1' } },
        revision: { type: 'Git', git: { commit: 'a'.repeat(40), message: 'msg', author: { name: 'A', email: 'a@example.com' }, committer: { name: 'C', email: 'c@example.com' } } },
        triggeredBy: [{ message: 'Started by GitHub Actions run https://ci/1' }]
      })
    })
    expect(r.status).toBe(201)
    const b = r.body
    expect(b.kind).toBe('Build')
    expect(b.metadata.name).toBe('inst-a-1')
    expect(b.metadata.labels).toEqual({
      is_autorebuild: 'false',
      'git-repo-name': 'app',
      'git-branch': 'master',
      team: 'x',
      extra: 'yes',
      buildconfig: 'inst-a',
      'openshift.io/build-config.name': 'inst-a',
      'openshift.io/build.start-policy': 'Serial'
    })
    expect(b.metadata.annotations).toEqual({ 'openshift.io/build-config.name': 'inst-a', 'openshift.io/build.number': '1', 'ci.example.com/run': 'https://ci/1' })
    expect(b.metadata.ownerReferences).toEqual([{ apiVersion: 'build.openshift.io/v1', kind: 'BuildConfig', name: 'inst-a', uid: bc.metadata.uid, controller: true }])
    expect(b.spec.revision.git.commit).toBe('a'.repeat(40))
    expect(b.spec.triggeredBy).toEqual([{ message: 'Started by GitHub Actions run https://ci/1' }])
    expect(b.spec.source).toEqual(bc.spec.source)
    expect(b.spec.output).toEqual(bc.spec.output)
    expect(b.spec.serviceAccount).toBe('builder')
    expect(b.status).toMatchObject({ phase: 'New', config: { kind: 'BuildConfig', namespace: 'osbs', name: 'inst-a' } })

    expect(await bcWatch.until((l) => l.length >= 1)).toBe(true)
    expect(await buildWatch.until((l) => l.length >= 1)).toBe(true)
    const bcEvent = bcWatch.events()[0]!
    const buildEvent = buildWatch.events()[0]!
    expect(bcEvent.type).toBe('MODIFIED')
    expect(bcEvent.object.status.lastVersion).toBe(1)
    expect(buildEvent.type).toBe('ADDED')
    expect(Number(bcEvent.object.metadata.resourceVersion)).toBeLessThan(Number(buildEvent.object.metadata.resourceVersion))
    bcWatch.close()
    buildWatch.close()

    const second = await call(cluster, 'POST', `${B}/buildconfigs/inst-a/instantiate`, { body: request('inst-a') })
    expect(second.body.metadata.name).toBe('inst-a-2')
    expect(second.body.spec.triggeredBy).toEqual([{ message: 'Manually triggered' }])
  })

  it('uses metadata.name of the request, not the URL', async () => {
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('inst-b') })
    const r = await call(cluster, 'POST', `${B}/buildconfigs/whatever/instantiate`, { body: request('inst-b') })
    expect(r.status).toBe(201)
    expect(r.body.metadata.name).toBe('inst-b-1')
  })

  it('404 for a missing BuildConfig, 422 without metadata.name, 400 for a paused one or a wrong lastVersion', async () => {
    const missing = await call(cluster, 'POST', `${B}/buildconfigs/nope/instantiate`, { body: request('nope') })
    expect(missing.status).toBe(404)
    expect(missing.body.message).toBe('buildconfigs.build.openshift.io "nope" not found')
    const noname = await call(cluster, 'POST', `${B}/buildconfigs/nope/instantiate`, { body: { kind: 'BuildRequest', metadata: {} } })
    expect(noname.status).toBe(422)
    expect(noname.body.details.causes[0]).toMatchObject({ reason: 'FieldValueRequired', field: 'metadata.name' })

    const paused = buildConfigBody('inst-paused')
    paused.metadata.annotations = { 'openshift.io/build-config.paused': 'true' }
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: paused })
    const p = await call(cluster, 'POST', `${B}/buildconfigs/inst-paused/instantiate`, { body: request('inst-paused') })
    expect(p.status).toBe(400)
    expect(p.body).toEqual(failure(400, 'BadRequest', "can't instantiate from BuildConfig osbs/inst-paused: BuildConfig is paused"))

    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('inst-lv') })
    const lv = await call(cluster, 'POST', `${B}/buildconfigs/inst-lv/instantiate`, { body: request('inst-lv', { lastVersion: 3 }) })
    expect(lv.status).toBe(400)
    expect(lv.body.message).toBe('the LastVersion(0) on build config osbs/inst-lv does not match the build request LastVersion(3)')
    const ok = await call(cluster, 'POST', `${B}/buildconfigs/inst-lv/instantiate`, { body: request('inst-lv', { lastVersion: 0 }) })
    expect(ok.status).toBe(201)
  })

  it('422 for a request whose labels or annotations the Build could not carry; nothing is bumped', async () => {
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('inst-meta') })
    const badLabel = await call(cluster, 'POST', `${B}/buildconfigs/inst-meta/instantiate`, { body: { kind: 'BuildRequest', metadata: { name: 'inst-meta', labels: { ok: 'not a label value' } } } })
    expect(badLabel.status).toBe(422)
    expect(badLabel.body).toMatchObject({ reason: 'Invalid', details: { kind: 'BuildRequest', causes: [{ reason: 'FieldValueInvalid', field: 'metadata.labels' }] } })
    const badKey = await call(cluster, 'POST', `${B}/buildconfigs/inst-meta/instantiate`, { body: { kind: 'BuildRequest', metadata: { name: 'inst-meta', annotations: { 'a b': 'x' } } } })
    expect(badKey.status).toBe(422)
    expect(badKey.body.details.causes[0]).toMatchObject({ field: 'metadata.annotations' })
    const slash = await call(cluster, 'POST', `${B}/buildconfigs/inst-meta/instantiate`, { body: { kind: 'BuildRequest', metadata: { name: 'a/b' } } })
    expect(slash.status).toBe(422)
    expect(slash.body.details.causes[0]).toMatchObject({ field: 'metadata.name', message: expect.stringContaining("may not contain '/'") })
    expect(cluster.store.get('buildconfigs', 'osbs', 'inst-meta')!.status.lastVersion).toBe(0)
    expect(cluster.store.list('builds', 'osbs').filter((b) => b.metadata.name.startsWith('inst-meta-'))).toEqual([])
  })

  it('resolves an ImageStreamTag builder image to a DockerImage pull spec; 422 when the tag has no image', async () => {
    const body = buildConfigBody('inst-ist')
    body.spec.strategy.customStrategy.from = { kind: 'ImageStreamTag', name: 'buildroot:staged' }
    await call(cluster, 'POST', `${B}/buildconfigs`, { body })
    const bad = await call(cluster, 'POST', `${B}/buildconfigs/inst-ist/instantiate`, { body: request('inst-ist') })
    expect(bad.status).toBe(422)
    expect(bad.body.reason).toBe('Invalid')
    expect(bad.body.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "buildroot:staged": Error resolving ImageStreamTag buildroot:staged in namespace osbs: unable to find latest tagged image',
        field: 'from'
      }
    ])
    expect((await call(cluster, 'GET', `${B}/buildconfigs/inst-ist`)).body.status.lastVersion).toBe(0)

    const img = cluster.publishExternalImage('osbs', 'buildroot', 'staged', { from: 'registry.example.com/rh-osbs/buildroot:staged' })
    const ok = await call(cluster, 'POST', `${B}/buildconfigs/inst-ist/instantiate`, { body: request('inst-ist') })
    expect(ok.status).toBe(201)
    const cs = ok.body.spec.strategy.customStrategy
    expect(cs.from).toEqual({ kind: 'DockerImage', name: img.dockerImageReference })
    expect(img.dockerImageReference).toMatch(/^registry\.example\.com\/rh-osbs\/buildroot@sha256:[0-9a-f]{64}$/)
    expect(cs.env).toEqual(expect.arrayContaining([{ name: 'OPENSHIFT_CUSTOM_BUILD_BASE_IMAGE', value: img.dockerImageReference }]))
  })

  it('on /oapi the Build is served as apiVersion v1 and errors are unqualified', async () => {
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('inst-legacy') })
    const r = await call(cluster, 'POST', '/oapi/v1/namespaces/osbs/buildconfigs/inst-legacy/instantiate', { body: { ...request('inst-legacy'), apiVersion: 'v1' } })
    expect(r.status).toBe(201)
    expect(r.body.apiVersion).toBe('v1')
    const m = await call(cluster, 'POST', '/oapi/v1/namespaces/osbs/buildconfigs/x/instantiate', { body: request('nope') })
    expect(m.body.message).toBe('buildconfigs "nope" not found')
  })

  it('clone starts a new build of the same BuildConfig', async () => {
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('inst-clone') })
    await call(cluster, 'POST', `${B}/buildconfigs/inst-clone/instantiate`, { body: request('inst-clone') })
    const c = await call(cluster, 'POST', `${B}/builds/inst-clone-1/clone`, { body: request('inst-clone-1') })
    expect(c.status).toBe(201)
    expect(c.body.metadata.name).toBe('inst-clone-2')
    expect(c.body.metadata.annotations['openshift.io/build.clone-of']).toBe('inst-clone-1')
  })
})

/** The token of a service account of the namespace, from its token secret (the token controller made it). */
async function serviceAccountToken(c: Cluster, name: string): Promise<string> {
  const secrets = (await call(c, 'GET', '/api/v1/namespaces/osbs/secrets')).body.items as any[]
  const secret = secrets.find((s) => s.type === 'kubernetes.io/service-account-token' && s.metadata.annotations['kubernetes.io/service-account.name'] === name)
  return Buffer.from(secret.data.token, 'base64').toString('utf8')
}

const REVIEW = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'
const reviewOf = (resourceAttributes: Record<string, string>) => ({ kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { resourceAttributes } })
const CUSTOM = { namespace: 'osbs', verb: 'create', group: 'build.openshift.io', resource: 'builds', subresource: 'custom' }

describe('Custom strategy admission (system:build-strategy-custom)', () => {
  it('an account without the role: 403 for the BuildConfig write, a Build, instantiate, clone and the cancel PATCH', async () => {
    // the service account `default` is not bound to the role; the cluster's user is
    const token = await serviceAccountToken(cluster, 'default')
    await call(cluster, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('custom') })
    await call(cluster, 'POST', `${B}/buildconfigs/custom/instantiate`, { body: request('custom') })
    const r = await call(cluster, 'POST', `${B}/buildconfigs`, { token, body: buildConfigBody('custom-other') })
    expect(r.status).toBe(403)
    expect(r.body).toEqual(
      failure(403, 'Forbidden', 'buildconfigs.build.openshift.io "custom-other" is forbidden: build strategy Custom is not allowed', {
        name: 'custom-other',
        group: 'build.openshift.io',
        kind: 'buildconfigs'
      })
    )
    const direct = await call(cluster, 'POST', `${B}/builds`, { token, body: { metadata: { name: 'custom-9' }, spec: buildConfigBody('custom').spec } })
    expect(direct.status).toBe(403)
    expect(direct.body.message).toBe('builds.build.openshift.io "custom-9" is forbidden: build strategy Custom is not allowed')
    const inst = await call(cluster, 'POST', `${B}/buildconfigs/custom/instantiate`, { token, body: request('custom') })
    expect([inst.status, inst.body.message]).toEqual([403, 'buildconfigs.build.openshift.io "custom" is forbidden: build strategy Custom is not allowed'])
    const clone = await call(cluster, 'POST', `${B}/builds/custom-1/clone`, { token, body: request('custom-1') })
    expect([clone.status, clone.body.message]).toEqual([403, 'builds.build.openshift.io "custom-1" is forbidden: build strategy Custom is not allowed'])
    const cancel = await call(cluster, 'PATCH', `${B}/builds/custom-1`, {
      token,
      body: { status: { cancelled: true } },
      contentType: 'application/merge-patch+json'
    })
    expect([cancel.status, cancel.body.message]).toEqual([403, 'builds.build.openshift.io "custom-1" is forbidden: build strategy Custom is not allowed'])
    // the builder service account has the role, as an OSBS deployment's builder account
    const builder = await serviceAccountToken(cluster, 'builder')
    expect((await call(cluster, 'POST', `${B}/buildconfigs/custom/instantiate`, { token: builder, body: request('custom') })).status).toBe(201)
  })

  it('a SelfSubjectAccessReview answers by the same rule', async () => {
    const denied = await call(cluster, 'POST', REVIEW, { token: await serviceAccountToken(cluster, 'default'), body: reviewOf(CUSTOM) })
    expect(denied.status).toBe(201)
    expect(denied.body).toEqual({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: CUSTOM },
      status: { allowed: false }
    })
    const granted = await call(cluster, 'POST', REVIEW, { body: reviewOf(CUSTOM) })
    expect(granted.body.status).toEqual({ allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:build-strategy-custom" of ClusterRole "system:build-strategy-custom" to developer' })
    // what the namespace's edit role allows, every account may
    const other = await call(cluster, 'POST', REVIEW, { token: await serviceAccountToken(cluster, 'default'), body: reviewOf({ ...CUSTOM, subresource: '' }) })
    expect(other.body.status).toEqual({ allowed: true })
    const empty = await call(cluster, 'POST', REVIEW, { body: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: {} } })
    expect(empty.status).toBe(422)
    expect((await call(cluster, 'GET', REVIEW)).status).toBe(405)
  })

  it('the subjects bound to the role are the cluster option customStrategySubjects', async () => {
    const c = await startCluster({ port: 0, podStartDelay: 60000, customStrategySubjects: [] })
    try {
      const r = await call(c, 'POST', `${B}/buildconfigs`, { body: buildConfigBody('custom') })
      expect([r.status, r.body.message]).toEqual([403, 'buildconfigs.build.openshift.io "custom" is forbidden: build strategy Custom is not allowed'])
    } finally {
      await c.close()
    }
  })
})
