/**
 * Temporary folders for tests: each one is removed after the test file that made it (an afterAll this module
 * registers in every test file that imports it). The suite checks that nothing is left (jest/global-teardown.ts).
 */
import { afterAll } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const made = new Set<string>()

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
  made.clear()
})

/** A new empty folder in the temporary folder, named `<prefix>XXXXXX`; removed after the test file. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  made.add(dir)
  return dir
}
