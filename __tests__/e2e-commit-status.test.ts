/**
 * End to end, the build on the commit: the bundle run as a runner runs it, with a job token (`github-token`) and
 * GITHUB_API_URL pointing at GitHub's REST API on loopback, which validates every request against GitHub's
 * published description (`@octokit/openapi`). A Complete build sets pending → success, a failing one pending →
 * failure, a job cancelled pending → error; a pull request's status goes on its head commit and names the image to
 * pull; a 403 (no `statuses: write`) leaves the step green with one warning naming the permission. The token is
 * never printed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { errorAnnotations, runAction, until, type ActionRun } from '../__fixtures__/e2e/action.js'
import { dockerfile, makeRepo } from '../__fixtures__/e2e/git.js'
import { startGithubApi, type GithubApi, type ReceivedRequest } from '../__fixtures__/e2e/github-api.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const local = useLocalOpenShift({ logWaitSeconds: 2 })
const tmp = makeTempDir('osbs-e2e-status-')
const token = `ghs_${randomBytes(18).toString('hex')}`
let github: GithubApi

beforeAll(async () => {
  github = await startGithubApi(token)
})
afterAll(async () => {
  await github?.close()
})

/** The inputs and environment of a job with a token that may write statuses. */
function withToken(extra: Record<string, string> = {}): { inputs: Record<string, string>; env: Record<string, string> } {
  return { inputs: { ...local.inputs(), 'github-token': token, ...extra }, env: { GITHUB_API_URL: github.url } }
}

/** The statuses requests a run made (those after `before`), every one valid for GitHub's description. */
function statusRequests(before: number): ReceivedRequest[] {
  const requests = github.requests.slice(before)
  expect(requests.map((r) => [r.method, r.operationId, r.problems])).toEqual(requests.map(() => ['POST', 'repos/create-commit-status', []]))
  return requests
}

function warnings(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('::warning'))
    .map((l) => l.replace(/^::warning[^:]*::/, '').replace(/%0A/g, '\n'))
}

/** The token appears only in the `::add-mask::` command the runner consumes. */
function expectTokenNotPrinted(run: ActionRun): void {
  const stdout = run.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')
  expect(run.stdout).toContain(`::add-mask::${token}`)
  expect(stdout).not.toContain(token)
  expect(run.stderr).not.toContain(token)
  expect(JSON.stringify(run.outputs)).not.toContain(token)
  expect(run.summary).not.toContain(token)
}

describe('the commit status', () => {
  it('a Complete build: pending, then success with the image pushed, linked to the build page, on GITHUB_SHA', async () => {
    const repo = makeRepo(path.join(tmp, 'app'), { Dockerfile: dockerfile('fedora:latest', 'acme/app', '1.0') })
    const before = github.requests.length
    const { inputs, env } = withToken()
    const run = await runAction({ checkout: repo, repository: 'acme/app', inputs, env })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const requests = statusRequests(before)
    expect(requests.map((r) => r.params)).toEqual([
      { owner: 'acme', repo: 'app', sha: repo.commit },
      { owner: 'acme', repo: 'app', sha: repo.commit }
    ])
    const context = `osbs/${run.outputs['build-config']}`
    const unique = run.outputs['unique-images']!.split('\n')[0]!
    expect(unique).toMatch(/^registry\.example\.com\/acme\/app:/)
    expect(requests.map((r) => r.body)).toEqual([
      { state: 'pending', description: `Build ${run.outputs['build-name']} is running on OpenShift`, context, target_url: run.outputs['build-url'] },
      { state: 'success', description: `Pushed ${unique}`, context, target_url: run.outputs['build-url'] }
    ])
    expect(requests[0]!.headers).toMatchObject({ authorization: `Bearer ${token}`, 'x-github-api-version': '2022-11-28', accept: 'application/vnd.github+json' })
    expect(warnings(run.stdout)).toEqual([])
    expect(run.summary).toContain(`Commit status \`${context}\` on \`${repo.commit.slice(0, 7)}\`: success`)
    expectTokenNotPrinted(run)
  })

  it('a failing build: pending, then failure naming the failing plugin; the step fails for the build only', async () => {
    const fault = local.emulator.faults.failPlugin('tag_and_push', 'registry refused the push')
    try {
      const repo = makeRepo(path.join(tmp, 'failing'), { Dockerfile: dockerfile('fedora:latest', 'acme/failing', '1.0') })
      const before = github.requests.length
      const { inputs, env } = withToken()
      const run = await runAction({ checkout: repo, repository: 'acme/failing', inputs, env })
      expect(run.code).toBe(1)
      expect(run.outputs['build-status']).toBe('Failed')
      const requests = statusRequests(before)
      expect(requests.map((r) => (r.body as { state: string }).state)).toEqual(['pending', 'failure'])
      const failure = requests[1]!.body as { description: string; target_url: string }
      expect(failure.description).toMatch(/^Build failing-main-[0-9a-f]{5}-1 Failed: Error in plugin tag_and_push: .*registry refused the push/)
      expect(Array.from(failure.description).length).toBeLessThanOrEqual(140)
      expect(failure.target_url).toBe(run.outputs['build-url'])
      expect(errorAnnotations(run.stdout).some((e) => e.startsWith('Error in plugin tag_and_push'))).toBe(true)
      expectTokenNotPrinted(run)
    } finally {
      local.emulator.faults.remove(fault)
    }
  })

  it("a pull request: the status goes on the pull request's head commit, not GITHUB_SHA (the merge commit), and says which image to pull", async () => {
    const repo = makeRepo(path.join(tmp, 'pr'), { Dockerfile: dockerfile('fedora:latest', 'acme/pr', '1.0') }, 'feature')
    const event = path.join(tmp, 'pull-request-event.json')
    const merge = 'f'.repeat(40)
    writeFileSync(event, JSON.stringify({ number: 5, pull_request: { number: 5, head: { sha: repo.commit, ref: 'feature', repo: { full_name: 'acme/pr' } }, base: { ref: 'main' } } }))
    const before = github.requests.length
    const { inputs, env } = withToken({ 'git-branch': 'feature', 'git-commit': repo.commit })
    const run = await runAction({
      checkout: repo,
      repository: 'acme/pr',
      inputs,
      env: { ...env, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_REF: 'refs/pull/5/merge', GITHUB_SHA: merge }
    })
    expect(run.code).toBe(0)
    const requests = statusRequests(before)
    expect(requests.map((r) => r.params.sha)).toEqual([repo.commit, repo.commit])
    const unique = run.outputs['unique-images']!.split('\n')[0]!
    expect(requests[1]!.body).toMatchObject({ state: 'success', description: `docker pull ${unique}` })
    expect(run.summary).toContain(`Pull request #5's image: \`docker pull ${unique}\``)
  })

  it('GitHub refuses the status (403, no statuses: write): the build goes on, the step succeeds, one warning names the permission, nothing more is sent', async () => {
    github.refuse = 403
    try {
      const repo = makeRepo(path.join(tmp, 'refused'), { Dockerfile: dockerfile('fedora:latest', 'acme/refused', '1.0') })
      const before = github.requests.length
      const { inputs, env } = withToken()
      const run = await runAction({ checkout: repo, repository: 'acme/refused', inputs, env })
      expect(run.code).toBe(0)
      expect(run.outputs['build-status']).toBe('Complete')
      expect(statusRequests(before).map((r) => r.answered)).toEqual([403])
      const warned = warnings(run.stdout)
      expect(warned).toHaveLength(1)
      expect(warned[0]).toContain('`statuses: write`')
      expect(warned[0]).toContain('403 (Resource not accessible by integration)')
      expect(warned[0]).toContain('GitHub asks for statuses=write')
      expect(errorAnnotations(run.stdout)).toEqual([])
      expectTokenNotPrinted(run)
    } finally {
      github.refuse = undefined
    }
  })

  it('the job cancelled (SIGINT) while the build runs: pending, then error, so that the commit is not left pending', async () => {
    const hold = local.emulator.faults.holdBuild()
    try {
      const repo = makeRepo(path.join(tmp, 'cancelled'), { Dockerfile: dockerfile('fedora:latest', 'acme/cancelled', '1.0') })
      const before = github.requests.length
      const { inputs, env } = withToken()
      const run = await runAction({
        checkout: repo,
        repository: 'acme/cancelled',
        inputs,
        env,
        onSpawn: (child) => {
          // without a pending status (none sent) the job is cancelled all the same, after the wait gave up
          void until('the pending status', () => github.requests.length > before && github.requests.at(-1)!.answered === 201)
            .catch(() => undefined)
            .then(() => child.kill('SIGINT'))
        }
      })
      expect(run.code).toBe(1)
      const requests = statusRequests(before)
      expect(requests.map((r) => (r.body as { state: string }).state)).toEqual(['pending', 'error'])
      expect((requests[1]!.body as { description: string }).description).toMatch(/Cancelled: SIGINT/)
    } finally {
      local.emulator.faults.remove(hold)
    }
  })

  it('no token (commit-status on, github-token empty as in the harness by default): no request to GitHub', async () => {
    const repo = makeRepo(path.join(tmp, 'none'), { Dockerfile: dockerfile('fedora:latest', 'acme/none', '1.0') })
    const before = github.requests.length
    const run = await runAction({ checkout: repo, repository: 'acme/none', inputs: local.inputs(), env: { GITHUB_API_URL: github.url } })
    expect(run.code).toBe(0)
    expect(github.requests.length).toBe(before)
  })
})
