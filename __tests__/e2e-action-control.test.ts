/**
 * End to end, checks 6, 8 and 10: on-running-build (fail, wait, cancel) against a build already running;
 * SIGINT while the build runs and the post step's cancellation; timeout-minutes. The same for a Build posted
 * directly (an isolated build): SIGINT cancels it, and a second isolated build of the same repository and branch
 * is refused while the first runs.
 * The local OpenShift runs paced here, so that builds take seconds and can be caught running.
 */
import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { errorAnnotations, runAction, until } from '../__fixtures__/e2e/action.js'
import { commitFiles, dockerfile, makeRepo, type Checkout } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift, writesOf } from '../__fixtures__/e2e/local-openshift.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const tmp = makeTempDir('osbs-e2e-control-')
const PACE_MS = 20
const local = useLocalOpenShift({ logWaitSeconds: 2, logPace: PACE_MS })
/** Minutes at this pace: 1000 lines per 1000 steps. */
const LONG = dockerfile('fedora:latest', 'acme/ctl', '1.0', 'RUN seq 200000\n')
/** About 3 s at this pace. */
const MEDIUM = dockerfile('fedora:latest', 'acme/ctl', '1.0', 'RUN seq 100\n')
const QUICK = dockerfile('fedora:latest', 'acme/ctl', '1.0', 'RUN echo quick\n')

const build = (name: string) => local.emulator.store.get('builds', local.emulator.namespace, name)
const phase = (name: string): string | undefined => build(name)?.status?.phase

describe('a build already running', () => {
  let repo: Checkout
  let bc: string

  /** Start a build and leave it running (wait: false), at a commit with this Dockerfile. */
  async function startBuild(content: string, message: string): Promise<string> {
    repo = commitFiles(repo, { Dockerfile: content }, message)
    const run = await runAction({ checkout: repo, repository: 'acme/ctl', inputs: local.inputs({ wait: 'false' }) })
    expect(run.code).toBe(0)
    expect(run.summary).toContain(`OpenShift build ${run.outputs['build-name']}: started (New); not waited for`)
    bc = run.outputs['build-config']
    await until(`${run.outputs['build-name']} to run`, () => phase(run.outputs['build-name']) === 'Running')
    return run.outputs['build-name']
  }

  it('6a. on-running-build: fail names the running build and starts none', async () => {
    repo = makeRepo(path.join(tmp, 'ctl'), { Dockerfile: QUICK })
    const running = await startBuild(LONG, 'long build')
    const count = local.buildsOf(bc).length
    const run = await runAction({ checkout: repo, repository: 'acme/ctl', inputs: local.inputs({ 'on-running-build': 'fail' }) })
    expect(run.code).toBe(1)
    expect(errorAnnotations(run.stdout)).toContain(`Build ${running} of BuildConfig ${bc} is Running; on-running-build is 'fail', so this run does not start another`)
    expect(local.buildsOf(bc)).toHaveLength(count)
    expect(phase(running)).toBe('Running')
  })

  it('6b. on-running-build: cancel cancels it, waits, then builds', async () => {
    const running = local.buildsOf(bc).find((b) => b.status?.phase === 'Running')!.metadata.name
    repo = commitFiles(repo, { Dockerfile: QUICK }, 'quick build')
    const run = await runAction({ checkout: repo, repository: 'acme/ctl', inputs: local.inputs({ 'on-running-build': 'cancel' }) })
    expect(run.code).toBe(0)
    expect(phase(running)).toBe('Cancelled')
    expect(run.stdout).toContain(`Cancelling build ${running} (Running)`)
    expect(run.outputs['build-status']).toBe('Complete')
    expect(run.outputs['commit-id']).toBe(repo.commit)
  })

  it('6c. on-running-build: wait queues behind it until it ends by itself', async () => {
    const running = await startBuild(MEDIUM, 'medium build')
    // Held Running until the step says it waits for it (however slow the machine), then let go to end by itself.
    const hold = local.emulator.faults.holdBuild({ build: running })
    repo = commitFiles(repo, { Dockerfile: QUICK }, 'quick build after medium')
    const run = await runAction({
      checkout: repo,
      repository: 'acme/ctl',
      inputs: local.inputs({ 'on-running-build': 'wait' }),
      onSpawn: (_child, stdout) => {
        void until('the step to wait for the running build', () => stdout().includes(`Waiting for build ${running}`), 60_000)
          .finally(() => local.emulator.faults.remove(hold))
          .catch(() => undefined)
      }
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`Waiting for build ${running} (Running) to end before starting a new one`)
    expect(phase(running)).toBe('Complete')
    const ours = build(run.outputs['build-name'])!
    expect(Date.parse(String(ours.metadata.creationTimestamp))).toBeGreaterThanOrEqual(Date.parse(build(running)!.status.completionTimestamp) - 1000)
    expect(run.outputs['build-status']).toBe('Complete')
  })
})

describe('cancellation', () => {
  let repo: Checkout

  it('8a. SIGINT while the build runs: the build is Cancelled before the step ends, exit code 1', async () => {
    repo = makeRepo(path.join(tmp, 'sig'), { Dockerfile: LONG })
    let name = ''
    let phaseAtExit: string | undefined
    const run = await runAction({
      checkout: repo,
      repository: 'acme/sig',
      inputs: local.inputs(),
      onSpawn: (child, stdout) => {
        child.on('exit', () => (phaseAtExit = name ? phase(name) : undefined))
        void (async () => {
          name = await until('the build log to stream', () => (/ - DEBUG - 1$/m.test(stdout()) ? /Build (\S+): http/.exec(stdout())?.[1] : undefined), 30_000)
          child.kill('SIGINT')
        })().catch((error) => {
          child.kill('SIGKILL')
          throw error
        })
      }
    })
    expect(name).not.toBe('')
    expect(phase(name)).toBe('Cancelled')
    // the step ends only once the build is cancelled, not merely asked to
    expect(phaseAtExit).toBe('Cancelled')
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('SIGINT received')
    expect(run.state['build-finished']).toBe('true')
  })

  it('8b. the post step, run with the saved state, cancels a build still running', async () => {
    repo = makeRepo(path.join(tmp, 'post'), { Dockerfile: LONG })
    let name = ''
    const main = await runAction({
      checkout: repo,
      repository: 'acme/post',
      inputs: local.inputs(),
      onSpawn: (child, stdout) => {
        void until('the build to run', () => /Build (\S+): http/.exec(stdout())?.[1] && phase(/Build (\S+): http/.exec(stdout())![1]) === 'Running', 30_000)
          .then(() => {
            name = /Build (\S+): http/.exec(stdout())![1]
            child.kill('SIGKILL') // the runner gave up on the main step: no chance to cancel
          })
          .catch(() => child.kill('SIGKILL'))
      }
    })
    expect(main.signal).toBe('SIGKILL')
    expect(phase(name)).toBe('Running')
    expect(main.state['build-name']).toBe(name)
    expect(main.state['build-finished']).toBeUndefined()

    const post = await runAction({ checkout: repo, repository: 'acme/post', inputs: local.inputs(), state: main.state })
    expect(post.code).toBe(0)
    expect(post.stdout).toContain(`cancelling build ${name}`)
    await until('the build to be Cancelled', () => phase(name) === 'Cancelled', 5000)
  })
})

describe('a Build posted directly (an isolated build)', () => {
  const writes = () => writesOf(local.emulator.requests.list())

  it('6d. a second isolated build of the same repository and branch is refused while the first runs; once it ended, one starts', async () => {
    let repo = makeRepo(path.join(tmp, 'iso'), { Dockerfile: LONG })
    const first = await runAction({ checkout: repo, repository: 'acme/iso', inputs: local.inputs({ release: '1.1', wait: 'false' }) })
    expect({ code: first.code, errors: errorAnnotations(first.stdout) }).toEqual({ code: 0, errors: [] })
    expect(first.outputs['build-kind']).toBe('isolated')
    const running = first.outputs['build-name']
    await until(`${running} to run`, () => phase(running) === 'Running')

    local.emulator.requests.clear()
    const second = await runAction({ checkout: repo, repository: 'acme/iso', inputs: local.inputs({ release: '1.2' }) })
    expect(second.code).toBe(1)
    expect(errorAnnotations(second.stdout)).toEqual([
      `Isolated build ${running} (Running) of ${repo.uri} branch main is running; only one isolated build of a repository and branch runs at a time (as osbs-client's). ` +
        'Wait for it to end, or cancel it, then run again'
    ])
    expect(writes()).toEqual([])
    expect(phase(running)).toBe('Running')

    // another branch of the same repository is not held back
    const other = await runAction({ checkout: { ...repo, branch: 'hotfix' }, repository: 'acme/iso', inputs: local.inputs({ release: '1.3', 'git-branch': 'hotfix', wait: 'false' }) })
    expect({ code: other.code, errors: errorAnnotations(other.stdout) }).toEqual({ code: 0, errors: [] })
    expect(other.outputs['build-name']).not.toBe(running)

    for (const name of [running, other.outputs['build-name']]) await local.api.cancelBuild(name)
    await until(`${running} to be Cancelled`, () => phase(running) === 'Cancelled')
    repo = commitFiles(repo, { Dockerfile: QUICK }, 'quick')
    // an isolated build is named by its repository, branch and second (osbs-client's isolated-<name>-<YYYYmmddHHMMSS>):
    // a run in the same second as the first one would get its name, which the first build holds (a 409)
    const stamp = () => new Date().toISOString().replace(/\D/g, '').slice(0, 14)
    await until(`a second later than ${running}`, () => stamp() > running.slice(-14), 5_000)
    const third = await runAction({ checkout: repo, repository: 'acme/iso', inputs: local.inputs({ release: '1.2' }) })
    expect({ code: third.code, errors: errorAnnotations(third.stdout) }).toEqual({ code: 0, errors: [] })
    expect(third.outputs['build-status']).toBe('Complete')
  })

  it('8d. SIGINT while an isolated build runs: the Build is Cancelled before the step ends, exit code 1', async () => {
    const repo = makeRepo(path.join(tmp, 'sig-direct'), { Dockerfile: LONG })
    let name = ''
    let phaseAtExit: string | undefined
    const run = await runAction({
      checkout: repo,
      repository: 'acme/sig-direct',
      inputs: local.inputs({ release: '2.1' }),
      onSpawn: (child, stdout) => {
        child.on('exit', () => (phaseAtExit = name ? phase(name) : undefined))
        void (async () => {
          name = await until('the build log to stream', () => (/ - DEBUG - 1$/m.test(stdout()) ? /Build (\S+): http/.exec(stdout())?.[1] : undefined), 30_000)
          child.kill('SIGINT')
        })().catch((error) => {
          child.kill('SIGKILL')
          throw error
        })
      }
    })
    expect(name).toMatch(/^isolated-/)
    expect(build(name)?.metadata.labels?.isolated).toBe('true')
    expect(phase(name)).toBe('Cancelled')
    expect(phaseAtExit).toBe('Cancelled')
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('SIGINT received')
    expect(run.state['build-finished']).toBe('true')
  })
})

describe('wait: false', () => {
  it('8c. the build is left running: the post step, run with the saved state, does not cancel it', async () => {
    const repo = makeRepo(path.join(tmp, 'nowait'), { Dockerfile: LONG })
    const main = await runAction({ checkout: repo, repository: 'acme/nowait', inputs: local.inputs({ wait: 'false' }) })
    expect(main.code).toBe(0)
    const name = main.outputs['build-name']
    expect(main.state['build-name']).toBe(name)
    await until(`${name} to run`, () => phase(name) === 'Running')

    const post = await runAction({ checkout: repo, repository: 'acme/nowait', inputs: local.inputs({ wait: 'false' }), state: main.state })
    expect(post.code).toBe(0)
    expect(post.stdout).not.toContain(`cancelling build ${name}`)
    expect(phase(name)).toBe('Running')
    expect(build(name)?.status?.cancelled).toBeFalsy()
    await local.api.cancelBuild(name)
  })
})

describe('timeout-minutes', () => {
  it('10. past timeout-minutes the build is cancelled and the step fails', async () => {
    const repo = makeRepo(path.join(tmp, 'slow'), { Dockerfile: LONG })
    const run = await runAction({ checkout: repo, repository: 'acme/slow', inputs: local.inputs({ 'timeout-minutes': '1' }), timeoutMs: 150_000 })
    expect(run.code).toBe(1)
    const name = run.outputs['build-name']
    expect(phase(name)).toBe('Cancelled')
    expect(run.outputs['build-status']).toBe('Cancelled')
    expect(errorAnnotations(run.stdout).join('\n')).toContain(`timeout-minutes (1) passed: build ${name} was cancelled`)
    expect(run.summary).toContain('timeout-minutes (1) passed')
  }, 180_000)
})
