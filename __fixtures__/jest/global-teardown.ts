/**
 * Jest globalTeardown: every temporary folder a test makes is removed in its teardown, so the suite's own
 * temporary folder (global-setup.ts) must be empty now. What is left is named, removed, and fails the run.
 */
import { readdirSync, rmSync } from 'node:fs'

/**
 * Caches the tools keep in the temporary folder for every run of theirs, made by no test: Node's module compile
 * cache (npm turns it on) and tsx's. They go with the suite's folder.
 */
const TOOL_CACHES = [/^node-compile-cache$/, /^tsx-\d+$/]

export default function teardown(): void {
  const dir = process.env.OSBS_TEST_TMPDIR
  if (!dir) return
  if (process.env.OSBS_TEST_PARENT_TMPDIR) process.env.TMPDIR = process.env.OSBS_TEST_PARENT_TMPDIR
  else delete process.env.TMPDIR
  delete process.env.OSBS_TEST_TMPDIR
  delete process.env.OSBS_TEST_PARENT_TMPDIR
  const left = readdirSync(dir)
    .filter((entry) => !TOOL_CACHES.some((cache) => cache.test(entry)))
    .sort()
  rmSync(dir, { recursive: true, force: true })
  if (left.length > 0) {
    throw new Error(`The test suite left ${left.length} entries in its temporary folder; each test must remove what it makes: ${left.join(', ')}`)
  }
}
