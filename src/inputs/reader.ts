/** Reading the raw inputs one by one: the InputReader that collects every problem and every value to mask, and the list input. */
import path from 'node:path'
import { invalidInput, type Problem } from '../shared/errors.js'
import { urlCredentials, withoutUserInfo } from '../shared/mask.js'
import type { Environment, GithubContext, InputName, RawInputs } from './raw.js'

const TRUE = ['true', 'True', 'TRUE']
export const FALSE = ['false', 'False', 'FALSE']

/** The raw inputs of one run, read one by one: every problem and every value to mask is collected here. */
export class InputReader {
  readonly problems: Problem[] = []
  /** Values to mask before anything is printed. */
  readonly secrets: string[] = []
  /** The checkout (GITHUB_WORKSPACE). */
  readonly workspace: string

  constructor(
    readonly raw: RawInputs,
    readonly context: GithubContext,
    readonly environment: Environment
  ) {
    this.workspace = path.resolve(environment.env.GITHUB_WORKSPACE || environment.cwd)
  }

  get(name: InputName): string {
    return (this.raw[name] ?? '').trim()
  }

  optional(name: InputName): string | undefined {
    return this.get(name) || undefined
  }

  invalid(name: InputName, value: string, accepted: string): void {
    this.problems.push(invalidInput(name, value, accepted))
  }

  bool(name: InputName, fallback: boolean): boolean {
    const value = this.get(name)
    if (value === '') return fallback
    if (TRUE.includes(value)) return true
    if (FALSE.includes(value)) return false
    this.invalid(name, value, 'Accepted: true or false')
    return fallback
  }

  /** A path inside the checkout, normalized (`fallback` when the input is empty). */
  checkoutPath(name: InputName, fallback: string): string {
    const value = this.get(name) || fallback
    const normalized = path.posix.normalize(value.replace(/\\/g, '/'))
    if (path.posix.isAbsolute(normalized) || normalized === '..' || normalized.startsWith('../')) {
      this.invalid(name, value, 'Accepted: a path relative to the checkout (GITHUB_WORKSPACE), inside it')
      return value
    }
    return normalized
  }
}

/** Splits a list input on commas and/or newlines; items are trimmed; empty items are an error. */
export function parseList(input: string, value: string, problems: Problem[]): string[] {
  if (value.trim() === '') return []
  // A comma at the end of a line and the newline after it are one separator.
  const items = value
    .trim()
    .split(/,[ \t]*\r?\n|,|\r?\n/)
    .map((item) => item.trim())
  if (items.some((item) => item === '')) {
    problems.push({
      input,
      message: `Input ${input}: ${JSON.stringify(withoutUserInfo(value))} has an empty item. Accepted: items separated by commas and/or newlines, none empty`
    })
    return items.filter((item) => item !== '')
  }
  return items
}

/** Whether a URL carries a password in its user info (`scheme://user:password@host`). */
export function hasPassword(value: string): boolean {
  return urlCredentials(value).length > 0
}
