/**
 * Temporary folders for tests and scripts: under jest each one is removed after the test file that made it (an
 * afterAll registered in every test file that imports this module); the suite checks that nothing is left
 * (jest/global-teardown.ts). Outside jest (the demo, the benchmarks, which share the runner harness) they are
 * removed when the process exits.
 */
import { rmSync, mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const made = new Set<string>()

function removeAll(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
  made.clear()
}

// jest puts afterAll on the global object of each test file; a plain `node`/`tsx` process has none (and importing
// @jest/globals there fails), so the folders go at exit instead.
const afterAll = (globalThis as { afterAll?: (fn: () => void) => void }).afterAll
if (afterAll) afterAll(removeAll)
else process.once('exit', removeAll)

/** A new empty folder in the temporary folder, named `<prefix>XXXXXX`; removed after the test file (or at exit). */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  made.add(dir)
  return dir
}
