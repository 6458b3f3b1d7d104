/**
 * End to end: an error the action does not handle (here @actions/core failing to write the state: the disk fails the
 * write after the runner's files were checked writable, __fixtures__/e2e/fail-state-write.mjs) is one error
 * annotation with its message, the stack (in the debug log) names the lines of src/, and the job log never shows
 * the minified bundle. (A missing GITHUB_STATE is no longer unexpected: the check before the first write names it.)
 */
import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { errorAnnotations, runnerEnv, runnerFiles, spawnBundle } from '../__fixtures__/e2e/action.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

describe('an unexpected error', () => {
  it('the state write fails: one ::error:: line, the stack with src/ file:line in the debug log', async () => {
    const dir = makeTempDir('osbs-unexpected-')
    const files = runnerFiles(dir)
    const env = runnerEnv({ workspace: dir, home: dir, files, repository: 'acme/app', sha: 'a'.repeat(40), ref: 'refs/heads/main' }, { 'dry-run': 'true' })
    const run = await spawnBundle(dir, { ...env, NODE_OPTIONS: `--import ${pathToFileURL(path.join(import.meta.dirname, '..', '__fixtures__', 'e2e', 'fail-state-write.mjs')).href}` })

    expect(run.code).toBe(1)
    expect(run.stderr).toBe('')
    expect(errorAnnotations(run.stdout)).toEqual([`Unexpected error: EIO: i/o error, write '${files.state}'`])
    const debug = run.stdout.split('\n').filter((l) => l.startsWith('::debug::'))
    expect(debug).toHaveLength(1)
    const stack = debug[0]!.slice('::debug::'.length).split('%0A')
    expect(stack[0]).toBe(`Error: EIO: i/o error, write '${files.state}'`)
    // mapped through dist/action/index.js.map to the sources
    expect(stack.some((frame) => /\(.*\/src\/action\/action\.ts:\d+:\d+\)$/.test(frame))).toBe(true)
    expect(stack.some((frame) => frame.includes('node_modules/@actions/core/lib/file-command.js:'))).toBe(true)
    // nothing like a line of minified code
    for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThan(2000)
  })
})
