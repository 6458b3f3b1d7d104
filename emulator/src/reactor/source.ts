/**
 * The source checkout: `git clone` of the build pod's `SOURCE_URI` (any URI the git CLI accepts) at its
 * `SOURCE_REF`, as atomic-reactor's input_osv3 and clone_git_repo do.
 */
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from './util/log.js'

export interface GitResult {
  stdout: string
  stderr: string
}

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | string | undefined,
    readonly stderr: string
  ) {
    super(`Command '${['git', ...args].join(' ')}' returned non-zero exit status ${code ?? 1}`)
  }
}

/** Variables of the emulator's own process that would make git act otherwise than in a pod. */
const NOT_INHERITED = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_PREFIX',
  'GIT_ASKPASS',
  'SSH_ASKPASS',
  'GIT_CONFIG_GLOBAL',
  'GIT_CONFIG_SYSTEM'
]

/**
 * What the pod's `git` sees: the container's environment over the emulator's own (PATH), a home of its own and no
 * system configuration (a pod has neither the node's git configuration nor its credential helpers), C locale, no
 * terminal prompt, and every path that names a mount of the pod translated to where the volume is on the node (`SOURCE_SECRET_PATH`).
 */
function gitEnv(pod: { env?: Readonly<Record<string, string>>; home?: string; mounts?: { source: string; target: string }[] } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1' }
  for (const k of NOT_INHERITED) delete env[k]
  if (pod.home) env.HOME = pod.home
  for (const [name, value] of Object.entries(pod.env ?? {})) {
    const mount = pod.mounts?.find((m) => value === m.target || value.startsWith(`${m.target}/`))
    env[name] = mount ? mount.source + value.slice(mount.target.length) : value
  }
  env.LC_ALL = 'C'
  // a pod has no terminal: a prompt for credentials fails at once ("could not read Username for '<origin>'"); the
  // emulator may have one, so git is told not to use it
  env.GIT_TERMINAL_PROMPT = '0'
  return env
}

/** Run git with `env` (gitEnv). */
export function git(args: string[], options: { cwd?: string; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        signal: options.signal,
        maxBuffer: 64 * 1024 * 1024,
        env: options.env ?? gitEnv()
      },
      (err, stdout, stderr) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException & { code?: number | string }).code
          reject(options.signal?.aborted ? err : new GitError(args, code, String(stderr)))
        } else resolve({ stdout: String(stdout), stderr: String(stderr) })
      }
    )
  })
}

/** The pod the clone runs in: its environment and its source secret volume (git's stderr is in the GitError). */
export interface ClonePod {
  env: Readonly<Record<string, string>>
  writeSourceVolume?(dir: string): { source: string; target: string } | undefined
}

export interface Checkout {
  /** temporary directory to remove at the end */
  workDir: string
  /** repository root */
  dir: string
  commitId: string
  commitTime: string
}

/** Last path part of a git URI without `.git` (the clone directory name). */
export function repoName(uri: string): string {
  const trimmed = uri.replace(/\/+$/, '').replace(/\.git$/, '')
  return trimmed.split(/[/:]/).pop() || 'source'
}

/**
 * atomic-reactor's clone_git_repo: check out `ref` (a branch, tag or commit; `master` when none is given) with a
 * shallow clone, else a single-branch clone, else a full clone and `git reset --hard <ref>` (a commit id). Throws
 * on failure (the build fails before any plugin runs).
 */
export async function cloneSource(uri: string, ref: string | undefined, log: Logger, signal: AbortSignal, pod?: ClonePod): Promise<Checkout> {
  const workDir = await mkdtemp(join(tmpdir(), 'osbs-emulator-reactor-'))
  const dir = join(workDir, repoName(uri))
  const commit = ref || 'master'
  const cmd = (args: string[]) => '[' + ['git', ...args].map((a) => `'${a}'`).join(', ') + ']'
  try {
    const podDir = join(workDir, '.pod')
    const volume = pod?.writeSourceVolume?.(podDir)
    const env = gitEnv({ env: pod?.env, home: podDir, mounts: volume ? [volume] : [] })
    await mkdir(podDir, { recursive: true })
    const run = (args: string[], options: { cwd?: string; signal: AbortSignal }) => git(args, { ...options, env })
    log.info(`cloning git repo '${uri}'`)
    log.debug(`url = '${uri}', dir = '${dir}', commit = '${commit}'`)
    const attempts: { args: string[]; say: string }[] = [
      { args: ['clone', '-b', commit, '--depth', '1', uri, dir], say: 'doing a shallow clone' },
      { args: ['clone', '-b', commit, '--single-branch', uri, dir], say: 'cloning single branch' }
    ]
    let cloned = false
    for (const { args, say } of attempts) {
      log.debug(`${say} '${cmd(args)}'`)
      try {
        await run(['-c', 'advice.detachedHead=false', ...args.slice(0, 1), '-q', ...args.slice(1)], { signal })
        cloned = true
        break
      } catch (e) {
        if (signal.aborted) throw e
        log.warning(`CalledProcessError()`)
        await rm(dir, { recursive: true, force: true })
      }
    }
    if (!cloned) {
      log.debug(`cloning '${cmd(['clone', uri, dir])}'`)
      await run(['clone', '-q', uri, dir], { signal })
      log.debug(`checking out branch '${cmd(['reset', '--hard', commit])}'`)
      await run(['reset', '-q', '--hard', commit], { cwd: dir, signal })
    }
    log.debug(`getting SHA-1 of provided ref '${cmd(['rev-parse', 'HEAD'])}'`)
    const commitId = (await run(['rev-parse', 'HEAD'], { cwd: dir, signal })).stdout.trim()
    const commitTime = (await run(['log', '-1', '--format=%cI', 'HEAD'], { cwd: dir, signal })).stdout.trim()
    log.info(`commit ID = ${commitId}`)
    return { workDir, dir, commitId, commitTime }
  } catch (e) {
    await rm(workDir, { recursive: true, force: true })
    throw e
  }
}

export async function removeCheckout(checkout: Checkout | undefined): Promise<void> {
  if (checkout) await rm(checkout.workDir, { recursive: true, force: true })
}
