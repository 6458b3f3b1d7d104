/**
 * End to end: the permission Custom builds need. OpenShift 3.11's admission plugin BuildByStrategy refuses every write
 * of a Custom-strategy BuildConfig or Build (403 `build strategy Custom is not allowed`) to an account not bound to
 * the cluster role `system:build-strategy-custom`. The run asks first (a SelfSubjectAccessReview) and fails before
 * anything is written, with the role and the command a cluster admin runs; a server that will not answer the
 * question does not block a permitted account, and for one that is not permitted the refused write says the same.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { writesOf } from '../__fixtures__/e2e/local-openshift.js'
import { startCluster, type Cluster as Emulator } from '../emulator/src/index.js'
import { errorAnnotations, runAction } from '../__fixtures__/e2e/action.js'
import { dockerfile, makeRepo } from '../__fixtures__/e2e/git.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const tmp = makeTempDir('osbs-e2e-custom-strategy-')
const REVIEW = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'
let e: Emulator

beforeAll(async () => {
  e = await startCluster({ port: 0, logWaitSeconds: 2 })
})
afterAll(async () => {
  await e?.close()
})

/** The token of a service account of the namespace (the service account `default` is not bound to the role). */
function serviceAccountToken(name: string): string {
  const secret = e.store.list('secrets', e.namespace).find((s) => s.type === 'kubernetes.io/service-account-token' && s.metadata.annotations?.['kubernetes.io/service-account.name'] === name)!
  return Buffer.from((secret.data as Record<string, string>).token, 'base64').toString('utf8')
}

const inputs = (token: string): Record<string, string> => ({
  'openshift-server': e.url,
  'openshift-token': token,
  namespace: e.namespace,
  'registry-uri': 'registry.example.com/v2'
})

/** The writes the server saw: every POST, PUT and PATCH but the access review, which writes nothing. */
const writes = () => writesOf(e.requests.list())

async function run(name: string, token: string) {
  const checkout = makeRepo(path.join(tmp, name), { Dockerfile: dockerfile('fedora:latest', `acme/${name}`, '1.0') })
  e.requests.clear()
  return runAction({ checkout, repository: `acme/${name}`, inputs: inputs(token) })
}

describe('Custom builds need system:build-strategy-custom', () => {
  it('an account without the role fails before anything is written: one error, with the role and the command', async () => {
    const r = await run('denied', serviceAccountToken('default'))
    expect(r.code).toBe(1)
    expect(
      e.requests
        .list()
        .filter((q) => q.url.startsWith(REVIEW))
        .map((q) => q.method)
    ).toEqual(['POST'])
    expect(writes()).toEqual([])
    const errors = errorAnnotations(r.stdout)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(`The account system:serviceaccount:${e.namespace}:default may not create Custom-strategy builds in namespace ${e.namespace}`)
    expect(errors[0]).toContain(`oc adm policy add-cluster-role-to-user system:build-strategy-custom -z default -n ${e.namespace}`)
    expect(e.store.list('buildconfigs', e.namespace)).toEqual([])
  }, 120_000)

  it('an account with the role (the builder service account): the build runs', async () => {
    const r = await run('granted', serviceAccountToken('builder'))
    expect(errorAnnotations(r.stdout)).toEqual([])
    expect(r.code).toBe(0)
    expect(r.outputs['build-status']).toBe('Complete')
  }, 120_000)

  it('a review the server forbids does not block a permitted account', async () => {
    const refused = e.faults.respond({ method: 'POST', path: 'selfsubjectaccessreviews' }, 403, {
      message: 'selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "developer" cannot create selfsubjectaccessreviews.authorization.k8s.io at the cluster scope',
      count: Infinity
    })
    try {
      const r = await run('unasked', e.token!)
      expect(errorAnnotations(r.stdout)).toEqual([])
      expect(r.code).toBe(0)
      expect(r.outputs['build-status']).toBe('Complete')
    } finally {
      e.faults.remove(refused)
    }
  }, 120_000)

  it('a review not served, an account without the role: the refused write names the role and the command', async () => {
    const missing = e.faults.respond({ method: 'POST', path: 'selfsubjectaccessreviews' }, 404, { count: Infinity })
    try {
      const r = await run('unserved', serviceAccountToken('default'))
      expect(r.code).toBe(1)
      const errors = errorAnnotations(r.stdout)
      expect(errors).toHaveLength(1)
      expect(errors[0]).toContain(`POST buildconfigs in namespace ${e.namespace} failed: 403 Forbidden: buildconfigs.build.openshift.io "unserved-main-`)
      expect(errors[0]).toContain('build strategy Custom is not allowed')
      expect(errors[0]).toContain(`oc adm policy add-cluster-role-to-user system:build-strategy-custom -z <service account> -n ${e.namespace}`)
    } finally {
      e.faults.remove(missing)
    }
  }, 120_000)
})
