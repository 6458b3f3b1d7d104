/**
 * What the run says about itself, read as the runner gives it to a step: the `GITHUB_*` variables and the event
 * payload file (`GITHUB_EVENT_PATH`). The same values `@actions/github`'s `context` reads, without loading Octokit,
 * which that package brings along (a 220,817-byte chunk of the bundle) and the action needs for no request.
 */
import type { GithubContext } from '../inputs/raw.js'

export function githubContextFrom(env: Record<string, string | undefined>, readFile: (file: string) => string | null): GithubContext {
  const payload = eventPayload(env.GITHUB_EVENT_PATH, readFile)
  const runId = Number.parseInt(env.GITHUB_RUN_ID ?? '', 10)
  return {
    ref: env.GITHUB_REF || undefined,
    sha: env.GITHUB_SHA || undefined,
    repository: repositoryOf(env.GITHUB_REPOSITORY, payload),
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    apiUrl: env.GITHUB_API_URL || undefined,
    runId: Number.isFinite(runId) && runId > 0 ? runId : undefined,
    actor: env.GITHUB_ACTOR || undefined,
    eventName: env.GITHUB_EVENT_NAME || undefined,
    payload
  }
}

/** The event's payload; none when the file is missing or is not a JSON object (`head_commit` and `pull_request.head` are read from it). */
function eventPayload(file: string | undefined, readFile: (file: string) => string | null): Record<string, any> {
  const text = file ? readFile(file) : null
  if (text === null) return {}
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, any>) : {}
  } catch {
    return {}
  }
}

/** `owner/name`: GITHUB_REPOSITORY, else the payload's repository (as `@actions/github`'s `context.repo`). */
function repositoryOf(variable: string | undefined, payload: Record<string, any>): string | undefined {
  if (variable) {
    const [owner, name] = variable.split('/')
    return `${owner}/${name}`
  }
  const repo = payload.repository as { owner?: { login?: unknown }; name?: unknown } | undefined
  if (typeof repo?.owner?.login === 'string' && typeof repo.name === 'string') return `${repo.owner.login}/${repo.name}`
  return undefined
}
