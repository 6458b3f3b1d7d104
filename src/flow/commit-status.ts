/**
 * The build's state on the commit (GitHub's commit statuses): `pending` once the build exists, with its console
 * URL, then `success`, `failure` or `error` when it ended (report/commit-status.ts says which and how). The
 * requests go out in order, one after the other, without holding up the build's log; the run waits for the last
 * one before it ends (each takes 10 s at most).
 *
 * A status GitHub refuses never fails the step: the first refusal stops the statuses of the run, and one warning
 * says why when the build has ended (not in the middle of its log) — for a token without `statuses: write`, that
 * permission, by name.
 */
import type { BuildKind, CommitStatusSettings } from '../settings.js'
import type { Reporter } from '../shared/reporter.js'
import { postCommitStatus, type PostOptions, type StatusAnswer } from '../github/statuses.js'
import { finalStatus, imageToPull, pendingStatus, statusContext, unknownStatus, type StatusText } from '../report/commit-status.js'
import type { BuildFacts } from '../report/outputs.js'

/** What a run's result tells the status (BuildResult's fields). */
export interface EndedBuild {
  success: boolean
  failure?: string
  facts?: BuildFacts
}

/** The first line of the warning for a status GitHub did not take. */
export function refusalWarning(settings: CommitStatusSettings, context: string, answer: Exclude<StatusAnswer, { ok: true }>): string {
  const where = `The commit status ${context} was not set on ${settings.repository}@${settings.sha.slice(0, 7)}`
  const said = answer.status ? `GitHub answered ${answer.status} (${answer.message})` : answer.message
  if (answer.status === 401) return `${where}: ${said}. github-token is not a valid token; give the job's own (the default) or set commit-status: false`
  if (answer.status === 403 || answer.status === 404) {
    const asks = answer.acceptedPermissions ? ` (GitHub asks for ${answer.acceptedPermissions})` : ''
    const fork = settings.fromFork ? ' A pull request from a fork gets a read-only token under `pull_request`, whatever the workflow asks for.' : ''
    return `${where}: ${said}. The token needs the permission \`statuses: write\`${asks}: add \`statuses: write\` to the job's \`permissions:\`, ` + `or set commit-status: false.${fork}`
  }
  return `${where}: ${said}. The build's result is not changed by this`
}

export class CommitStatusReporter {
  readonly context: string
  private queue: Promise<void> = Promise.resolve()
  private refusal: string | undefined
  private warned = false
  private buildName: string | undefined
  private buildUrl: string | undefined
  private sent: StatusText | undefined

  constructor(
    private readonly settings: CommitStatusSettings,
    buildConfig: string,
    private readonly reporter: Reporter,
    private readonly options: PostOptions = {},
    kind: BuildKind = 'branch'
  ) {
    this.context = statusContext(buildConfig, kind)
  }

  /** The build exists: `pending`, linked to its page. Returns at once; the request goes out in the background. */
  started(build: { name: string; url: string }): void {
    this.buildName = build.name
    this.buildUrl = build.url
    this.send(pendingStatus(build.name), build.url)
  }

  /** The build ended (or the run gave up on it): its final state, sent and awaited. */
  async ended(result: EndedBuild): Promise<void> {
    if (this.buildName === undefined) return
    if (result.facts) {
      const status = finalStatus({ facts: result.facts, success: result.success, failure: result.failure, pullRequest: this.settings.pullRequest !== undefined })
      this.send(status, result.facts.buildUrl)
    }
    await this.settle()
  }

  /** The run lost its build (the wait failed): `error`, so that the commit is not left pending. */
  async lost(error: unknown): Promise<void> {
    if (this.buildName === undefined) return
    this.send(unknownStatus(this.buildName, error instanceof Error ? error.message : String(error)), this.buildUrl)
    await this.settle()
  }

  /** Markdown for the job summary: the status set, and for a pull request the image to pull. */
  summary(facts: BuildFacts | undefined): string {
    if (!this.sent || this.refusal) return ''
    const lines = [`Commit status \`${this.context}\` on \`${this.settings.sha.slice(0, 7)}\`: ${this.sent.state}`]
    const image = facts?.phase === 'Complete' ? imageToPull(facts) : undefined
    if (this.settings.pullRequest !== undefined && image) lines.push(`Pull request #${this.settings.pullRequest}'s image: \`docker pull ${image}\``)
    return `\n${lines.join('\n\n')}\n`
  }

  private send(status: StatusText, targetUrl: string | undefined): void {
    this.queue = this.queue.then(async () => {
      if (this.refusal !== undefined) return
      const body = { state: status.state, description: status.description, context: this.context, ...(targetUrl ? { target_url: targetUrl } : {}) }
      const answer = await postCommitStatus(this.settings, body, this.options)
      if (answer.ok) {
        this.sent = status
        this.reporter.debug(`Commit status ${this.context} on ${this.settings.sha}: ${status.state}`)
      } else this.refusal = refusalWarning(this.settings, this.context, answer)
    })
  }

  private async settle(): Promise<void> {
    await this.queue
    if (this.refusal !== undefined && !this.warned) {
      this.warned = true
      this.reporter.warning(this.refusal)
    } else if (this.sent && !this.refusal) this.reporter.info(`Commit status ${this.context}: ${this.sent.state} (${this.sent.description})`)
  }
}

/** The run's commit status reporter; none when no status is to be sent (no token, commit-status: false, wait: false). */
export function commitStatusFor(
  settings: { commitStatus?: CommitStatusSettings; wait: boolean; kind?: BuildKind },
  buildConfig: string,
  reporter: Reporter,
  options: PostOptions = {}
): CommitStatusReporter | undefined {
  if (!settings.commitStatus) return undefined
  if (!settings.wait) {
    reporter.debug('No commit status: with wait: false the run does not see the build end, and a status would stay pending')
    return undefined
  }
  return new CommitStatusReporter(settings.commitStatus, buildConfig, reporter, options, settings.kind)
}
