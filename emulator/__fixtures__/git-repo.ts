/**
 * Real git repositories for reactor tests: `git init`, commits of given files, branches. Independent of the
 * global git configuration (identity and default branch are passed on every command).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

const IDENTITY = ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.com', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false']

/** No system/global configuration, fixed dates, no repository variables inherited from a caller (hooks). */
const ENV: NodeJS.ProcessEnv = (() => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_AUTHOR_DATE: '2017-10-02T18:42:57Z',
    GIT_COMMITTER_DATE: '2017-10-02T18:42:57Z',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null'
  }
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_PREFIX']) delete env[k]
  return env
})()

export class GitRepo {
  readonly dir: string
  constructor(name = 'app') {
    const root = mkdtempSync(join(tmpdir(), 'osbs-emulator-git-'))
    this.dir = join(root, name)
    mkdirSync(this.dir)
    this.git('init', '-q')
  }

  /** `file://` URI of the repository (what a BuildConfig's spec.source.git.uri names). */
  get uri(): string {
    return pathToFileURL(this.dir).href
  }

  git(...args: string[]): string {
    return execFileSync('git', [...IDENTITY, ...args], {
      cwd: this.dir,
      encoding: 'utf8',
      env: ENV
    }).trim()
  }

  /** Write files (path → content; null deletes) and commit them; returns the commit id. */
  commit(files: Record<string, string | null>, message = 'update'): string {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path)
      if (content === null) rmSync(full, { force: true })
      else {
        mkdirSync(dirname(full), { recursive: true })
        writeFileSync(full, content)
      }
    }
    this.git('add', '-A')
    this.git('commit', '-q', '--allow-empty', '-m', message)
    return this.head()
  }

  head(ref = 'HEAD'): string {
    return this.git('rev-parse', ref)
  }

  branch(name: string, from = 'HEAD'): void {
    this.git('branch', name, from)
  }

  checkout(ref: string): void {
    this.git('checkout', '-q', ref)
  }

  remove(): void {
    rmSync(dirname(this.dir), { recursive: true, force: true })
  }
}

/** A Dockerfile with the labels an OSBS build needs. */
/** A Dockerfile with name, version and a component (Koji's package name) derived from the name. */
export function dockerfile(opts: { from?: string; name?: string; version?: string; release?: string; extra?: string[] } = {}): string {
  const lines = [`FROM ${opts.from ?? 'fedora:latest'}`]
  lines.push(`LABEL name="${opts.name ?? 'myproj/app'}" \\`, `      version="${opts.version ?? '1.0'}" \\`, `      com.redhat.component="${(opts.name ?? 'myproj/app').replace(/\//g, '-')}-container"`)
  if (opts.release) lines.push(`LABEL release="${opts.release}"`)
  lines.push(...(opts.extra ?? ['RUN echo hello']))
  return lines.join('\n') + '\n'
}
