/**
 * The edge between the GitHub toolkit and the library: the inputs through `@actions/core` and the run's context
 * from the runner's variables and event file, turned into Settings by the pure `parseSettings`.
 */
import { readFileSync } from 'node:fs'
import * as core from './toolkit.js'
import { ProblemsError } from '../shared/errors.js'
import { githubContextFrom } from './github-context.js'
import { parseSettings, processEnvironment } from '../inputs/parse.js'
import { INPUT_NAMES, type GithubContext, type InputName, type RawInputs } from '../inputs/raw.js'
import type { Settings } from '../settings.js'

/** Inputs masked as soon as they are read. */
const TOKEN_INPUTS: readonly InputName[] = ['openshift-token', 'github-token']

/** The GitHub context of this run, as the runner gives it to the step. */
export function githubContext(): GithubContext {
  return githubContextFrom(process.env, (file) => {
    try {
      return readFileSync(file, 'utf8')
    } catch {
      return null
    }
  })
}

/**
 * Reads every input with `core.getInput`, masks the tokens at once, and returns the Settings. Throws a
 * ProblemsError listing every invalid value.
 */
export function readSettings(reporter: { notice(message: string): void } = { notice: (m) => core.notice(m) }): Settings {
  const raw: RawInputs = {}
  for (const name of INPUT_NAMES) {
    const value = (raw[name] = core.getInput(name))
    if (value && TOKEN_INPUTS.includes(name)) core.setSecret(value)
  }
  const result = parseSettings(raw, githubContext(), processEnvironment())
  for (const secret of result.secrets) if (!TOKEN_INPUTS.some((name) => raw[name] === secret)) core.setSecret(secret)
  if (!result.ok) throw new ProblemsError(result.problems)
  for (const notice of result.notices) reporter.notice(notice)
  return result.settings
}
