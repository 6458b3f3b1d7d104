/**
 * The rules that keep one build per run when runs race, each with real values: the pause after repeated 410
 * answers, the BuildRequest's lastVersion and OpenShift's refusal of a moved one, the running-build policy judged
 * again after every conflict (`fail`) or once (`wait`, `cancel`), and the build a cut-short instantiate creates late.
 */
import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { ClusterError } from '../src/cluster/index.js'
import { applyBuildConfig, buildRequest } from '../src/flow/index.js'
import { runningPolicyBeforeWrite } from '../src/flow/builds.js'
import { awaitRequested, isLastVersionMismatch, REQUEST_ID_ANNOTATION } from '../src/flow/start.js'
import { goneDelay, GONE_BACKOFF } from '../src/flow/watch-object.js'
import { until } from '../__fixtures__/e2e/action.js'
import { dockerfile, makeRepo } from '../__fixtures__/e2e/git.js'
import { makePlan, RecordingReporter } from '../__fixtures__/e2e/plan.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const local = useLocalOpenShift({ logWaitSeconds: 1 }, { retry: { baseDelayMs: 10, maxDelayMs: 50 } })
const tmp = makeTempDir('osbs-races-')

describe('410 Gone in a row', () => {
  it('the first is answered at once, then 0.5 s doubling up to 5 s, each between half and all of it', () => {
    expect(GONE_BACKOFF).toEqual({ baseDelayMs: 500, maxDelayMs: 5000 })
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => goneDelay(n, () => 1))).toEqual([0, 500, 1000, 2000, 4000, 5000, 5000, 5000])
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => goneDelay(n, () => 0))).toEqual([0, 250, 500, 1000, 2000, 2500, 2500, 2500])
  })
})

describe('the BuildRequest for on-running-build: fail', () => {
  it('carries the lastVersion judged (only when given), and OpenShift refuses it once the BuildConfig moved on', async () => {
    const checkout = makeRepo(path.join(tmp, 'cas'), { Dockerfile: dockerfile('fedora:latest', 'acme/cas', '1.0') })
    const reporter = new RecordingReporter()
    const plan = await makePlan(checkout, local.inputs(), reporter)
    expect(buildRequest(plan, 'r1')).not.toHaveProperty('lastVersion')
    expect(buildRequest(plan, 'r1', 0)).toHaveProperty('lastVersion', 0)
    await applyBuildConfig(local.api, plan.buildConfig, reporter)
    const first = await local.api.instantiate(plan.buildConfigName, buildRequest(plan, 'r1', 0))
    expect(first.metadata.name).toBe(`${plan.buildConfigName}-1`)
    const refused = await local.api.instantiate(plan.buildConfigName, buildRequest(plan, 'r2', 0)).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ClusterError)
    expect((refused as ClusterError).status).toBe(400)
    expect(isLastVersionMismatch(refused)).toBe(true)
    expect(isLastVersionMismatch(new ClusterError('bad request: spec.strategy: Required value', { request: 'POST buildconfigs/x/instantiate', status: 400 }))).toBe(false)
    await local.api.cancelBuild(first.metadata.name)
  })
})

describe('the running-build policy around the BuildConfig write', () => {
  it("'fail' is judged again after a 409 (a build started meanwhile is seen); 'wait' and 'cancel' act once", async () => {
    const checkout = makeRepo(path.join(tmp, 'recheck'), { Dockerfile: dockerfile('fedora:latest', 'acme/recheck', '1.0') })
    const reporter = new RecordingReporter()
    const plan = await makePlan(checkout, local.inputs(), reporter)
    await applyBuildConfig(local.api, plan.buildConfig, reporter)
    const hold = local.emulator.faults.holdBuild()
    try {
      for (const policy of ['fail', 'wait', 'cancel'] as const) {
        const judged: number[] = []
        const policyCheck = runningPolicyBeforeWrite(local.api, plan.buildConfigName, policy, reporter)
        // the first write conflicts: another run wrote the BuildConfig and started a build in between
        const conflict = local.emulator.faults.respond({ method: 'PUT', path: /buildconfigs\// }, 409, { count: 1, reason: 'Conflict', message: 'the object has been modified' })
        let other: string | undefined
        const applying = applyBuildConfig(local.api, plan.buildConfig, reporter, {
          wait: async () => {
            other ??= (await local.api.instantiate(plan.buildConfigName, buildRequest(plan, `other-${policy}`))).metadata.name
          },
          beforeWrite: async (existing, attempt) => {
            judged.push(attempt)
            await policyCheck(existing, attempt)
          }
        })
        if (policy === 'fail') {
          await expect(applying).rejects.toThrow(/^Build \S+ of BuildConfig \S+ is (New|Pending|Running); on-running-build is 'fail', so this run does not start another$/)
          expect(judged).toEqual([0, 1])
        } else {
          await applying
          expect(judged).toEqual([0, 1])
          // the racing run's build is neither waited for nor cancelled: it is queued behind
          expect(local.emulator.store.get('builds', local.emulator.namespace, other!)?.status?.phase).not.toBe('Cancelled')
        }
        expect(conflict.hits).toBe(1)
        await local.api.cancelBuild(other!)
      }
    } finally {
      local.emulator.faults.remove(hold)
    }
  })
})

describe('an instantiate cut short', () => {
  it('its build is found also when the server creates it after the first look', async () => {
    const checkout = makeRepo(path.join(tmp, 'late'), { Dockerfile: dockerfile('fedora:latest', 'acme/late', '1.0') })
    const reporter = new RecordingReporter()
    const plan = await makePlan(checkout, local.inputs(), reporter)
    await applyBuildConfig(local.api, plan.buildConfig, reporter)
    const hold = local.emulator.faults.holdBuild()
    try {
      const mark = Math.max(0, ...local.emulator.requests.list().map((e) => e.sent))
      const looking = awaitRequested(local.api, plan, 'late-1', 20_000)
      // created only once the first look (the list) has been answered: the watch from that list sees it
      const isList = (e: { sent: number; method: string; url: string; answered?: number }) => e.sent > mark && e.method === 'GET' && /\/builds\?/.test(e.url) && !/watch=true/.test(e.url)
      await until('the first look to be answered', () => local.emulator.requests.list().some((e) => isList(e) && e.answered !== undefined))
      const created = await local.api.instantiate(plan.buildConfigName, buildRequest(plan, 'late-1'))
      const found = await looking
      expect(found?.metadata.name).toBe(created.metadata.name)
      expect(found?.metadata.annotations?.[REQUEST_ID_ANNOTATION]).toBe('late-1')
      // none carrying another id: undefined once the bound passed
      expect(await awaitRequested(local.api, plan, 'never', 300)).toBeUndefined()
      await local.api.cancelBuild(created.metadata.name)
    } finally {
      local.emulator.faults.remove(hold)
    }
  })
})
