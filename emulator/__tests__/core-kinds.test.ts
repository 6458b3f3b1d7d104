/**
 * The rest of the API osbs-client calls (apiserver/authn.ts, registry/core/, pods.ts, quota.ts): configmaps,
 * resourcequotas (pause/resume builds), serviceaccounts with token secrets, `users/~`, and the pods of builds —
 * each answered like OpenShift 3.9: list kinds, resourceVersions, Status bodies, validation.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCluster, type Cluster } from '../src/index.js'
import { buildPod, podPhase } from '../src/controllers/pod-mirror.js'
import { canonicalQuantity } from '../src/registry/core/resourcequota.js'
import { buildConfigBody, call, eventually, failure, ManualReactor, Stream } from '../testing/client.js'

const K = '/api/v1/namespaces/osbs'
const O = '/oapi/v1/namespaces/osbs'
const pods = new ManualReactor()
let c: Cluster

beforeAll(async () => {
  c = await startCluster({ port: 0, reactor: pods.reactor, podStartDelay: 1, kubeconfig: false })
})
afterAll(async () => {
  await c.close()
})

async function startBuild(bc: string): Promise<string> {
  expect((await call(c, 'POST', `${O}/buildconfigs`, { body: { ...buildConfigBody(bc), apiVersion: 'v1' } })).status).toBe(201)
  const b = await call(c, 'POST', `${O}/buildconfigs/${bc}/instantiate`, { body: { kind: 'BuildRequest', apiVersion: 'v1', metadata: { name: bc } } })
  expect(b.status).toBe(201)
  return b.body.metadata.name
}

describe('configmaps', () => {
  it("osbs-client's create/get/delete_config_map: 201, ConfigMapList, unconditional PUT, DELETE with {} answers Success", async () => {
    const created = await call(c, 'POST', `${K}/configmaps/`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' }, data: { 'config.yaml': 'a: 1' } } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'cm1', namespace: 'osbs', selfLink: '/api/v1/namespaces/osbs/configmaps/cm1' },
      data: { 'config.yaml': 'a: 1' }
    })
    expect(created.body.metadata.resourceVersion).toMatch(/^\d+$/)
    const list = await call(c, 'GET', `${K}/configmaps`)
    expect(list.body).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { selfLink: '/api/v1/namespaces/osbs/configmaps' } })
    expect(list.body.items.map((i: any) => i.metadata.name)).toEqual(['cm1'])
    const put = await call(c, 'PUT', `${K}/configmaps/cm1`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' }, data: { b: '2' } } })
    expect(put.status).toBe(200)
    expect(Number(put.body.metadata.resourceVersion)).toBeGreaterThan(Number(created.body.metadata.resourceVersion))
    const stale = await call(c, 'PUT', `${K}/configmaps/cm1`, { body: { metadata: { name: 'cm1', resourceVersion: created.body.metadata.resourceVersion }, data: {} } })
    expect(stale.status).toBe(409)
    const del = await call(c, 'DELETE', `${K}/configmaps/cm1`, { body: '{}' })
    expect(del.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'cm1', kind: 'configmaps' } })
    expect((await call(c, 'GET', `${K}/configmaps/cm1`)).body).toEqual(failure(404, 'NotFound', 'configmaps "cm1" not found', { name: 'cm1', kind: 'configmaps' }))
  })

  it('a bad key or more than 1 MiB of data is 422 Invalid', async () => {
    const bad = await call(c, 'POST', `${K}/configmaps`, { body: { metadata: { name: 'cm-bad' }, data: { 'a b': 'x' } } })
    expect(bad.status).toBe(422)
    expect(bad.body).toMatchObject({ reason: 'Invalid', details: { name: 'cm-bad', kind: 'ConfigMap', causes: [{ reason: 'FieldValueInvalid', field: 'data' }] } })
    const big = await call(c, 'POST', `${K}/configmaps`, { body: { metadata: { name: 'cm-big' }, data: { a: 'x'.repeat(1024 * 1024 + 1) } } })
    expect(big.status).toBe(422)
    expect(big.body.details.causes).toEqual([{ reason: 'FieldValueTooLong', message: 'Too long: must have at most 1048576 characters', field: '' }])
  })
})

describe("RBAC in the platform's namespaces", () => {
  it("console-public (the action's console URL read) is 3.11's 403 for a project's account, not a 404; lists and writes too", async () => {
    const cm = await call(c, 'GET', '/api/v1/namespaces/openshift-config-managed/configmaps/console-public')
    expect(cm.status).toBe(403)
    expect(cm.body).toEqual(
      failure(403, 'Forbidden', 'configmaps "console-public" is forbidden: User "developer" cannot get configmaps in the namespace "openshift-config-managed": no RBAC policy matched', {
        name: 'console-public',
        kind: 'configmaps'
      })
    )
    const sa = c.store.list('secrets', 'osbs').find((s) => s.metadata.name.startsWith('builder-token-'))!
    const asBuilder = await call(c, 'GET', '/api/v1/namespaces/openshift-config-managed/configmaps/console-public', { token: Buffer.from((sa.data as { token: string }).token, 'base64').toString() })
    expect(asBuilder.body.message).toBe(
      'configmaps "console-public" is forbidden: User "system:serviceaccount:osbs:builder" cannot get configmaps in the namespace "openshift-config-managed": no RBAC policy matched'
    )
    expect((await call(c, 'GET', '/api/v1/namespaces/kube-system/configmaps')).body.message).toBe(
      'configmaps is forbidden: User "developer" cannot list configmaps in the namespace "kube-system": no RBAC policy matched'
    )
    const write = await call(c, 'POST', '/apis/build.openshift.io/v1/namespaces/openshift-infra/buildconfigs', { body: buildConfigBody('x') })
    expect([write.status, write.body.message]).toEqual([
      403,
      'buildconfigs.build.openshift.io is forbidden: User "developer" cannot create buildconfigs.build.openshift.io in the namespace "openshift-infra": no RBAC policy matched'
    ])
    // a namespace the cluster has is one of its projects, whatever its name
    expect((await call(c, 'GET', '/api/v1/namespaces/osbs/configmaps/none')).status).toBe(404)
  })
})

describe('resourcequotas (pause_builds / resume_builds)', () => {
  it('quantities are canonical strings; a value that is not one is a 400', async () => {
    expect([canonicalQuantity(0), canonicalQuantity('010'), canonicalQuantity('1Gi'), canonicalQuantity(0.5), canonicalQuantity('x')]).toEqual(['0', '10', '1Gi', '500m', undefined])
    const bad = await call(c, 'POST', `${K}/resourcequotas`, { body: { metadata: { name: 'q-bad' }, spec: { hard: { pods: 'lots' } } } })
    expect(bad.status).toBe(400)
    expect(bad.body.message).toBe('ResourceQuota in version "v1" cannot be handled as a ResourceQuota: quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'')
    const unknown = await call(c, 'POST', `${K}/resourcequotas`, { body: { metadata: { name: 'q-bad' }, spec: { hard: { bananas: 1 } } } })
    expect(unknown.status).toBe(422)
    expect(unknown.body.details.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: "bananas": must be a standard resource for quota', field: 'spec.hard[bananas]' }])
  })

  it('pause (pods: 0) holds new builds New with CannotCreateBuildPod; the quota counts pods; resume lets them run', async () => {
    const rv = c.store.resourceVersion
    const quota = await call(c, 'POST', `${K}/resourcequotas/`, { body: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'pause' }, spec: { hard: { pods: 0 } } } })
    expect(quota.status).toBe(201)
    expect(quota.body.spec.hard).toEqual({ pods: '0' })
    expect(quota.body.status).toEqual({})
    // the quota controller fills in the status
    const w = new Stream(c, `${K}/resourcequotas?watch=true&resourceVersion=${rv}`)
    await w.until(() => w.events().some((e) => e.object.status?.used))
    w.close()
    expect(w.events().pop()!.object.status).toEqual({ hard: { pods: '0' }, used: { pods: '0' } })
    expect((await call(c, 'POST', `${K}/resourcequotas/`, { body: { metadata: { name: 'pause' }, spec: { hard: { pods: 0 } } } })).status).toBe(409)

    const name = await startBuild('paused')
    const held = await eventually(() => c.store.get('builds', 'osbs', name)?.status?.reason === 'CannotCreateBuildPod' && c.store.get('builds', 'osbs', name))
    expect(held.status).toMatchObject({ phase: 'New', reason: 'CannotCreateBuildPod', message: 'Failed creating build pod.' })
    expect(c.store.get('pods', 'osbs', `${name}-build`)).toBeUndefined()

    expect((await call(c, 'DELETE', `${K}/resourcequotas/pause`)).status).toBe(200)
    await pods.waitStarted(name)
    const running = c.store.get('builds', 'osbs', name)!
    expect(running.status.phase).toBe('Running')
    expect(running.status.reason).toBeUndefined()
    pods.finish(name)
    await eventually(() => c.store.get('builds', 'osbs', name)?.status?.phase === 'Complete')
  })
})

describe('serviceaccounts and their tokens', () => {
  it('every namespace has builder, default and deployer, each with a token secret and a dockercfg secret', async () => {
    const list = await call(c, 'GET', `${K}/serviceaccounts`)
    expect(list.body.kind).toBe('ServiceAccountList')
    expect(list.body.items.map((s: any) => s.metadata.name)).toEqual(['builder', 'default', 'deployer'])
    const builder = list.body.items[0]
    const names = builder.secrets.map((s: any) => s.name)
    expect(names).toEqual([expect.stringMatching(/^builder-token-[a-z0-9]{5}$/), expect.stringMatching(/^builder-dockercfg-[a-z0-9]{5}$/)])
    expect(builder.imagePullSecrets).toEqual([{ name: names[1] }])
    const secret = (await call(c, 'GET', `${K}/secrets/${names[0]}/`)).body
    expect(secret.type).toBe('kubernetes.io/service-account-token')
    expect(secret.metadata.annotations).toEqual({ 'kubernetes.io/service-account.name': 'builder', 'kubernetes.io/service-account.uid': builder.metadata.uid })
    expect(Buffer.from(secret.data.namespace, 'base64').toString()).toBe('osbs')
  })

  it('a token authenticates as system:serviceaccount:<ns>:<sa> (users/~) while its secret exists', async () => {
    const sa = (await call(c, 'POST', `${K}/serviceaccounts`, { body: { metadata: { name: 'robot' } } })).body
    expect(sa.metadata.name).toBe('robot')
    const tokenSecret = await eventually(() => c.store.list('secrets', 'osbs').find((s) => s.metadata.name.startsWith('robot-token-')))
    const token = Buffer.from((tokenSecret.data as Record<string, string>).token!, 'base64').toString()
    const me = await call(c, 'GET', '/oapi/v1/users/~', { token })
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({
      kind: 'User',
      apiVersion: 'v1',
      metadata: { name: 'system:serviceaccount:osbs:robot' },
      identities: null,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:osbs', 'system:authenticated']
    })
    expect((await call(c, 'GET', `${O}/builds`, { token })).status).toBe(200)
    expect((await call(c, 'DELETE', `${K}/secrets/${tokenSecret.metadata.name}`)).status).toBe(200)
    expect((await call(c, 'GET', `${O}/builds`, { token })).status).toBe(401)
    expect((await call(c, 'GET', `${O}/builds`, { token: `${token.slice(0, -2)}xx` })).status).toBe(401)
  })
})

describe('users', () => {
  it("users/~ is the cluster token's user, on /oapi/v1 and user.openshift.io/v1; users are read-only", async () => {
    const legacy = await call(c, 'GET', '/oapi/v1/users/~/')
    expect(legacy.status).toBe(200)
    expect(legacy.body).toMatchObject({ kind: 'User', apiVersion: 'v1', metadata: { name: 'developer', selfLink: '/oapi/v1/users/developer' }, identities: ['anypassword:developer'], groups: null })
    expect(legacy.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/)
    const grouped = await call(c, 'GET', '/apis/user.openshift.io/v1/users/~')
    expect(grouped.body).toMatchObject({ kind: 'User', apiVersion: 'user.openshift.io/v1', metadata: { name: 'developer' } })
    expect((await call(c, 'GET', '/oapi/v1/users/developer')).body.metadata.uid).toBe(legacy.body.metadata.uid)
    expect((await call(c, 'GET', '/oapi/v1/users/~', { token: 'wrong' })).status).toBe(401)
    expect((await call(c, 'POST', '/oapi/v1/users', { body: { metadata: { name: 'x' } } })).body).toEqual(
      failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {})
    )
  })
})

describe('pods of builds', () => {
  it('pod phase follows the build: none while New or Cancelled', () => {
    expect(['New', 'Pending', 'Running', 'Complete', 'Failed', 'Error', 'Cancelled'].map(podPhase)).toEqual([undefined, 'Pending', 'Running', 'Succeeded', 'Failed', 'Failed', undefined])
  })

  it('a failed build leaves its pod Failed with the terminated exit code and message osbs-client reports', () => {
    const build = {
      metadata: { name: 'b-1', namespace: 'osbs', uid: 'u1' },
      spec: { strategy: { customStrategy: { from: { kind: 'DockerImage', name: 'buildroot:latest' } } } },
      status: { phase: 'Failed', message: 'Generic Build failure', startTimestamp: '2017-10-01T00:00:00Z', completionTimestamp: '2017-10-01T00:01:00Z' }
    }
    const pod = buildPod(build, undefined, 'docker-pullable://buildroot@sha256:' + 'a'.repeat(64))
    expect(pod.status.phase).toBe('Failed')
    expect(pod.status.containerStatuses[0].state.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
      message: 'Generic Build failure',
      startedAt: '2017-10-01T00:00:00Z',
      finishedAt: '2017-10-01T00:01:00Z'
    })
  })

  it('the build pod: label openshift.io/build.name, the builder image by digest as imageID, Succeeded at the end', async () => {
    const name = await startBuild('podded')
    await pods.waitStarted(name)
    const list = await call(c, 'GET', `${K}/pods/?labelSelector=openshift.io%2Fbuild.name%3D${name}`)
    expect(list.body.kind).toBe('PodList')
    expect(list.body.items).toHaveLength(1)
    const pod = list.body.items[0]
    expect(pod.metadata).toMatchObject({ name: `${name}-build`, namespace: 'osbs', labels: { 'openshift.io/build.name': name }, annotations: { 'openshift.io/build.name': name } })
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'build.openshift.io/v1', kind: 'Build', name, uid: c.store.get('builds', 'osbs', name)!.metadata.uid, controller: true }])
    const cs = pod.status.containerStatuses[0]
    expect(pod.status.phase).toBe('Running')
    expect(cs).toMatchObject({ name: 'custom-build', image: 'buildroot:latest', ready: true, state: { running: {} } })
    expect(cs.imageID).toMatch(/^docker-pullable:\/\/buildroot@sha256:[0-9a-f]{64}$/)
    expect(cs.imageID).toBe(`docker-pullable://buildroot@${c.registries.resolveImage('buildroot:latest').digest}`)
    pods.finish(name)
    const done = await eventually(() => c.store.get('pods', 'osbs', `${name}-build`)?.status?.phase === 'Succeeded' && c.store.get('pods', 'osbs', `${name}-build`))
    expect(done.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' })
    expect(done.status.containerStatuses[0].imageID).toBe(cs.imageID)
    expect((await call(c, 'DELETE', `${K}/pods/${name}-build`)).status).toBe(405)
  })

  it('cancelling a build deletes its pod; deleting a build deletes its pod', async () => {
    const name = await startBuild('podcancel')
    await pods.waitStarted(name)
    const rv = c.store.resourceVersion
    const cur = (await call(c, 'GET', `${O}/builds/${name}/`)).body
    expect((await call(c, 'PUT', `${O}/builds/${name}/`, { body: { ...cur, status: { ...cur.status, cancelled: true } } })).status).toBe(200)
    const w = new Stream(c, `${K}/pods?watch=true&resourceVersion=${rv}`)
    await w.until(() => w.events().some((e) => e.type === 'DELETED'))
    w.close()
    expect(w.events().find((e) => e.type === 'DELETED')!.object.metadata.name).toBe(`${name}-build`)

    const other = await startBuild('poddelete')
    await pods.waitStarted(other)
    expect(c.store.get('pods', 'osbs', `${other}-build`)).toBeDefined()
    expect((await call(c, 'DELETE', `${O}/builds/${other}`)).status).toBe(200)
    await eventually(() => !c.store.get('pods', 'osbs', `${other}-build`))
  })
})
