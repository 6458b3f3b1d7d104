/**
 * A private repository (issue 22, part 2), through the bundled action against the local OpenShift: the repository
 * is served by the local OpenShift's git server over git's smart HTTP protocol behind basic authentication, as
 * GitHub serves a private repository. With `source-secret` (a `kubernetes.io/basic-auth` secret holding the
 * token), the build's own `git` clones it; without, the build fails at the clone and the step says why; a secret
 * that does not exist is refused before anything is written.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startGitServer, type GitServer } from '../emulator/src/index.js'
import { errorAnnotations, runAction } from '../__fixtures__/e2e/action.js'
import { dockerfile, makeRepo, type Checkout } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift, writesOf } from '../__fixtures__/e2e/local-openshift.js'

const local = useLocalOpenShift({ logWaitSeconds: 1 })
const tmp = mkdtempSync(path.join(os.tmpdir(), 'osbs-private-'))
let git: GitServer
let repo: Checkout
let privateUri: string

beforeAll(async () => {
  git = await startGitServer()
  repo = makeRepo(path.join(tmp, 'private'), { Dockerfile: dockerfile('fedora:latest', 'acme/private', '1.0') })
  privateUri = git.publish('private', repo.dir)
})
afterAll(async () => {
  await git?.close()
  rmSync(tmp, { recursive: true, force: true })
})

/** A basic-auth secret as `oc create secret generic NAME --from-literal=username=… --from-literal=password=… --type=kubernetes.io/basic-auth` makes it. */
async function createBasicAuthSecret(name: string, username: string, password: string): Promise<void> {
  await local.api.request({
    verb: 'POST',
    group: 'core',
    resource: 'secrets',
    body: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name },
      type: 'kubernetes.io/basic-auth',
      data: { username: Buffer.from(username).toString('base64'), password: Buffer.from(password).toString('base64') }
    }
  })
}

describe('a private repository', () => {
  it('is cloned with source-secret: the build authenticates with the secret and completes', async () => {
    await createBasicAuthSecret('github-token', git.username, git.password)
    git.requests.length = 0
    const run = await runAction({ checkout: { ...repo, uri: privateUri }, repository: 'acme/private', inputs: { ...local.inputs(), 'source-secret': 'github-token' } })
    if (run.code !== 0) console.log(run.stdout)
    expect(run.code).toBe(0)
    expect(run.outputs['build-status']).toBe('Complete')
    expect(run.outputs['commit-id']).toBe(repo.commit)
    // the clone went through the credentials: refused once (git asks for them only after a 401), then served as the user
    expect(git.requests.some((r) => r.status === 401)).toBe(true)
    expect(git.requests.filter((r) => r.user === git.username && r.status === 200).length).toBeGreaterThan(0)
    // the BuildConfig names the secret, and carries no credential
    const bc = local.emulator.store.get('buildconfigs', local.emulator.namespace, run.outputs['build-config'])!
    expect(bc.spec.source.sourceSecret).toEqual({ name: 'github-token' })
    expect(JSON.stringify(bc)).not.toContain(git.password)
    expect(run.stdout).not.toContain(git.password)
  })

  it('without source-secret, the build fails at the clone and the step says that the repository needs a source secret', async () => {
    const run = await runAction({ checkout: { ...repo, uri: privateUri }, repository: 'acme/private', inputs: { ...local.inputs(), 'build-config-name': 'private-no-secret' } })
    expect(run.code).toBe(1)
    expect(run.outputs['build-status']).toBe('Failed')
    const log = await local.log(run.outputs['build-name'])
    expect(log).toContain(`fatal: could not read Username for '${git.url}'`)
    const errors = errorAnnotations(run.stdout).join('\n')
    expect(errors).toContain(`could not clone ${privateUri}`)
    expect(errors).toContain('source-secret')
  })

  it('with a source-secret that does not exist: refused before anything is written', async () => {
    local.emulator.requests.clear()
    const run = await runAction({
      checkout: { ...repo, uri: privateUri },
      repository: 'acme/private',
      inputs: { ...local.inputs(), 'source-secret': 'no-such-secret', 'build-config-name': 'private-missing' }
    })
    expect(run.code).toBe(1)
    expect(errorAnnotations(run.stdout)).toContain(
      `Secret "no-such-secret" (input source-secret) does not exist in namespace ${local.emulator.namespace}: create it there, or correct input source-secret`
    )
    const requests = local.emulator.requests.list()
    expect(requests.some((r) => r.method === 'GET' && r.url.includes('/secrets/no-such-secret'))).toBe(true)
    // the access review is a POST that asks and stores nothing
    expect(writesOf(requests)).toEqual([])
  })
})
