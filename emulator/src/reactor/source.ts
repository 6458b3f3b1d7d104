/**
 * The source checkout: `git clone` of the Build's `spec.source.git` (any URI the git CLI accepts) at its ref,
 * then, for a user build, `git checkout` of the commit it names (bump_release `git_ref`, else
 * `spec.revision.git.commit`); an autorebuild builds the head of the ref.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from './log.js'

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
 * Clone `uri` at `ref` (atomic-reactor's fallbacks: shallow, single-branch, full clone + reset), then check out
 * `commit` when given. Throws on failure (the build fails before any plugin runs).
 */
export async function cloneSource(
  uri: string,
  ref: string | undefined,
  commit: string | undefined,
  log: Logger,
  signal: AbortSignal
): Promise<Checkout> {
  const workDir = await mkdtemp(join(tmpdir(), 'osbs-emulator-reactor-'))
  const dir = join(workDir, repoName(uri))
  try {
    log.info(`cloning git repo '${uri}'`)
    log.debug(`url = '${uri}', dir = '${dir}', branch = '${ref || '(default)'}'`)
    if (!ref) {
      // no ref in the BuildConfig: the remote's default branch
      await git(['clone', '-q', ...(commit ? [] : ['--depth', '1']), uri, dir], { signal })
    } else {
      try {
        // a commit other than the head needs history: no --depth when one is asked for
        const depth = commit ? [] : ['--depth', '1']
        await git(['clone', '-q', '-b', ref, '--single-branch', ...depth, uri, dir], { signal })
      } catch (e) {
        if (signal.aborted) throw e
        // a ref that is not a branch or tag (e.g. a commit): full clone, then reset to it
        await rm(dir, { recursive: true, force: true })
        await git(['clone', '-q', uri, dir], { signal })
        await git(['reset', '-q', '--hard', ref], { cwd: dir, signal }).catch(async () => {
          await git(['reset', '-q', '--hard', `origin/${ref}`], { cwd: dir, signal })
        })
      }
    }
    if (commit) {
      try {
        await git(['checkout', '-q', '--detach', commit], { cwd: dir, signal })
      } catch (e) {
        if (signal.aborted) throw e
        // a commit outside the cloned branch: fetch it
        await git(['fetch', '-q', 'origin', commit], { cwd: dir, signal })
        await git(['checkout', '-q', '--detach', 'FETCH_HEAD'], { cwd: dir, signal })
      }
    }
    const commitId = (await git(['rev-parse', 'HEAD'], { cwd: dir, signal })).stdout.trim()
    const commitTime = (await git(['log', '-1', '--format=%cI', 'HEAD'], { cwd: dir, signal })).stdout.trim()
    log.debug(`commit ID = ${commitId}`)
    return { workDir, dir, commitId, commitTime }
  } catch (e) {
    await rm(workDir, { recursive: true, force: true })
    throw e
  }
}

export async function removeCheckout(checkout: Checkout | undefined): Promise<void> {
  if (checkout) await rm(checkout.workDir, { recursive: true, force: true })
}
