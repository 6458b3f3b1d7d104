/**
 * End to end: the build kinds of osbs-client through `node dist/index.js` against the local OpenShift. A pull
 * request's scratch build (same repository; a fork under pull_request_target; a fork under pull_request, which has
 * no secrets) and an isolated build of a release (1.1 pushed as <version>-1.1 only; release 1 refused).
 */
import { describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { errorAnnotations, runAction } from '../__fixtures__/e2e/action.js'
import { commitFiles, dockerfile, git, makeRepo, type Checkout } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift, writesOf } from '../__fixtures__/e2e/local-openshift.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const local = useLocalOpenShift({ logWaitSeconds: 2 })
const tmp = makeTempDir('osbs-kinds-')
const REGISTRY = 'registry.example.com:5000'
const inputs = (extra: Record<string, string> = {}) => ({ ...local.inputs(), 'registry-uri': `${REGISTRY}/v2`, ...extra })

/** Tags the local registry holds for a repository. */
const tagsOf = (repository: string): string[] => local.emulator.registries.findRegistry(REGISTRY)?.tags(repository) ?? []
const plugins = (build: any) => JSON.parse(build.spec.strategy.customStrategy.env.find((e: any) => e.name === 'ATOMIC_REACTOR_PLUGINS').value)
const objects = (plural: string) => local.emulator.store.list(plural, local.emulator.namespace)
/** The requests that write: all but the reads and the access review (a POST that asks, and stores nothing). */
const writes = () => writesOf(local.emulator.requests.list())

/** The runner's variables of a pull request event, with its payload file. */
function pullRequestEnv(event: 'pull_request' | 'pull_request_target', number: number, head: { ref: string; sha: string; repo: string; cloneUrl: string }): Record<string, string> {
  const file = path.join(tmp, `event-${event}-${number}.json`)
  const payload = {
    number,
    pull_request: {
      number,
      head: { ref: head.ref, sha: head.sha, repo: { full_name: head.repo, clone_url: head.cloneUrl } },
      base: { ref: 'main', repo: { full_name: 'acme/app' } }
    },
    repository: { full_name: 'acme/app', name: 'app', owner: { login: 'acme' } }
  }
  writeFileSync(file, JSON.stringify(payload))
  // GITHUB_SHA is the merge commit, which no clone reaches
  return { GITHUB_EVENT_NAME: event, GITHUB_EVENT_PATH: file, GITHUB_REF: `refs/pull/${number}/merge`, GITHUB_SHA: 'f'.repeat(40) }
}

describe('build kinds against the local OpenShift', () => {
  let app: Checkout
  let bcName: string

  it('a branch build first: the BuildConfig and the ImageStream the pull request must leave alone', async () => {
    app = makeRepo(path.join(tmp, 'app'), { Dockerfile: dockerfile('fedora:latest', 'acme/app', '1.0', 'RUN echo main\n') })
    const run = await runAction({ checkout: app, inputs: inputs() })
    expect(run.code).toBe(0)
    expect(run.outputs['build-kind']).toBe('branch')
    bcName = run.outputs['build-config']
    expect(tagsOf('acme/app')).toEqual(expect.arrayContaining(['1.0', '1.0-1', 'latest']))
  })

  it('a pull request from the same repository is a scratch build of its head commit: unique tag only, no BuildConfig or ImageStream touched', async () => {
    git(app.dir, 'checkout', '-q', '-b', 'feature')
    const head = commitFiles({ ...app, branch: 'feature' }, { Dockerfile: dockerfile('fedora:latest', 'acme/app', '1.0', 'RUN echo feature\n') }, 'feature')
    const bcBefore = local.emulator.store.get('buildconfigs', local.emulator.namespace, bcName)!
    const streamBefore = local.emulator.store.get('imagestreams', local.emulator.namespace, 'acme-app')!
    const tagsBefore = tagsOf('acme/app')
    local.emulator.requests.clear()

    const run = await runAction({ checkout: head, inputs: inputs(), env: pullRequestEnv('pull_request', 5, { ref: 'feature', sha: head.commit, repo: 'acme/app', cloneUrl: app.uri }) })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.outputs['build-kind']).toBe('scratch')
    expect(run.outputs['build-config']).toBe('')
    expect(run.outputs['build-name']).toMatch(/^scratch-\d{5}-\d{14}$/)
    expect(run.outputs['commit-id']).toBe(head.commit)
    expect(run.outputs['primary-images']).toBe('')
    const unique = run.outputs['unique-images']
    expect(unique).toMatch(new RegExp(`^${REGISTRY}/acme/app:none-(\\d{5})-(\\d{14})$`))
    expect(run.outputs.image).toBe(unique)
    expect(run.outputs.autorebuild).toBe('false')
    // only the unique tag was pushed
    expect(tagsOf('acme/app')).toEqual([...tagsBefore, unique.split(':').pop()].sort())

    const build = local.emulator.store.get('builds', local.emulator.namespace, run.outputs['build-name'])!
    expect(build.status.phase).toBe('Complete')
    expect(build.metadata.labels).toMatchObject({ scratch: 'true', 'git-repo-name': 'app', 'git-branch': 'feature' })
    expect(build.metadata.labels?.['openshift.io/build-config.name']).toBeUndefined()
    expect(build.spec.serviceAccount).toBe('builder')
    expect(build.spec.source.git).toEqual({ uri: app.uri, ref: head.commit })
    const list = plugins(build)
    expect(list.postbuild_plugins.find((p: any) => p.name === 'tag_by_labels')).toEqual({ name: 'tag_by_labels', args: { unique_tag_only: true } })
    expect(list.postbuild_plugins.map((p: any) => p.name)).not.toContain('compress')
    expect(list.prebuild_plugins.map((p: any) => p.name)).not.toContain('check_and_set_rebuild')

    // one write: the Build; the BuildConfig and the ImageStream as they were
    expect(writes().map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([`POST /apis/build.openshift.io/v1/namespaces/${local.emulator.namespace}/builds`])
    expect(local.emulator.store.get('buildconfigs', local.emulator.namespace, bcName)!.metadata.resourceVersion).toBe(bcBefore.metadata.resourceVersion)
    expect(local.emulator.store.get('imagestreams', local.emulator.namespace, 'acme-app')!.metadata.resourceVersion).toBe(streamBefore.metadata.resourceVersion)
    expect(objects('buildconfigs')).toHaveLength(1)
    expect(run.summary).toContain('| Kind | scratch build: no BuildConfig')
    expect(run.stdout).toContain(`Started scratch build of pull request #5 ${run.outputs['build-name']} (no BuildConfig)`)
    git(app.dir, 'checkout', '-q', 'main')
  })

  it('the branch build afterwards is unaffected: build 2 of the BuildConfig, every primary tag', async () => {
    app = commitFiles(app, { Dockerfile: dockerfile('fedora:latest', 'acme/app', '1.0', 'RUN echo main again\n') }, 'second')
    const run = await runAction({ checkout: app, inputs: inputs() })
    expect(run.code).toBe(0)
    expect(run.outputs['build-name']).toBe(`${bcName}-2`)
    expect(run.outputs['primary-images'].split('\n')).toEqual([`${REGISTRY}/acme/app:1.0-2`, `${REGISTRY}/acme/app:1.0`, `${REGISTRY}/acme/app:latest`])
  })

  it('a pull request from a fork under pull_request_target builds the fork head, cloned from the fork', async () => {
    const forkDir = path.join(tmp, 'fork')
    git(tmp, 'clone', '-q', app.dir, forkDir)
    git(forkDir, 'checkout', '-q', '-b', 'patch')
    const fork = commitFiles(
      { dir: forkDir, uri: `file://${forkDir}`, branch: 'patch', commit: '' },
      { Dockerfile: dockerfile('fedora:latest', 'acme/app', '1.0', 'RUN echo from the fork\n') },
      'fork'
    )
    const run = await runAction({
      checkout: fork,
      // git-uri unset: the head repository's clone URL from the event
      inputs: inputs({ 'git-uri': '' }),
      env: pullRequestEnv('pull_request_target', 7, { ref: 'patch', sha: fork.commit, repo: 'alice/app', cloneUrl: fork.uri })
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.outputs['build-kind']).toBe('scratch')
    expect(run.outputs['commit-id']).toBe(fork.commit)
    const build = local.emulator.store.get('builds', local.emulator.namespace, run.outputs['build-name'])!
    expect(build.spec.source.git).toEqual({ uri: fork.uri, ref: fork.commit })
    expect(build.status.phase).toBe('Complete')
    expect(await local.log(build.metadata.name)).toContain('from the fork')
  })

  it('a pull request from a fork under pull_request has no secrets: one line says so, nothing is sent', async () => {
    local.emulator.requests.clear()
    const run = await runAction({
      checkout: app,
      inputs: inputs({ 'openshift-token': '' }),
      env: pullRequestEnv('pull_request', 8, { ref: 'patch', sha: app.commit, repo: 'alice/app', cloneUrl: 'https://github.com/alice/app.git' })
    })
    expect(run.code).toBe(1)
    expect(errorAnnotations(run.stdout)).toEqual([
      'Pull request #8 comes from the fork alice/app, and GitHub runs pull_request workflows of forks without secrets: there are no OpenShift credentials, so nothing was built (see "Pull requests from forks" in the README)'
    ])
    expect(local.emulator.requests.list()).toEqual([])
  })

  it('an isolated build of release 1.1 pushes <version>-1.1 and the unique tag only, with no BuildConfig written', async () => {
    const bcBefore = local.emulator.store.get('buildconfigs', local.emulator.namespace, bcName)!
    const tagsBefore = tagsOf('acme/app')
    local.emulator.requests.clear()
    const run = await runAction({ checkout: app, inputs: inputs({ release: '1.1' }) })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.outputs['build-kind']).toBe('isolated')
    expect(run.outputs['build-name']).toMatch(/^isolated-app-main-[0-9a-f]{5}-\d{14}$/)
    expect(run.outputs['primary-images']).toBe(`${REGISTRY}/acme/app:1.0-1.1`)
    expect(run.outputs.image).toBe(`${REGISTRY}/acme/app:1.0-1.1`)
    const unique = run.outputs['unique-images'].split(':').pop()!
    expect(tagsOf('acme/app')).toEqual([...tagsBefore, '1.0-1.1', unique].sort())
    const build = local.emulator.store.get('builds', local.emulator.namespace, run.outputs['build-name'])!
    expect(build.metadata.labels).toMatchObject({ isolated: 'true', 'git-repo-name': 'app', 'git-branch': 'main' })
    const list = plugins(build)
    expect(list.prebuild_plugins.map((p: any) => p.name)).not.toContain('bump_release')
    expect(list.prebuild_plugins.find((p: any) => p.name === 'add_labels_in_dockerfile').args).toEqual({ labels: { release: '1.1' } })
    expect(writes().map((r) => r.method)).toEqual(['POST'])
    expect(local.emulator.store.get('buildconfigs', local.emulator.namespace, bcName)!.metadata.resourceVersion).toBe(bcBefore.metadata.resourceVersion)
    expect(run.summary).toContain('| Kind | isolated build:')
  })

  it('release 1 is refused before any request', async () => {
    local.emulator.requests.clear()
    const run = await runAction({ checkout: app, inputs: inputs({ release: '1' }) })
    expect(run.code).toBe(1)
    const errors = errorAnnotations(run.stdout)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^Input release: '1' is not valid\. Accepted for an isolated build: <number>\.<number>/)
    expect(local.emulator.requests.list()).toEqual([])
  })
})
