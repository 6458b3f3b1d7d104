/**
 * A credential must not appear anywhere a person or a later step can read it: the job log, stderr, the outputs,
 * the saved state, the summary. The runner consumes the `::add-mask::` command itself (that is how masking works),
 * so that one line is the only exception.
 */
import { expect } from '@jest/globals'
import type { ActionRun } from './action.js'

export function expectNotPrinted(run: ActionRun, secret: string): void {
  const stdout = run.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')
  expect(stdout).not.toContain(secret)
  expect(run.stderr).not.toContain(secret)
  expect(JSON.stringify(run.outputs)).not.toContain(secret)
  expect(JSON.stringify(run.state)).not.toContain(secret)
  expect(run.summary).not.toContain(secret)
}
