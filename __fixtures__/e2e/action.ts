/**
 * Run the bundled action (`node dist/index.js`) the way a GitHub runner does: inputs as INPUT_* variables, the
 * file commands GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE, GITHUB_WORKSPACE a checkout; then the post step
 * with the saved state.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import YAML from 'yaml'
import type { Checkout } from './git.js'
import { makeTempDir } from '../temp-dirs.js'

export const repoRoot = path.resolve(import.meta.dirname, '..', '..')
/** The bundle under test (E2E_BUNDLE may name another build of it). */
export const bundle = process.env.E2E_BUNDLE ?? path.join(repoRoot, 'dist', 'index.js')

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  /** GITHUB_STEP_SUMMARY as written. */
  summary: string
  /** The run's own directory: HOME, RUNNER_TEMP and the file commands. */
  dir: string
}

/** Parse a GITHUB_OUTPUT / GITHUB_STATE file (`name<<delimiter` heredocs, or `name=value`). */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (!line) continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      out[name] = value.join('\n')
    } else {
      const eq = line.indexOf('=')
      if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1)
    }
  }
  return out
}

export interface RunOptions {
  checkout: Checkout
  inputs: Record<string, string>
  /** owner/name */
  repository?: string
  env?: Record<string, string>
  /** STATE_* for a post step */
  state?: Record<string, string>
  /** Called once the process started (to send signals). */
  onSpawn?: (child: ChildProcess, progress: () => string) => void
  timeoutMs?: number
}

/**
 * The inputs a workflow step gets without a `with:`: each input of action.yml that has a default, as the runner
 * sets it (`INPUT_<NAME>`); an input without a default is not set at all. The runner puts the job's token for
 * `${{ github.token }}`; the harness's jobs have none (`jobToken`, default empty), so that no run sends a request
 * to GitHub unless its test gives it `github-token` (and a GITHUB_API_URL of its own).
 */
export const DEFAULT_INPUTS: Readonly<Record<string, string>> = actionDefaults(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8'))

export function actionDefaults(actionYml: string, jobToken = ''): Record<string, string> {
  const action = YAML.parse(actionYml) as { inputs: Record<string, { default?: unknown }> }
  return Object.fromEntries(
    Object.entries(action.inputs)
      .filter(([, input]) => input.default !== undefined)
      .map(([name, input]) => [name, String(input.default).replace(/\$\{\{\s*github\.token\s*\}\}/g, jobToken)])
  )
}

/** The file commands of a step: GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_STATE. */
export interface RunnerFiles {
  output: string
  summary: string
  state: string
}

/** Empty file-command files in `dir`. */
export function runnerFiles(dir: string): RunnerFiles {
  const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary.md'), state: path.join(dir, 'state') }
  for (const f of Object.values(files)) writeFileSync(f, '')
  return files
}

/** What a runner tells a step about the run (a push to a branch by default). */
export interface RunnerContext {
  workspace: string
  home: string
  files: RunnerFiles
  /** owner/name */
  repository: string
  sha: string
  /** GITHUB_REF, e.g. refs/heads/main */
  ref: string
  runId?: string
  actor?: string
}

/**
 * The environment of a step as a runner makes it: GITHUB_* of the run, the file commands, each input as
 * `INPUT_<NAME>` (upper case, hyphens kept) and each saved state as `STATE_<name>` (for a post step).
 */
export function runnerEnv(context: RunnerContext, inputs: Record<string, string>, extra: { env?: Record<string, string>; state?: Record<string, string> } = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: context.home,
    TMPDIR: os.tmpdir(),
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: context.files.output,
    GITHUB_STEP_SUMMARY: context.files.summary,
    GITHUB_STATE: context.files.state,
    GITHUB_WORKSPACE: context.workspace,
    GITHUB_REPOSITORY: context.repository,
    GITHUB_REPOSITORY_OWNER: context.repository.split('/')[0],
    GITHUB_SHA: context.sha,
    GITHUB_REF: context.ref,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: context.runId ?? '4242',
    GITHUB_ACTOR: context.actor ?? 'octocat',
    GITHUB_EVENT_NAME: 'push',
    RUNNER_TEMP: context.home,
    ...extra.env
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  for (const [name, value] of Object.entries(extra.state ?? {})) env[`STATE_${name}`] = value
  return env
}

/** What the step wrote to its file commands. */
export function readRunnerFiles(files: RunnerFiles): { outputs: Record<string, string>; state: Record<string, string>; summary: string } {
  return {
    outputs: parseFileCommands(readFileSync(files.output, 'utf8')),
    state: parseFileCommands(readFileSync(files.state, 'utf8')),
    summary: readFileSync(files.summary, 'utf8')
  }
}

/** Run the bundle in `cwd` with `env`, collecting stdout and stderr. */
export async function spawnBundle(
  cwd: string,
  env: Record<string, string>,
  options: Pick<RunOptions, 'onSpawn' | 'timeoutMs'> = {}
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bundle], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  options.onSpawn?.(child, () => stdout)
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])))
  clearTimeout(timer)
  return { code, signal, stdout, stderr }
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const dir = makeTempDir('osbs-run-')
  const files = runnerFiles(dir)
  const env = runnerEnv(
    {
      workspace: options.checkout.dir,
      home: dir,
      files,
      repository: options.repository ?? 'acme/app',
      sha: options.checkout.commit,
      ref: `refs/heads/${options.checkout.branch}`
    },
    { ...DEFAULT_INPUTS, 'git-uri': options.checkout.uri, ...options.inputs },
    { env: options.env, state: options.state }
  )
  const result = await spawnBundle(options.checkout.dir, env, options)
  return { ...result, ...readRunnerFiles(files), dir }
}

/** Lines of the job log that are not workflow commands nor group markers (what a person reads), in order. */
export function plainLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => !l.startsWith('::') && l !== '##[endgroup]' && !l.startsWith('##[group]'))
}

/** Error annotations (`::error …::message`) in a job log. */
export function errorAnnotations(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('::error'))
    .map((l) =>
      l
        .replace(/^::error[^:]*::/, '')
        .replace(/%0A/g, '\n')
        .replace(/%0D/g, '\r')
        .replace(/%25/g, '%')
    )
}

/** Wait until `predicate` holds, polling; throws after `ms`. */
export async function until<T>(what: string, predicate: () => T | Promise<T>, ms = 20_000, every = 50): Promise<NonNullable<T>> {
  const end = Date.now() + ms
  for (;;) {
    const value = await predicate()
    if (value) return value as NonNullable<T>
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, every))
  }
}
