/**
 * The edge between the GitHub toolkit and the library: the inputs through `@actions/core` and the run's context
 * through `@actions/github`, turned into Settings by the pure `parseSettings`.
 */
import * as core from '@actions/core'
import * as github from '@actions/github'
import { ProblemsError } from './errors.js'
import { INPUT_NAMES, parseSettings, processEnvironment, type GithubContext, type RawInputs } from './inputs.js'
import type { Settings } from './settings.js'

/** The GitHub context of this run, from `@actions/github`. */
export function githubContext(): GithubContext {
  const context = github.context
  let repository: string | undefined
  try {
    repository = `${context.repo.owner}/${context.repo.repo}`
  } catch {
    repository = undefined
  }
  return {
    ref: context.ref || undefined,
    sha: context.sha || undefined,
    repository,
    serverUrl: context.serverUrl,
    runId: Number.isFinite(context.runId) && context.runId > 0 ? context.runId : undefined,
    actor: context.actor || undefined,
    eventName: context.eventName || undefined,
    payload: context.payload
  }
}

/**
 * Reads every input with `core.getInput`, masks the token at once, and returns the Settings. Throws a
 * ProblemsError listing every invalid value.
 */
export function readSettings(reporter: { notice(message: string): void } = { notice: (m) => core.notice(m) }): Settings {
  const token = core.getInput('openshift-token')
  if (token) core.setSecret(token)
  const raw: RawInputs = {}
  for (const name of INPUT_NAMES) raw[name] = name === 'openshift-token' ? token : core.getInput(name)
  const result = parseSettings(raw, githubContext(), processEnvironment())
  for (const secret of result.secrets) if (secret !== token) core.setSecret(secret)
  if (!result.ok) throw new ProblemsError(result.problems)
  for (const notice of result.notices) reporter.notice(notice)
  return result.settings
}
