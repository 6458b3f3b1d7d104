/**
 * End to end: every failure of the wait ends the step, the log follower with it — the Build deleted while its log
 * is followed, its BuildConfig deleted, the API server gone for good, the token revoked. Each run must end by itself
 * (the harness kills a run only after its own generous limit, which fails the test).
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { startCluster, type Cluster as Emulator } from '../emulator/src/index.js'
import { errorAnnotations, runAction, until } from '../__fixtures__/e2e/action.js'
import { dockerfile, makeRepo } from '../__fixtures__/e2e/git.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const tmp = makeTempDir('osbs-e2e-ends-')
/** A build that streams its log for minutes at this pace, unless stopped. */
const LONG = dockerfile('fedora:latest', 'acme/ends', '1.0', 'RUN seq 200000\n')

let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

const inputs = (e: Emulator, token = e.token): Record<string, string> => ({
  'openshift-server': e.url,
  'openshift-token': token,
  namespace: e.namespace,
  'registry-uri': 'registry.example.com/v2'
})

/** DELETE an object through the API, as `oc delete` does. */
async function remove(e: Emulator, resource: string, name: string): Promise<void> {
  const response = await fetch(`${e.url}/apis/build.openshift.io/v1/namespaces/${e.namespace}/${resource}/${name}`, { method: 'DELETE', headers: { authorization: `Bearer ${e.token}` } })
  expect(response.status).toBe(200)
}

/** Runs the action on LONG; once its log streams, `act` with the build's name. */
async function runAndThen(e: Emulator, name: string, act: (build: string) => void | Promise<void>, token?: string) {
  const repo = makeRepo(path.join(tmp, name), { Dockerfile: LONG })
  let acted = false
  const run = await runAction({
    checkout: repo,
    repository: `acme/${name}`,
    inputs: inputs(e, token),
    timeoutMs: 150_000,
    onSpawn: (child, stdout) => {
      void until('the build log to stream', () => (/ - DEBUG - 1$/m.test(stdout()) ? /Build (\S+): http/.exec(stdout())?.[1] : undefined), 60_000)
        .then(async (build) => {
          await act(build)
          acted = true
        })
        .catch(() => child.kill('SIGKILL'))
    }
  })
  expect(acted).toBe(true)
  expect(run.signal).toBeNull()
  return run
}

describe('the step ends when the wait fails', () => {
  it('the Build deleted while its log is followed', async () => {
    const e = (emulator = await startCluster({ port: 0, logWaitSeconds: 2, logPace: 1 }))
    let name = ''
    const run = await runAndThen(e, 'build-deleted', async (build) => {
      name = build
      await remove(e, 'builds', build)
    })
    expect(run.code).toBe(1)
    expect(errorAnnotations(run.stdout)).toEqual([`Build ${name} was deleted before it finished`])
  }, 180_000)

  it('the BuildConfig deleted (its builds with it)', async () => {
    const e = (emulator = await startCluster({ port: 0, logWaitSeconds: 2, logPace: 1 }))
    let name = ''
    const run = await runAndThen(e, 'bc-deleted', async (build) => {
      name = build
      await remove(e, 'buildconfigs', e.store.get('builds', e.namespace, build)!.metadata.labels!['openshift.io/build-config.name']!)
    })
    expect(run.code).toBe(1)
    expect(errorAnnotations(run.stdout)).toEqual([`Build ${name} was deleted before it finished`])
  }, 180_000)

  it('the API server gone for good', async () => {
    const e = (emulator = await startCluster({ port: 0, logWaitSeconds: 2, logPace: 1 }))
    const run = await runAndThen(e, 'server-gone', () => e.close())
    expect(run.code).toBe(1)
    const errors = errorAnnotations(run.stdout)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/ECONNREFUSED|connect|refused/i)
  }, 180_000)

  it('the token revoked while the log is followed: one clear error', async () => {
    const e = (emulator = await startCluster({ port: 0, logWaitSeconds: 2, logPace: 1 }))
    // the deployer service account's token: valid while its secret exists
    const secret = e.store.list('secrets', e.namespace).find((s) => s.type === 'kubernetes.io/service-account-token' && s.metadata.annotations?.['kubernetes.io/service-account.name'] === 'deployer')!
    const token = Buffer.from((secret.data as Record<string, string>).token, 'base64').toString('utf8')
    const run = await runAndThen(
      e,
      'revoked',
      async () => {
        const revoked = await fetch(`${e.url}/api/v1/namespaces/${e.namespace}/secrets/${secret.metadata.name}`, { method: 'DELETE', headers: { authorization: `Bearer ${e.token}` } })
        expect(revoked.status).toBe(200)
        // the open log stream and watch end, as when the API server restarts: every request from now on is refused
        e.dropConnections()
      },
      token
    )
    expect(run.code).toBe(1)
    const errors = errorAnnotations(run.stdout)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/401/)
    // said once: not also as a warning of the log follower
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::warning') && l.includes('401'))).toEqual([])
    // the runner consumes the mask command itself: the only line that may hold the token
    expect(run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'))).not.toContainEqual(expect.stringContaining(token))
  }, 180_000)
})
