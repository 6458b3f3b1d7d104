/**
 * Runs the bundled action (`node dist/index.js`) as a GitHub runner does: inputs as `INPUT_<NAME>` variables
 * (upper case, hyphens kept), the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files, and GITHUB_WORKSPACE
 * a checkout made from the given files.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const bundlePath = path.join(repoRoot, 'dist', 'index.js')

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
  inputs: Record<string, string>
  /** GITHUB_REF (default refs/heads/main). */
  ref?: string
  env?: Record<string, string>
}

/** Parses a GITHUB_OUTPUT / GITHUB_STATE file (`name<<delimiter` heredocs). */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (!heredoc) continue
    const body: string[] = []
    for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i])
    values[heredoc[1]] = body.join('\n')
  }
  return values
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
    const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary'), state: path.join(dir, 'state') }
    for (const file of Object.values(files)) writeFileSync(file, '')
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_REPOSITORY: 'acme/widget',
      GITHUB_SHA: SHA,
      GITHUB_REF: options.ref ?? 'refs/heads/main',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '1234',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_STATE: files.state,
      ...options.env
    }
    for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value
    const child = spawn(process.execPath, [bundlePath], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    return {
      code,
      stdout,
      stderr,
      outputs: parseCommandFile(readFileSync(files.output, 'utf8')),
      state: parseCommandFile(readFileSync(files.state, 'utf8')),
      summary: readFileSync(files.summary, 'utf8'),
      errors: stdout.split('\n').filter((line) => line.startsWith('::error'))
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
