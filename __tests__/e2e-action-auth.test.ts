/**
 * End to end, check 11: a token, a kubeconfig file, a CA over TLS, insecure-skip-tls-verify; a wrong token gives
 * a clear 401 message; the token appears nowhere in stdout, stderr, outputs or summary, also in debug mode.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { startCluster, type Cluster as Emulator } from '../emulator/src/index.js'
import { errorAnnotations, runAction } from '../__fixtures__/e2e/action.js'
import { startForwardProxy } from '../__fixtures__/forward-proxy.js'
import { commitFiles, dockerfile, makeRepo, type Checkout } from '../__fixtures__/e2e/git.js'
import { expectNotPrinted } from '../__fixtures__/e2e/not-printed.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

let tls: Emulator
const tmp = makeTempDir('osbs-e2e-auth-')
let repo: Checkout

beforeAll(async () => {
  tls = await startCluster({ port: 0, tls: true, logWaitSeconds: 2 })
  repo = makeRepo(path.join(tmp, 'auth'), { Dockerfile: dockerfile('fedora:latest', 'acme/auth', '1.0') })
})
afterAll(async () => {
  await tls?.close()
})

const base = { 'registry-uri': 'registry.example.com/v2' }

async function next(message: string): Promise<Checkout> {
  repo = commitFiles(repo, { NOTES: message }, message)
  return repo
}

describe('credentials and TLS', () => {
  it('token + certificate-authority (PEM) over TLS, in debug mode: builds, and the token is nowhere', async () => {
    expect(tls.url).toMatch(/^https:/)
    const run = await runAction({
      checkout: await next('ca'),
      repository: 'acme/auth',
      inputs: { ...base, 'openshift-server': tls.url, 'openshift-token': tls.token, namespace: tls.namespace, 'certificate-authority': tls.caCert! },
      env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' }
    })
    expect(run.code).toBe(0)
    expect(run.outputs['build-status']).toBe('Complete')
    expect(run.stdout).toContain('::debug::')
    expect(run.stdout).toContain(`::add-mask::${tls.token}`)
    expectNotPrinted(run, tls.token)
  })

  it('a CA file path works too; without a CA the certificate is refused with a message that says so', async () => {
    const caFile = path.join(tmp, 'ca.pem')
    writeFileSync(caFile, tls.caCert!)
    const ok = await runAction({
      checkout: await next('ca file'),
      repository: 'acme/auth',
      inputs: { ...base, 'openshift-server': tls.url, 'openshift-token': tls.token, namespace: tls.namespace, 'certificate-authority': caFile }
    })
    expect(ok.code).toBe(0)

    const refused = await runAction({
      checkout: await next('no ca'),
      repository: 'acme/auth',
      inputs: { ...base, 'openshift-server': tls.url, 'openshift-token': tls.token, namespace: tls.namespace }
    })
    expect(refused.code).toBe(1)
    const errors = errorAnnotations(refused.stdout).join('\n')
    expect(errors).toContain(`GET /apis/build.openshift.io/v1 failed: could not reach ${tls.url}`)
    expect(errors).toMatch(/SELF_SIGNED|self[- ]signed|certificate/i)
    expect(errors).toContain('the server certificate is not trusted: it is signed by an unknown certificate authority (self-signed certificate): give certificate-authority')
    expectNotPrinted(refused, tls.token)
  })

  it('HTTPS_PROXY: the API is reached through a CONNECT tunnel (the proxy sees no request, only the tunnel)', async () => {
    const proxy = await startForwardProxy()
    try {
      const run = await runAction({
        checkout: await next('proxy'),
        repository: 'acme/auth',
        inputs: { ...base, 'openshift-server': tls.url, 'openshift-token': tls.token, namespace: tls.namespace, 'certificate-authority': tls.caCert! },
        env: { HTTPS_PROXY: proxy.url }
      })
      expect(run.code).toBe(0)
      expect(proxy.tunnels.length).toBeGreaterThan(0)
      expect(new Set(proxy.tunnels)).toEqual(new Set([new URL(tls.url).host]))
      expect(proxy.requests).toEqual([])
      expectNotPrinted(run, tls.token)
    } finally {
      await proxy.close()
    }
  })

  it('insecure-skip-tls-verify', async () => {
    const run = await runAction({
      checkout: await next('insecure'),
      repository: 'acme/auth',
      inputs: { ...base, 'openshift-server': tls.url, 'openshift-token': tls.token, namespace: tls.namespace, 'insecure-skip-tls-verify': 'true' }
    })
    expect(run.code).toBe(0)
    expect(run.outputs['build-status']).toBe('Complete')
    expectNotPrinted(run, tls.token)
  })

  it('a kubeconfig file as oc login writes it (server, CA, token, namespace)', async () => {
    const run = await runAction({
      checkout: await next('kubeconfig'),
      repository: 'acme/auth',
      inputs: { ...base, kubeconfig: tls.kubeconfigPath! },
      env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' }
    })
    expect(run.code).toBe(0)
    expect(run.outputs['build-status']).toBe('Complete')
    expect(run.outputs['build-url'].startsWith(`${tls.url}/apis/build.openshift.io/v1/namespaces/${tls.namespace}/builds/`)).toBe(true)
    expectNotPrinted(run, tls.token)
  })

  it('a wrong token: a clear 401 message, exit code 1, and neither token shows', async () => {
    const wrong = 'sha256~wrong-token-0123456789abcdef'
    const run = await runAction({
      checkout: await next('wrong'),
      repository: 'acme/auth',
      inputs: { ...base, 'openshift-server': tls.url, 'openshift-token': wrong, namespace: tls.namespace, 'certificate-authority': tls.caCert! },
      env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' }
    })
    expect(run.code).toBe(1)
    expect(errorAnnotations(run.stdout).join('\n')).toMatch(
      /^GET \/apis\/build\.openshift\.io\/v1 failed: 401 Unauthorized: .+ — the server rejected the credentials \(the token expired or was revoked, or it is not a token of this cluster\): give a valid openshift-token .+$/m
    )
    expectNotPrinted(run, wrong)
    expectNotPrinted(run, tls.token)
  })
})
