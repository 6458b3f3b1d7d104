/** The commit status's rules: the commit a run's status goes on, its state, its description within GitHub's limit, the warning of a refusal. */
import { describe, expect, it } from '@jest/globals'
import { refusalWarning } from '../src/flow/commit-status.js'
import { parseCommitStatus } from '../src/inputs/commit-status.js'
import type { GithubContext, RawInputs } from '../src/inputs/raw.js'
import { InputReader } from '../src/inputs/reader.js'
import { DESCRIPTION_LIMIT, finalStatus, limitDescription, pendingStatus, statusContext } from '../src/report/commit-status.js'
import type { ImageRef } from '../src/report/outputs.js'
import type { CommitStatusSettings } from '../src/settings.js'

const SHA = 'c8d6c8a4057b4bd81aadd1400e2dc7870ab47bcd'
const HEAD = 'ba0106ca457728d6f8cba8850adbefbca503d2cb'

function read(raw: RawInputs, context: GithubContext = {}) {
  const r = new InputReader(raw, { repository: 'acme/app', sha: SHA, ...context }, { env: {}, homedir: '/home/runner', cwd: '/work', readFile: () => null })
  return { settings: parseCommitStatus(r, context.repository ?? 'acme/app'), problems: r.problems, secrets: r.secrets }
}

describe('github-token and commit-status', () => {
  it('a push: the status goes on GITHUB_SHA at GITHUB_API_URL (default https://api.github.com), the token masked', () => {
    expect(read({ 'github-token': 'ghs_abc' })).toEqual({
      settings: { apiUrl: 'https://api.github.com', token: 'ghs_abc', repository: 'acme/app', sha: SHA },
      problems: [],
      secrets: ['ghs_abc']
    })
    expect(read({ 'github-token': 'ghs_abc' }, { apiUrl: 'https://ghe.example.com/api/v3/' }).settings?.apiUrl).toBe('https://ghe.example.com/api/v3')
  })

  it("a pull request (pull_request or pull_request_target): the pull request's head commit, not GITHUB_SHA; a fork is told apart", () => {
    const payload = (head: string) => ({ pull_request: { number: 5, head: { sha: HEAD, repo: { full_name: head } } } })
    expect(read({ 'github-token': 't' }, { eventName: 'pull_request', payload: payload('acme/app') }).settings).toMatchObject({ sha: HEAD, pullRequest: 5, fromFork: false })
    expect(read({ 'github-token': 't' }, { eventName: 'pull_request_target', payload: payload('someone/app') }).settings).toMatchObject({ sha: HEAD, pullRequest: 5, fromFork: true })
    // another event with a pull_request in its payload (e.g. a comment) keeps GITHUB_SHA
    expect(read({ 'github-token': 't' }, { eventName: 'push', payload: payload('acme/app') }).settings).toMatchObject({ sha: SHA })
  })

  it('no status without a token or with commit-status: false; the token is masked all the same', () => {
    expect(read({ 'github-token': '' }).settings).toBeUndefined()
    expect(read({ 'github-token': 'ghs_x', 'commit-status': 'false' })).toMatchObject({ settings: undefined, problems: [], secrets: ['ghs_x'] })
    expect(read({ 'github-token': 'ghs_x', 'commit-status': 'maybe' }).problems.map((p) => p.message)).toEqual(["Input commit-status: 'maybe' is not valid. Accepted: true or false"])
  })

  it('a GITHUB_API_URL that is not http(s), or no commit: a problem that says how to go on', () => {
    expect(read({ 'github-token': 't' }, { apiUrl: 'ftp://x' }).problems.map((p) => p.message)).toEqual([
      "GITHUB_API_URL 'ftp://x' is not an http(s) URL, so the commit status cannot be sent. Set commit-status: false, or run where the runner sets GITHUB_API_URL"
    ])
    expect(read({ 'github-token': 't' }, { sha: '' }).problems.map((p) => p.input)).toEqual(['commit-status'])
  })
})

const image = (pullSpec: string, role: ImageRef['role']): ImageRef => ({ kind: 'v2', pullSpec, role })
const images = [image('registry.example.com/acme/app:1.0-1', 'primary'), image('registry.example.com/acme/app:none-12345-20240101120000', 'unique')]

describe('the status of a build', () => {
  it('context osbs/<BuildConfig>; pending while it runs', () => {
    expect(statusContext('app-main-a8805')).toBe('osbs/app-main-a8805')
    expect(statusContext('app-main-a8805', 'scratch')).toBe('osbs/scratch/app-main-a8805')
    expect(statusContext('app-main-a8805', 'isolated')).toBe('osbs/isolated/app-main-a8805')
    expect(pendingStatus('app-main-a8805-3')).toEqual({ state: 'pending', description: 'Build app-main-a8805-3 is running on OpenShift' })
  })

  it('Complete: success, the unique image pushed (docker pull on a pull request)', () => {
    const facts = { buildName: 'app-main-a8805-3', phase: 'Complete', images }
    expect(finalStatus({ facts, success: true, pullRequest: false })).toEqual({ state: 'success', description: 'Pushed registry.example.com/acme/app:none-12345-20240101120000' })
    expect(finalStatus({ facts, success: true, pullRequest: true })).toEqual({ state: 'success', description: 'docker pull registry.example.com/acme/app:none-12345-20240101120000' })
    // a pull spec that does not fit is not cut: the summary has it
    const long = { ...facts, images: [image(`registry.example.com/${'a'.repeat(130)}:1`, 'unique')] }
    expect(finalStatus({ facts: long, success: true, pullRequest: false })).toEqual({ state: 'success', description: 'Build app-main-a8805-3 is Complete; the image is in the job summary' })
  })

  it('Failed: failure with the failing plugin; Cancelled and Error: error', () => {
    const failed = { buildName: 'b-1', phase: 'Failed', images: [] }
    expect(finalStatus({ facts: failed, success: false, failure: 'Error in plugin tag_and_push: refused', pullRequest: false })).toEqual({
      state: 'failure',
      description: 'Build b-1 Failed: Error in plugin tag_and_push: refused'
    })
    expect(finalStatus({ facts: { ...failed, phase: 'Cancelled' }, success: false, failure: 'SIGINT: build b-1 was cancelled', pullRequest: false }).state).toBe('error')
    expect(finalStatus({ facts: { ...failed, phase: 'Error', message: 'pod lost' }, success: false, pullRequest: false })).toEqual({ state: 'error', description: 'Build b-1 Error: pod lost' })
  })

  it("descriptions fit GitHub's 140 characters, counted as characters (not UTF-16 units), on one line", () => {
    expect(DESCRIPTION_LIMIT).toBe(140)
    expect(limitDescription('a\n  b')).toBe('a b')
    expect(limitDescription('x'.repeat(140))).toBe('x'.repeat(140))
    expect(limitDescription('x'.repeat(141))).toBe(`${'x'.repeat(139)}…`)
    const emoji = limitDescription('🐳'.repeat(200))
    expect(Array.from(emoji)).toHaveLength(140)
    expect(emoji.length).toBe(139 * 2 + 1)
  })
})

describe('the warning of a refused status', () => {
  const settings: CommitStatusSettings = { apiUrl: 'https://api.github.com', token: 'ghs_secret', repository: 'acme/app', sha: SHA }
  it('403: names statuses: write and what GitHub asks for; a fork under pull_request is said; never the token', () => {
    const refused = { ok: false as const, status: 403, message: 'Resource not accessible by integration', acceptedPermissions: 'statuses=write' }
    const text = refusalWarning(settings, 'osbs/app', refused)
    expect(text).toBe(
      "The commit status osbs/app was not set on acme/app@c8d6c8a: GitHub answered 403 (Resource not accessible by integration). The token needs the permission `statuses: write` (GitHub asks for statuses=write): add `statuses: write` to the job's `permissions:`, or set commit-status: false."
    )
    expect(refusalWarning({ ...settings, fromFork: true }, 'osbs/app', refused)).toMatch(/a read-only token under `pull_request`/)
    expect(text).not.toContain('ghs_secret')
  })

  it('401 and no answer say what they are', () => {
    expect(refusalWarning(settings, 'osbs/app', { ok: false, status: 401, message: 'Bad credentials' })).toMatch(/401 \(Bad credentials\)\. github-token is not a valid token/)
    expect(refusalWarning(settings, 'osbs/app', { ok: false, message: 'api.github.com: no answer within 10 s' })).toBe(
      "The commit status osbs/app was not set on acme/app@c8d6c8a: api.github.com: no answer within 10 s. The build's result is not changed by this"
    )
  })
})
