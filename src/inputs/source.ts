/** Where the build's source is (git-uri, git-branch, git-commit) and what the run knows about itself. */
import { q } from '../shared/errors.js'
import { repoNameFromGitUri } from '../naming/names.js'
import { shownUrl } from '../cluster/server-url.js'
import type { PullRequestSettings, RunContext, Settings } from '../settings.js'
import { hasPassword, type InputReader } from './reader.js'

/** A git branch name as `git check-ref-format --branch` accepts it (the parts that matter here). */
function isBranchName(value: string): boolean {
  return (
    value !== '' &&
    !/[\s~^:?*[\\\x00-\x1f\x7f]/.test(value) &&
    !value.includes('..') &&
    !value.includes('@{') &&
    !value.includes('//') &&
    !value.startsWith('/') &&
    !value.startsWith('-') &&
    !value.endsWith('/') &&
    !value.endsWith('.') &&
    !value.endsWith('.lock') &&
    value !== '@'
  )
}

/**
 * git-uri (default: this repository), git-branch (default: GITHUB_REF's branch), git-commit (default: GITHUB_SHA).
 * `head`: the pull request a scratch build builds: its head repository, branch and commit are the defaults instead
 * (the merge commit of GITHUB_SHA is in no branch a clone can reach).
 */
export function parseGit(r: InputReader, repository: string, serverUrl: string, head?: PullRequestSettings): Settings['git'] {
  const gitUriInput = r.get('git-uri')
  let gitUri = gitUriInput
  if (gitUri === '' && head?.headCloneUrl) gitUri = head.headCloneUrl
  else if (gitUri === '') {
    if (repository === '') {
      r.problems.push({ input: 'git-uri', message: 'Input git-uri: (empty) is not valid, and GITHUB_REPOSITORY is not set to derive it. Accepted: a git URI' })
    } else gitUri = `${serverUrl}/${repository}.git`
  } else if (hasPassword(gitUri)) {
    r.invalid('git-uri', shownUrl(gitUri), 'Accepted: a git URI without a password (user:password@ is written into the BuildConfig for everyone to read); give the build a source secret instead')
  } else if (/\s/.test(gitUri) || repoNameFromGitUri(gitUri) === '') {
    r.invalid('git-uri', gitUri, 'Accepted: a git URI naming a repository, e.g. https://github.com/owner/repo.git')
  }
  let branch = r.get('git-branch') || head?.headRef || ''
  if (branch === '') {
    const ref = r.context.ref ?? ''
    if (ref.startsWith('refs/heads/')) branch = ref.slice('refs/heads/'.length)
    else
      r.problems.push({
        input: 'git-branch',
        message: `Input git-branch: (empty) is not valid, and GITHUB_REF ${q(ref)} is not a branch (refs/heads/…). Accepted: the branch the BuildConfig builds; set git-branch when running on a tag, or build-kind scratch`
      })
  } else if (!isBranchName(branch)) {
    r.invalid('git-branch', branch, 'Accepted: a git branch name (no spaces, no ~ ^ : ? * [ \\, no "..")')
  }
  const commitInput = r.get('git-commit') || head?.headSha || r.context.sha || ''
  if (!/^[0-9a-fA-F]{40}$/.test(commitInput)) {
    const from = r.get('git-commit') ? '' : head?.headSha ? " (from the pull request's head commit)" : ' (from GITHUB_SHA)'
    r.problems.push({
      input: 'git-commit',
      message: `Input git-commit: ${q(commitInput)}${from} is not valid. Accepted: a full 40-hex commit id`
    })
  }
  return { uri: gitUri, branch, commit: commitInput.toLowerCase() }
}

/** What the run knows about itself, for the BuildRequest and the summary. */
export function runContext(r: InputReader, repository: string, serverUrl: string): RunContext {
  const headCommit = r.context.payload?.head_commit
  const run: RunContext = {
    repository,
    serverUrl,
    ...(repository && r.context.runId ? { runUrl: `${serverUrl}/${repository}/actions/runs/${r.context.runId}` } : {}),
    ...(r.context.actor ? { actor: r.context.actor } : {}),
    ...(r.context.eventName ? { eventName: r.context.eventName } : {}),
    ...(headCommit
      ? {
          headCommit: {
            message: headCommit.message,
            author: headCommit.author ? { name: headCommit.author.name, email: headCommit.author.email } : undefined,
            committer: headCommit.committer ? { name: headCommit.committer.name, email: headCommit.committer.email } : undefined
          }
        }
      : {})
  }
  return run
}
