/**
 * The build as a GitHub commit status: its context, its state, its link and its one-line description. GitHub's
 * semantics: `pending` while the build runs; `success` for a Complete build; `failure` for a build that failed
 * (the code or the Dockerfile, as a test failure would be); `error` for a build that did not come to a verdict
 * (cancelled, timed out, the cluster's own error, or the step lost track of it). GitHub refuses a description
 * longer than 140 characters (422 "description is too long (maximum is 140 characters)").
 */
import type { BuildKind } from '../settings.js'
import type { StatusState } from '../github/statuses.js'
import type { BuildFacts } from './outputs.js'

export const DESCRIPTION_LIMIT = 140

export interface StatusText {
  state: StatusState
  description: string
}

/**
 * The status's context: one per BuildConfig, so that two builds of a commit (two Dockerfiles) keep their own; a
 * scratch or an isolated build of it (a Build posted directly) has its own beside the branch's.
 */
export function statusContext(buildConfig: string, kind: BuildKind = 'branch'): string {
  return kind === 'branch' ? `osbs/${buildConfig}` : `osbs/${kind}/${buildConfig}`
}

/** `text` within GitHub's limit, counted in characters (code points) as GitHub counts them; cut with an ellipsis. */
export function limitDescription(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  const chars = Array.from(oneLine)
  return chars.length <= DESCRIPTION_LIMIT ? oneLine : `${chars.slice(0, DESCRIPTION_LIMIT - 1).join('')}…`
}

/** The image a reviewer pulls: the build's unique tag (only this build has it), else the first image pushed. */
export function imageToPull(facts: Pick<BuildFacts, 'images'>): string | undefined {
  return (facts.images.find((i) => i.role === 'unique') ?? facts.images[0])?.pullSpec
}

export function pendingStatus(buildName: string): StatusText {
  return { state: 'pending', description: limitDescription(`Build ${buildName} is running on OpenShift`) }
}

export interface FinalStatusInput {
  facts: Pick<BuildFacts, 'buildName' | 'phase' | 'images' | 'message'>
  success: boolean
  /** Why the step failed, when it did. */
  failure?: string
  /** The run is for a pull request: the description says which image to pull. */
  pullRequest: boolean
}

/** The status of a build that ended. */
export function finalStatus({ facts, success, failure, pullRequest }: FinalStatusInput): StatusText {
  const name = facts.buildName
  if (success && facts.phase === 'Complete') {
    const image = imageToPull(facts)
    if (!image) return { state: 'success', description: limitDescription(`Build ${name} is Complete`) }
    const pushed = pullRequest ? `docker pull ${image}` : `Pushed ${image}`
    // A pull spec cut short is of no use: past the limit, the job summary has it.
    return { state: 'success', description: Array.from(pushed).length <= DESCRIPTION_LIMIT ? pushed : limitDescription(`Build ${name} is Complete; the image is in the job summary`) }
  }
  const why = failure ?? facts.message
  const text = `Build ${name} ${facts.phase}${why ? `: ${why}` : ''}`
  return { state: facts.phase === 'Failed' ? 'failure' : 'error', description: limitDescription(text) }
}

/** The status of a run that lost track of its build (the wait or the log failed for good). */
export function unknownStatus(buildName: string, error: string): StatusText {
  return { state: 'error', description: limitDescription(`Build ${buildName}: its end is not known: ${error}`) }
}
