/**
 * Runs the bundled action (`node dist/index.js`) as a GitHub runner does (see ../e2e/action.ts), with
 * GITHUB_WORKSPACE a checkout made from the given files (not a git repository: a dry run reads only files).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readRunnerFiles, runnerEnv, runnerFiles, spawnBundle } from '../e2e/action.js'

export const SHA = 'fedcba9876543210fedcba9876543210fedcba98'

export interface BundleRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  /** `::error …::message` lines of stdout. */
  errors: string[]
}

export interface BundleOptions {
  /** Files of the checkout, by relative path. */
  files: Record<string, string>
  /** Every input as given (no defaults of action.yml are added). */
  inputs: Record<string, string>
  /** GITHUB_REF (default refs/heads/main). */
  ref?: string
  env?: Record<string, string>
}

export async function runBundle(options: BundleOptions): Promise<BundleRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osbs-dry-run-'))
  try {
    const workspace = path.join(dir, 'checkout')
    const home = path.join(dir, 'home')
    mkdirSync(home)
    mkdirSync(workspace)
    for (const [file, content] of Object.entries(options.files)) {
      mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true })
      writeFileSync(path.join(workspace, file), content)
    }
    const files = runnerFiles(dir)
    const env = runnerEnv({ workspace, home, files, repository: 'acme/widget', sha: SHA, ref: options.ref ?? 'refs/heads/main', runId: '1234' }, options.inputs, { env: options.env })
    const { code, stdout, stderr } = await spawnBundle(workspace, env)
    return { code, stdout, stderr, ...readRunnerFiles(files), errors: stdout.split('\n').filter((line) => line.startsWith('::error')) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
