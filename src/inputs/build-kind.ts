/**
 * The kind of build (osbs-client's three): `branch` (the BuildConfig of a branch, with its trigger), `scratch`
 * (`osbs build --scratch`: a Build posted directly, only its unique tag pushed) and `isolated` (`--isolated
 * --release X.Y`: a Build posted directly, pushed as `<version>-<release>`); the release of an isolated build; and
 * what a pull request's event says about the commit to build.
 */
import { q, type Problem } from '../shared/errors.js'
import type { BuildKind, PullRequestSettings } from '../settings.js'
import type { GithubContext } from './raw.js'
import type { InputReader } from './reader.js'

export const BUILD_KINDS: readonly BuildKind[] = ['branch', 'scratch', 'isolated']

/** osbs-client's ISOLATED_RELEASE_FORMAT (osbs/constants.py): `1.1`, `2.3.hotfix`; not `1`. */
export const ISOLATED_RELEASE_FORMAT = /^\d+\.\d+(\..+)?$/

/** The events whose GITHUB_REF is a pull request's merge ref (refs/pull/N/merge). */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

/** The pull request of the run's event (`pull_request` or `pull_request_target`), read from its payload. */
export function pullRequestOf(context: GithubContext): PullRequestSettings | undefined {
  if (!PULL_REQUEST_EVENTS.has(context.eventName ?? '')) return undefined
  const pr = context.payload?.pull_request
  if (!pr || typeof pr !== 'object') return undefined
  const head = pr.head ?? {}
  const headRepo: string | undefined = typeof head.repo?.full_name === 'string' ? head.repo.full_name : undefined
  const baseRepo: string | undefined = typeof pr.base?.repo?.full_name === 'string' ? pr.base.repo.full_name : context.repository
  return {
    number: Number(pr.number ?? context.payload?.number ?? 0),
    event: context.eventName as 'pull_request' | 'pull_request_target',
    ...(typeof head.ref === 'string' ? { headRef: head.ref } : {}),
    ...(typeof head.sha === 'string' ? { headSha: head.sha } : {}),
    ...(typeof head.repo?.clone_url === 'string' ? { headCloneUrl: head.repo.clone_url } : {}),
    // A deleted fork has no head repository: it is a fork all the same.
    ...(headRepo === undefined || headRepo !== baseRepo ? { fork: headRepo ?? '(deleted repository)' } : {})
  }
}

/** build-kind (default: isolated with a release, scratch on a pull request, else branch) and release. */
export function parseBuildKind(r: InputReader): { kind: BuildKind; release?: string; pullRequest?: PullRequestSettings } {
  const pullRequest = pullRequestOf(r.context)
  const release = r.optional('release')
  const given = r.get('build-kind')
  let kind: BuildKind
  if (given === '') kind = release ? 'isolated' : pullRequest ? 'scratch' : 'branch'
  else if ((BUILD_KINDS as readonly string[]).includes(given)) kind = given as BuildKind
  else {
    r.invalid('build-kind', given, 'Accepted: branch, scratch or isolated (empty: isolated when release is set, scratch on a pull request, else branch)')
    kind = 'branch'
  }
  if (kind === 'isolated') {
    if (!release)
      r.problems.push({ input: 'release', message: 'Input release: (empty) is not valid: an isolated build needs the release it patches. Accepted: a release such as 1.1 (^\\d+\\.\\d+(\\..+)?$)' })
    else if (!ISOLATED_RELEASE_FORMAT.test(release))
      r.invalid(
        'release',
        release,
        "Accepted for an isolated build: <number>.<number>, optionally followed by .<anything> (^\\d+\\.\\d+(\\..+)?$, osbs-client's format), e.g. 1.1 or 2.3.hotfix; release 1 is the first build of the version, which an isolated build never replaces"
      )
  } else if (release) {
    r.problems.push({
      input: 'release',
      message: `Input release: ${q(release)} is only used by an isolated build, and build-kind is ${kind}. Accepted: build-kind isolated (or empty) with release, or no release`
    })
  }
  return { kind, ...(release && kind === 'isolated' ? { release } : {}), ...(pullRequest ? { pullRequest } : {}) }
}

/**
 * The one problem left for a pull request from a fork under `pull_request`, which GitHub runs without secrets:
 * when no credentials came with it, saying so replaces every credentials problem.
 */
export function forkWithoutSecrets(pullRequest: PullRequestSettings | undefined, problems: Problem[]): Problem | undefined {
  if (pullRequest?.event !== 'pull_request' || pullRequest.fork === undefined) return undefined
  if (!problems.some((p) => p.input === 'openshift-token' && /no credentials/.test(p.message))) return undefined
  return {
    message:
      `Pull request #${pullRequest.number} comes from the fork ${pullRequest.fork}, and GitHub runs pull_request workflows of forks without secrets: ` +
      'there are no OpenShift credentials, so nothing was built (see "Pull requests from forks" in the README)'
  }
}
