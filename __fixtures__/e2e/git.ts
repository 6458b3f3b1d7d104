/** Git checkouts for end-to-end runs: a repository made by the test, as `actions/checkout` would leave it. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0'
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    env: GIT_ENV,
    encoding: 'utf8'
  }).trim()
}

export interface Checkout {
  dir: string
  /** file:// URI others (the emulated build) clone from */
  uri: string
  branch: string
  commit: string
}

/** Make a repository with these files on `branch` and return its checkout. */
export function makeRepo(dir: string, files: Record<string, string>, branch = 'main'): Checkout {
  mkdirSync(dir, { recursive: true })
  git(dir, 'init', '-q')
  git(dir, 'checkout', '-q', '-b', branch)
  return commitFiles({ dir, uri: `file://${dir}`, branch, commit: '' }, files, 'initial commit')
}

/** Write files and commit them; returns the checkout at the new commit. */
export function commitFiles(checkout: Checkout, files: Record<string, string>, message: string): Checkout {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(checkout.dir, name)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, content)
  }
  git(checkout.dir, 'add', '-A')
  git(checkout.dir, 'commit', '-q', '-m', message)
  return { ...checkout, commit: git(checkout.dir, 'rev-parse', 'HEAD') }
}

/** A Dockerfile with the labels the action needs. */
export function dockerfile(from: string, name: string, version = '1.0', extra = ''): string {
  return `FROM ${from}\nLABEL name="${name}" version="${version}" com.redhat.component="${name.split('/').pop()}"\n${extra}`
}
