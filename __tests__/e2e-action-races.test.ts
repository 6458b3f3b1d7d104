/**
 * End to end, exactly one build per run also when racing: SIGTERM while `instantiate` is in flight and the server
 * carries the request out after the step gave up on it; `on-running-build: fail` with 5 and 10 runs racing; a watch
 * that answers 410 Gone every time.
 */
import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { errorAnnotations, runAction, until, type ActionRun } from '../__fixtures__/e2e/action.js'
import { commitFiles, dockerfile, makeRepo, type Checkout } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const tmp = makeTempDir('osbs-e2e-races-')
const local = useLocalOpenShift({ logWaitSeconds: 2, logPace: 20 })
/** Minutes at this pace. */
const LONG = (name: string) => dockerfile('fedora:latest', name, '1.0', 'RUN seq 200000\n')
/** About 3 s at this pace. */
const MEDIUM = (name: string) => dockerfile('fedora:latest', name, '1.0', 'RUN seq 100\n')
const QUICK = (name: string) => dockerfile('fedora:latest', name, '1.0', 'RUN echo quick\n')

const phase = (name: string): string | undefined => local.emulator.store.get('builds', local.emulator.namespace, name)?.status?.phase
const lastSent = (): number => Math.max(0, ...local.emulator.requests.list().map((e) => e.sent))

describe('SIGTERM while instantiate is in flight', () => {
  it('4. the server carries the request out after the step gave up on its answer: the build is found and cancelled', async () => {
    const repo = makeRepo(path.join(tmp, 'sigterm'), { Dockerfile: LONG('acme/sigterm') })
    // The instantiate is held, received whole; it is carried out only once the step has sent SIGTERM, the client
    // has closed the connection and the step has made its first look for the build afterwards.
    const gate = local.emulator.faults.gate({ method: 'POST', path: /\/instantiate$/ })
    let signalled: Promise<void> = Promise.resolve()
    const run = await runAction({
      checkout: repo,
      repository: 'acme/sigterm',
      inputs: local.inputs(),
      onSpawn: (child) => {
        signalled = (async () => {
          await gate.received
          const mark = lastSent()
          child.kill('SIGTERM')
          await gate.abandoned
          await until('the step to look for the build after the signal', () =>
            local.emulator.requests.list().some((e) => e.sent > mark && e.method === 'GET' && /\/builds\?/.test(e.url) && !/watch=true/.test(e.url))
          )
        })()
          .catch(() => void child.kill('SIGKILL'))
          .finally(() => local.emulator.faults.remove(gate))
      }
    })
    await signalled
    expect(gate.hits).toBe(1)
    const ours = () => local.emulator.store.list('builds', local.emulator.namespace).filter((b) => b.metadata.annotations?.['osbs-build-action/repository']?.endsWith('/acme/sigterm'))
    // the server carries the held request out once released (before the step ended, or after)
    const [build] = await until('the held instantiate to be carried out', () => (ours().length ? ours() : undefined))
    expect(ours()).toHaveLength(1)
    const name = build.metadata.name
    expect(phase(name)).toBe('Cancelled')
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('SIGTERM received')
    expect(run.stdout).toContain(`Build ${name} was started by this run's request`)
    expect(errorAnnotations(run.stdout).join('\n')).toContain(`SIGTERM: build ${name} was cancelled`)
    expect(run.state['build-finished']).toBe('true')
  })
})

describe('on-running-build: fail with racing runs', () => {
  /**
   * `n` runs at once, all reading the BuildConfig before any of them writes it (their first reads are held until
   * all `n` have arrived); the builds they start are held Running until all runs have ended.
   */
  async function race(n: number, repo: Checkout, repository: string): Promise<ActionRun[]> {
    const hold = local.emulator.faults.holdBuild()
    const reads = local.emulator.faults.gate({ method: 'GET', path: /\/buildconfigs\/[^/]+$/ }, { count: n })
    try {
      const runs = Array.from({ length: n }, () => runAction({ checkout: repo, repository, inputs: local.inputs({ 'on-running-build': 'fail', wait: 'false' }) }))
      await until(`the ${n} runs to read the BuildConfig`, () => reads.hits === n, 60_000)
      local.emulator.faults.remove(reads)
      return await Promise.all(runs)
    } finally {
      local.emulator.faults.remove(reads)
      local.emulator.faults.remove(hold)
    }
  }

  function expectOneBuild(runs: ActionRun[], bc: string, before: number): void {
    const builds = local.buildsOf(bc).slice(before)
    const started = builds.map((b) => b.metadata.name)
    const winners = runs.filter((r) => r.code === 0)
    const losers = runs.filter((r) => r.code !== 0)
    expect(started).toHaveLength(1)
    expect(winners).toHaveLength(1)
    expect(winners[0].outputs['build-name']).toBe(started[0])
    for (const loser of losers) {
      expect(loser.code).toBe(1)
      const errors = errorAnnotations(loser.stdout).join('\n')
      expect(errors).toContain(`on-running-build is 'fail'`)
      expect(errors).toContain(started[0])
      expect(loser.outputs['build-name']).toBeUndefined()
    }
  }

  it('5a. 5 runs on a new BuildConfig start one build; the others fail naming it', async () => {
    const repo = makeRepo(path.join(tmp, 'race-new'), { Dockerfile: QUICK('acme/race-new') })
    const runs = await race(5, repo, 'acme/race-new')
    const bc = runs.find((r) => r.code === 0)?.outputs['build-config'] ?? ''
    expectOneBuild(runs, bc, 0)
    await local.api.cancelBuild(local.buildsOf(bc)[0].metadata.name)
  })

  it('5b. 10 runs on an existing BuildConfig start one build; the others fail naming it', async () => {
    let repo = makeRepo(path.join(tmp, 'race-old'), { Dockerfile: MEDIUM('acme/race-old') })
    const first = await runAction({ checkout: repo, repository: 'acme/race-old', inputs: local.inputs() })
    expect(first.code).toBe(0)
    const bc = first.outputs['build-config']
    const before = local.buildsOf(bc).length
    repo = commitFiles(repo, { Dockerfile: QUICK('acme/race-old') }, 'quick')
    const runs = await race(10, repo, 'acme/race-old')
    expectOneBuild(runs, bc, before)
    await local.api.cancelBuild(local.buildsOf(bc)[before].metadata.name)
  })

  it('5c. two runs that both found no build running send their instantiates together: OpenShift starts one, the other run fails naming it', async () => {
    const repo = makeRepo(path.join(tmp, 'race-cas'), { Dockerfile: QUICK('acme/race-cas') })
    const hold = local.emulator.faults.holdBuild()
    // both instantiates are held until both have been sent: each run has judged the policy and written the BuildConfig
    const sends = local.emulator.faults.gate({ method: 'POST', path: /\/instantiate$/ }, { count: 2 })
    try {
      const pending = [0, 1].map(() => runAction({ checkout: repo, repository: 'acme/race-cas', inputs: local.inputs({ 'on-running-build': 'fail', wait: 'false' }) }))
      await until('both runs to send their instantiate', () => sends.hits === 2, 60_000)
      local.emulator.faults.remove(sends)
      const runs = await Promise.all(pending)
      const bc = runs.find((r) => r.code === 0)?.outputs['build-config'] ?? ''
      expectOneBuild(runs, bc, 0)
      const [started] = local.buildsOf(bc)
      const loser = runs.find((r) => r.code !== 0)!
      const message = errorAnnotations(loser.stdout).find((m) => m.startsWith(`BuildConfig ${bc} started build`))
      // the phase it had when the loser looked: New, Pending or Running
      expect(message?.replace(/ \((New|Pending|Running), /, ' (PHASE, ')).toBe(
        `BuildConfig ${bc} started build ${started.metadata.name} (PHASE, started by run https://github.com/acme/race-cas/actions/runs/4242) while this run was starting its own; on-running-build is 'fail', so this run does not start another`
      )
      await local.api.cancelBuild(started.metadata.name)
    } finally {
      local.emulator.faults.remove(sends)
      local.emulator.faults.remove(hold)
    }
  })
})

describe('a watch that answers 410 Gone every time', () => {
  /** The watch backs off as README says: at once after the first 410, then 0.5 s doubling up to 5 s, each between half and all of it. */
  const BASE_MS = 500
  const CAP_MS = 5000

  it('6. the wait backs off: watch requests stay within the backoff bound for the time the build took', async () => {
    const repo = makeRepo(path.join(tmp, 'gone'), { Dockerfile: MEDIUM('acme/gone') })
    const mark = lastSent()
    const gone = local.emulator.faults.respond({ method: 'GET', query: { watch: 'true' } }, 410, { count: Infinity })
    const started = Date.now()
    const run = await runAction({ checkout: repo, repository: 'acme/gone', inputs: local.inputs() })
    const elapsedMs = Date.now() - started
    local.emulator.faults.remove(gone)
    expect(run.code).toBe(0)
    expect(run.outputs['build-status']).toBe('Complete')
    const watches = local.emulator.requests.list().filter((e) => e.sent > mark && e.method === 'GET' && /\/builds\?/.test(e.url) && /watch=true/.test(e.url))
    expect(watches.length).toBeGreaterThan(1)
    // the first watch and the one right after the first 410, the doubling steps up to the cap, then one per half cap
    const bound = 2 + Math.ceil(Math.log2(CAP_MS / BASE_MS)) + Math.ceil(elapsedMs / (CAP_MS / 2))
    expect(watches.length).toBeLessThanOrEqual(bound)
  })
})
