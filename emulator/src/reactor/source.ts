/**
 * The source checkout: `git clone` of the build pod's `SOURCE_URI` (any URI the git CLI accepts) at its
 * `SOURCE_REF`, as atomic-reactor's input_osv3 and clone_git_repo do.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
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

/** The environment for git: no prompts, C locale, and no repository variables inherited from a caller (hooks). */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'echo', LC_ALL: 'C' }
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_PREFIX']) delete env[k]
  return env
}

export function git(args: string[], options: { cwd?: string; signal?: AbortSignal } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        signal: options.signal,
        maxBuffer: 64 * 1024 * 1024,
        env: gitEnv()
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
export async function cloneSource(uri: string, ref: string | undefined, log: Logger, signal: AbortSignal): Promise<Checkout> {
  const workDir = await mkdtemp(join(tmpdir(), 'osbs-emulator-reactor-'))
  const dir = join(workDir, repoName(uri))
  const commit = ref || 'master'
  const cmd = (args: string[]) => '[' + ['git', ...args].map((a) => `'${a}'`).join(', ') + ']'
  try {
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
        await git(['-c', 'advice.detachedHead=false', ...args.slice(0, 1), '-q', ...args.slice(1)], { signal })
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
      await git(['clone', '-q', uri, dir], { signal })
      log.debug(`checking out branch '${cmd(['reset', '--hard', commit])}'`)
      await git(['reset', '-q', '--hard', commit], { cwd: dir, signal })
    }
    log.debug(`getting SHA-1 of provided ref '${cmd(['rev-parse', 'HEAD'])}'`)
    const commitId = (await git(['rev-parse', 'HEAD'], { cwd: dir, signal })).stdout.trim()
    const commitTime = (await git(['log', '-1', '--format=%cI', 'HEAD'], { cwd: dir, signal })).stdout.trim()
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
