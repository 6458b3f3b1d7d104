/**
 * `github-token` and `commit-status`: whether the build's state goes to the commit as a GitHub commit status, and
 * where (GITHUB_API_URL, the repository, the commit). The commit is the one the run is about: GITHUB_SHA, except for
 * a pull request, whose GITHUB_SHA is a merge commit (`pull_request`) or the base branch (`pull_request_target`),
 * and whose own commit is the event's `pull_request.head.sha`.
 */
import { q } from '../shared/errors.js'
import { trimEndChar } from '../shared/linear-text.js'
import type { CommitStatusSettings } from '../settings.js'
import type { InputReader } from './reader.js'

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target']

/** The commit a status of this run belongs on, and the pull request when the run is for one. */
export function statusCommit(r: InputReader): { sha: string; pullRequest?: number; fromFork?: boolean } {
  const { eventName, payload, sha } = r.context
  const pr = payload?.pull_request as { number?: unknown; head?: { sha?: unknown; repo?: { full_name?: unknown } } } | undefined
  if (eventName && PULL_REQUEST_EVENTS.includes(eventName) && typeof pr?.head?.sha === 'string') {
    const headRepository = pr.head.repo?.full_name
    return {
      sha: pr.head.sha,
      ...(typeof pr.number === 'number' ? { pullRequest: pr.number } : {}),
      ...(typeof headRepository === 'string' && r.context.repository ? { fromFork: headRepository.toLowerCase() !== r.context.repository.toLowerCase() } : {})
    }
  }
  return { sha: sha ?? '' }
}

/** The commit status settings, or undefined when none is to be sent (commit-status: false, no token). */
export function parseCommitStatus(r: InputReader, repository: string): CommitStatusSettings | undefined {
  const enabled = r.bool('commit-status', true)
  const token = r.get('github-token')
  if (token) r.secrets.push(token)
  if (!enabled || token === '') return undefined
  const apiUrl = trimEndChar(r.context.apiUrl || 'https://api.github.com', '/')
  if (!/^https?:\/\/[^\s/]+/.test(apiUrl)) {
    r.problems.push({
      input: 'github-token',
      message: `GITHUB_API_URL ${q(apiUrl)} is not an http(s) URL, so the commit status cannot be sent. Set commit-status: false, or run where the runner sets GITHUB_API_URL`
    })
    return undefined
  }
  const commit = statusCommit(r)
  if (!/^[0-9a-fA-F]{40}$/.test(commit.sha) || repository === '') {
    r.problems.push({
      input: 'commit-status',
      message: `Input commit-status: true needs the run's repository and commit, and GITHUB_REPOSITORY is ${q(repository)}, the commit ${q(commit.sha)}. Set commit-status: false`
    })
    return undefined
  }
  return { apiUrl, token, repository, ...commit, sha: commit.sha.toLowerCase() }
}
