/** How a failed step ends: every problem as its own error annotation, then exit code 1. */
import { annotationOf, ProblemsError } from '../shared/errors.js'
import type { Reporter } from '../shared/reporter.js'

export function reportFailure(error: unknown, reporter: Reporter): void {
  if (error instanceof ProblemsError) {
    for (const problem of error.problems) {
      reporter.error(problem.message, annotationOf(problem))
    }
    if (error.problems.length > 1) reporter.info(`${error.problems.length} problems found; nothing was sent to the cluster.`)
  } else {
    reporter.error(error instanceof Error ? error.message : String(error))
  }
  process.exitCode = 1
}
