/**
 * Problems found while reading inputs, the repository config or the Dockerfile. They are collected, then reported
 * all at once (each as one error annotation), before anything touches the network.
 */
import { withoutUserInfo } from './mask.js'

export interface Problem {
  /** The whole message, for a person: what is wrong, which value, what is accepted. */
  message: string
  /** The input the problem is about, when it is about one. */
  input?: string
  /** File (relative to the checkout) and 1-based line, for annotations. */
  file?: string
  line?: number
}

/** Thrown when validation found one or more problems. */
export class ProblemsError extends Error {
  readonly problems: Problem[]

  constructor(problems: Problem[]) {
    super(problems.length === 1 ? problems[0].message : `${problems.length} problems:\n${problems.map((p) => `- ${p.message}`).join('\n')}`)
    this.name = 'ProblemsError'
    this.problems = problems
  }
}

/** Quotes a value for a message: 'value' (or "(empty)"); a URL's user info is shown as `***`. */
export function q(value: string): string {
  return value === '' ? '(empty)' : `'${withoutUserInfo(value)}'`
}

/** The problem of an invalid input value: `Input <input>: '<value>' is not valid. <accepted>` (which says what is). */
export function invalidInput(input: string, value: string, accepted: string): Problem {
  return { input, message: `Input ${input}: ${q(value)} is not valid. ${accepted}` }
}

/** Where an annotation about a problem points: its file and line, when it has them. */
export function annotationOf(problem: Problem): { file: string; startLine?: number } | undefined {
  return problem.file ? { file: problem.file, ...(problem.line ? { startLine: problem.line } : {}) } : undefined
}
