/**
 * End to end, `oidc-audience`: the bundle run as a runner runs it in a job with `id-token: write`, against a local
 * stand-in of the runner's ID token endpoint and a local OpenShift that trusts GitHub's issuer for the audience
 * `openshift`. The ID token is fetched once per run (the first reads go out together and used to fetch one each),
 * in the request shape of `@actions/core`'s OidcClient, and appears nowhere in what the step writes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { startCluster, type Cluster as Emulator } from '../emulator/src/index.js'
import { errorAnnotations, runAction } from '../__fixtures__/e2e/action.js'
import { dockerfile, makeRepo } from '../__fixtures__/e2e/git.js'
import { makeIssuer, startTokenEndpoint, type TokenEndpoint } from '../__fixtures__/e2e/oidc-token-endpoint.js'
import { expectNotPrinted } from '../__fixtures__/e2e/not-printed.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const issuer = makeIssuer()
const tmp = makeTempDir('osbs-e2e-oidc-')
let cluster: Emulator
let endpoint: TokenEndpoint

beforeAll(async () => {
  // the workflow's identity is granted Custom builds, as a cluster admin grants the account a workflow logs in as
  cluster = await startCluster({ port: 0, logWaitSeconds: 2, oidc: issuer.trust('openshift'), customStrategySubjects: [{ kind: 'Group', name: 'system:authenticated' }] })
  endpoint = await startTokenEndpoint(issuer)
})
afterAll(async () => {
  await endpoint?.close()
  await cluster?.close()
})

/** The inputs of a workflow that logs in with OIDC: no openshift-token, the audience instead. */
const inputs = (audience: string): Record<string, string> => ({
  'openshift-server': cluster.url,
  'oidc-audience': audience,
  namespace: cluster.namespace,
  'registry-uri': 'registry.example.com/v2'
})

describe('oidc-audience', () => {
  it('fetches the ID token once, as @actions/core asks for it; the local OpenShift accepts it and the build completes', async () => {
    const repo = makeRepo(path.join(tmp, 'app'), { Dockerfile: dockerfile('fedora:latest', 'acme/app', '1.0') })
    const before = endpoint.requests.length
    const run = await runAction({ checkout: repo, repository: 'acme/app', inputs: inputs('openshift'), env: endpoint.env })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.outputs['build-status']).toBe('Complete')
    const requests = endpoint.requests.slice(before)
    expect(requests).toEqual([
      {
        method: 'GET',
        url: `${new URL(endpoint.env.ACTIONS_ID_TOKEN_REQUEST_URL!).pathname}?api-version=2.0&audience=openshift`,
        authorization: `Bearer ${endpoint.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}`
      }
    ])
    const token = endpoint.issued.at(-1)!
    expect(run.stdout).toContain(`::add-mask::${token}`)
    expectNotPrinted(run, token)
  })

  it('a token for another audience is refused by the local OpenShift: the step fails with 401, fetched once, not printed', async () => {
    const repo = makeRepo(path.join(tmp, 'other'), { Dockerfile: dockerfile('fedora:latest', 'acme/other', '1.0') })
    const before = endpoint.requests.length
    const run = await runAction({ checkout: repo, repository: 'acme/other', inputs: inputs('someone-else'), env: endpoint.env })
    expect(run.code).toBe(1)
    expect(errorAnnotations(run.stdout).join('\n')).toMatch(/401 Unauthorized/)
    expect(endpoint.requests.slice(before).map((r) => new URL(r.url, 'http://x').searchParams.get('audience'))).toEqual(['someone-else'])
    expectNotPrinted(run, endpoint.issued.at(-1)!)
  })
})
