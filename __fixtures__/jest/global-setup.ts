/**
 * Jest globalSetup: the suite runs with a temporary folder of its own (TMPDIR, which os.tmpdir(), the tests, the
 * local OpenShift and every process they start use). global-teardown.ts checks that it is empty at the end.
 */
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export default function setup(): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osbs-test-suite-'))
  process.env.OSBS_TEST_PARENT_TMPDIR = process.env.TMPDIR ?? ''
  process.env.OSBS_TEST_TMPDIR = dir
  process.env.TMPDIR = dir
}
