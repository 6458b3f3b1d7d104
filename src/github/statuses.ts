/**
 * The one request the action makes to GitHub: `POST /repos/{owner}/{repo}/statuses/{sha}` (create a commit
 * status), with undici's fetch. Octokit would bring 220 KB into the bundle for this one call, and the toolkit's
 * `@actions/github` loads it with the action; undici is the cluster's HTTP client already. The proxy of the
 * runner (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) is honoured as for the cluster.
 *
 * The answer is never thrown: a status GitHub refuses must not fail the build's step, so the caller gets what
 * GitHub said (the HTTP status, its message, the permission it asks for) and says it once.
 */
import { fetch } from 'undici'
import { dispatcherFor } from '../cluster/dispatcher.js'
import { VERSION } from '../shared/version.js'

/** The REST API version the request is written for (GitHub's `X-GitHub-Api-Version`). */
export const GITHUB_API_VERSION = '2022-11-28'

export type StatusState = 'error' | 'failure' | 'pending' | 'success'

/** The request body, as GitHub's REST API describes it. */
export interface CommitStatus {
  state: StatusState
  target_url?: string
  description?: string
  context: string
}

export interface StatusTarget {
  apiUrl: string
  token: string
  /** `owner/name` */
  repository: string
  sha: string
}

export type StatusAnswer =
  | { ok: true }
  | {
      ok: false
      /** The HTTP status; none when no answer came (network, timeout). */
      status?: number
      /** GitHub's `message`, or the network error. */
      message: string
      /** `X-Accepted-GitHub-Permissions` of a refusal: what a GitHub App token (the job's token) needs, e.g. `statuses=write`. */
      acceptedPermissions?: string
    }

export interface PostOptions {
  env?: Record<string, string | undefined>
  /** How long the request may take (default 10 s). */
  timeoutMs?: number
  signal?: AbortSignal
}

/** The URL of the statuses of `sha` in `repository`. */
export function statusesUrl(target: Pick<StatusTarget, 'apiUrl' | 'repository' | 'sha'>): string {
  const [owner = '', name = ''] = target.repository.split('/')
  return `${target.apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/statuses/${encodeURIComponent(target.sha)}`
}

/** Sends one commit status; resolves with GitHub's answer, never rejects. */
export async function postCommitStatus(target: StatusTarget, status: CommitStatus, options: PostOptions = {}): Promise<StatusAnswer> {
  const url = statusesUrl(target)
  const dispatcher = dispatcherFor(url, options.env ?? process.env)
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000)
  try {
    const response = await fetch(url, {
      method: 'POST',
      dispatcher,
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${target.token}`,
        'content-type': 'application/json',
        'user-agent': `osbs-build-action/${VERSION}`,
        'x-github-api-version': GITHUB_API_VERSION
      },
      body: JSON.stringify(status)
    })
    const text = await response.text()
    if (response.ok) return { ok: true }
    const accepted = response.headers.get('x-accepted-github-permissions') ?? undefined
    return { ok: false, status: response.status, message: messageOf(text) || response.statusText, ...(accepted ? { acceptedPermissions: accepted } : {}) }
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause
    const why = timeout.aborted ? `no answer within ${Math.round((options.timeoutMs ?? 10_000) / 1000)} s` : cause instanceof Error ? cause.message : (error as Error).message
    return { ok: false, message: `${new URL(url).host}: ${why}` }
  } finally {
    void dispatcher.destroy().catch(() => {})
  }
}

/** GitHub's `message` of an error body (JSON `{message, errors}`), the first line of other text. */
function messageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; errors?: { message?: unknown; field?: unknown }[] }
    const details = Array.isArray(body.errors)
      ? body.errors.map((e) => (typeof e?.message === 'string' ? e.message : typeof e?.field === 'string' ? `${e.field} is not valid` : '')).filter(Boolean)
      : []
    if (typeof body.message === 'string') return [body.message, ...details].join(': ')
  } catch {
    /* not JSON */
  }
  return text.split('\n')[0]!.slice(0, 200)
}
