/**
 * The run's context read from the runner's variables and event file (src/action/github-context.ts) is what
 * `@actions/github`'s `Context` reads from the same, without loading Octokit.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
// the toolkit's own reader, by file: the package exports only the Octokit entry that builds one at import
import { Context } from '../node_modules/@actions/github/lib/context.js'
import { githubContextFrom } from '../src/action/github-context.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const RUN = {
  GITHUB_REF: 'refs/heads/main',
  GITHUB_SHA: 'a'.repeat(40),
  GITHUB_REPOSITORY: 'acme/app',
  GITHUB_SERVER_URL: 'https://github.example.com',
  GITHUB_RUN_ID: '4711',
  GITHUB_ACTOR: 'octocat',
  GITHUB_EVENT_NAME: 'push'
}

/** What `@actions/github` makes of `env`, in the GithubContext shape the action used to build from it. */
function toolkit(env: Record<string, string>): unknown {
  const saved = process.env
  process.env = env
  try {
    const c = new Context()
    let repository: string | undefined
    try {
      repository = `${c.repo.owner}/${c.repo.repo}`
    } catch {
      repository = undefined
    }
    return {
      ref: c.ref || undefined,
      sha: c.sha || undefined,
      repository,
      serverUrl: c.serverUrl,
      runId: Number.isFinite(c.runId) && c.runId > 0 ? c.runId : undefined,
      actor: c.actor || undefined,
      eventName: c.eventName || undefined,
      payload: c.payload
    }
  } finally {
    process.env = saved
  }
}

const ours = (env: Record<string, string>) =>
  githubContextFrom(env, (file) => {
    try {
      return readFileSync(file, 'utf8')
    } catch {
      return null
    }
  })

describe('the run context', () => {
  const dir = makeTempDir('context-')
  const event = path.join(dir, 'event.json')
  writeFileSync(event, JSON.stringify({ head_commit: { message: 'fix' }, repository: { name: 'other', owner: { login: 'someone' } } }))

  it.each([
    ['a push with its event file', { ...RUN, GITHUB_EVENT_PATH: event }],
    ['no variables at all', {}],
    ['the repository only in the payload', { GITHUB_EVENT_PATH: event }],
    ['an empty run id and server URL', { ...RUN, GITHUB_RUN_ID: '', GITHUB_SERVER_URL: '' }],
    ['a run id that is not a number', { ...RUN, GITHUB_RUN_ID: 'x' }]
  ])('%s: the same values as @actions/github', (_name, env: Record<string, string>) => {
    expect(ours(env)).toEqual(toolkit(env))
  })

  it('reads the payload and the variables', () => {
    expect(ours({ ...RUN, GITHUB_EVENT_PATH: event })).toEqual({
      ref: 'refs/heads/main',
      sha: 'a'.repeat(40),
      repository: 'acme/app',
      serverUrl: 'https://github.example.com',
      runId: 4711,
      actor: 'octocat',
      eventName: 'push',
      payload: { head_commit: { message: 'fix' }, repository: { name: 'other', owner: { login: 'someone' } } }
    })
  })

  it('an event file that is missing or not JSON gives no payload (the toolkit would throw at import on the latter)', () => {
    writeFileSync(path.join(dir, 'bad.json'), '{')
    expect(ours({ GITHUB_EVENT_PATH: path.join(dir, 'missing.json') }).payload).toEqual({})
    expect(ours({ GITHUB_EVENT_PATH: path.join(dir, 'bad.json') }).payload).toEqual({})
  })
})
