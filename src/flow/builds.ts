/**
 * Builds of a BuildConfig: which are running, waiting for one to end (watch, re-watch, re-list), cancelling.
 */
import { isNotFound, sleep, type Cluster, type KubeObject } from '../cluster/index.js'
import type { OnRunningBuild } from '../settings.js'
import type { Reporter } from '../shared/reporter.js'
import { watchUntil, type WatchUntilOptions } from './watch-object.js'

/** The annotation a build started by this action carries: the run that started it (start.ts writes it). */
export const RUN_URL_ANNOTATION = 'osbs-build-action/run-url'

/** The build was started by an ImageChange trigger. */
export function triggeredByImageChange(build: KubeObject): boolean {
  const causes: any[] = build.spec?.triggeredBy ?? []
  return causes.some((c) => c?.imageChangeBuild || /image change/i.test(c?.message ?? ''))
}

export const RUNNING_PHASES = new Set(['New', 'Pending', 'Running'])
export const TERMINAL_PHASES = new Set(['Complete', 'Failed', 'Error', 'Cancelled'])

export function phaseOf(build: KubeObject | undefined): string {
  return build?.status?.phase ?? 'New'
}
export function isTerminal(build: KubeObject | undefined): boolean {
  return TERMINAL_PHASES.has(phaseOf(build))
}

/** What the log follower needs to know of a build's end, from someone who watches the build anyway. */
export interface BuildProgress {
  /** The build has ended, as last seen. */
  ended(): boolean
  /** true as soon as the build is seen ended; false when `ms` pass (or `signal` aborts) first. */
  endedWithin(ms: number, signal?: AbortSignal): Promise<boolean>
}

/** A BuildProgress fed with each state of the build a watch sees (`seen`). */
export class BuildEnd implements BuildProgress {
  private done: boolean
  private readonly waiters = new Set<() => void>()

  constructor(build?: KubeObject) {
    this.done = build !== undefined && isTerminal(build)
  }

  seen(build: KubeObject): void {
    if (this.done || !isTerminal(build)) return
    this.done = true
    for (const wake of this.waiters) wake()
    this.waiters.clear()
  }

  ended(): boolean {
    return this.done
  }

  endedWithin(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.done) return Promise.resolve(true)
    return new Promise((resolve) => {
      const finish = (value: boolean): void => {
        clearTimeout(timer)
        this.waiters.delete(wake)
        signal?.removeEventListener('abort', onAbort)
        resolve(value)
      }
      const wake = (): void => finish(true)
      const onAbort = (): void => finish(false)
      const timer = setTimeout(() => finish(false), ms)
      this.waiters.add(wake)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}

function buildNumber(build: KubeObject): number {
  return Number(build.metadata.annotations?.['openshift.io/build.number'] ?? /-(\d+)$/.exec(build.metadata.name)?.[1] ?? 0)
}

/** Builds of the BuildConfig, oldest first (both the current and the older label, asked together). */
async function buildsOf(client: Cluster, buildConfig: string, signal?: AbortSignal): Promise<KubeObject[]> {
  const byName = new Map<string, KubeObject>()
  const lists = await Promise.all(['openshift.io/build-config.name', 'buildconfig'].map((label) => client.listBuilds({ labelSelector: `${label}=${buildConfig}` }, signal)))
  for (const list of lists) for (const build of list.items ?? []) byName.set(build.metadata.name, build)
  return [...byName.values()].sort((a, b) => buildNumber(a) - buildNumber(b))
}

/** Builds of the BuildConfig in New/Pending/Running, oldest first. */
export async function runningBuilds(client: Cluster, buildConfig: string, signal?: AbortSignal): Promise<KubeObject[]> {
  return (await buildsOf(client, buildConfig, signal)).filter((b) => RUNNING_PHASES.has(phaseOf(b)))
}

export type WaitOptions = WatchUntilOptions

/** Wait until the build is terminal (watch-object.ts: watch, re-watch, re-read on 410 and failures). */
export function waitForTerminal(client: Cluster, name: string, options: WaitOptions = {}): Promise<KubeObject> {
  const build = { group: 'build' as const, resource: 'builds', name, get: (n: string, s?: AbortSignal) => client.getBuild(n, s), deleted: `Build ${name} was deleted before it finished` }
  return watchUntil(client, build, isTerminal, options)
}

/** Request the cancellation of a build (a build already ended is left alone). */
export async function requestCancel(client: Cluster, name: string, signal?: AbortSignal): Promise<KubeObject | undefined> {
  try {
    return await client.cancelBuild(name, signal)
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw error
  }
}

/**
 * The newest build of the BuildConfig as `lastVersion` numbers it, when the list missed it: instantiate moves
 * `status.lastVersion` before it creates the Build, so a list read right after the BuildConfig may not hold it
 * yet. Looked for a few times (a build deleted by hand stays missing).
 */
async function newestMissing(client: Cluster, buildConfig: string, lastVersion: number, listed: KubeObject[], signal?: AbortSignal): Promise<KubeObject | undefined> {
  if (lastVersion <= 0 || listed.some((b) => buildNumber(b) >= lastVersion)) return undefined
  for (let look = 0; look < 4; look++) {
    try {
      return await client.getBuild(`${buildConfig}-${lastVersion}`, signal)
    } catch (error) {
      if (!isNotFound(error)) throw error
      await sleep(250, signal)
    }
  }
  return undefined
}

/** Builds of the BuildConfig in New/Pending/Running, including the newest one `lastVersion` names when the list has not caught up with it. */
async function runningNow(client: Cluster, buildConfig: string, lastVersion: number, signal?: AbortSignal): Promise<KubeObject[]> {
  const all = await buildsOf(client, buildConfig, signal)
  const newest = await newestMissing(client, buildConfig, lastVersion, all, signal)
  return [...all, ...(newest ? [newest] : [])].filter((b) => RUNNING_PHASES.has(phaseOf(b)))
}

function refusal(buildConfig: string, running: KubeObject[]): Error {
  if (running.length === 1)
    return new Error(`Build ${running[0].metadata.name} of BuildConfig ${buildConfig} is ${phaseOf(running[0])}; on-running-build is 'fail', so this run does not start another`)
  const list = running.map((b) => `${b.metadata.name} (${phaseOf(b)})`).join(', ')
  return new Error(`Builds of BuildConfig ${buildConfig} are running: ${list}; on-running-build is 'fail'`)
}

/**
 * SPEC §6.2: apply `on-running-build` to the builds of this BuildConfig that are New, Pending or Running.
 * `existing` is the BuildConfig as read just before (its `status.lastVersion` numbers the newest build).
 */
export async function applyRunningPolicy(client: Cluster, buildConfig: string, policy: OnRunningBuild, reporter: Reporter, signal?: AbortSignal, existing?: KubeObject): Promise<void> {
  const running = await runningNow(client, buildConfig, Number(existing?.status?.lastVersion ?? 0), signal)
  if (!running.length) return
  if (policy === 'fail') throw refusal(buildConfig, running)
  if (policy === 'cancel') {
    for (const build of running) {
      reporter.info(`Cancelling build ${build.metadata.name} (${phaseOf(build)}) as on-running-build is 'cancel'`)
      await requestCancel(client, build.metadata.name, signal)
    }
  }
  for (const build of running) {
    reporter.info(`Waiting for build ${build.metadata.name} (${phaseOf(build)}) to end before starting a new one`)
    const done = await waitForTerminal(client, build.metadata.name, { signal, from: build })
    reporter.info(`Build ${build.metadata.name} ended: ${phaseOf(done)}`)
  }
}

/**
 * The running-build policy as the BuildConfig write's `beforeWrite`, called with the BuildConfig as read before
 * each write. `fail` is judged after every read of an existing BuildConfig: a run that lost a write to another
 * (409, also on create) judges the builds that run may have started since; the instantiate then carries the
 * `lastVersion` judged (start.ts), so that no build started after the judgement goes unseen. `wait` and `cancel`
 * act once, on the first read, as before: a racing run's build is queued behind, not waited for or cancelled.
 */
export function runningPolicyBeforeWrite(
  client: Cluster,
  buildConfig: string,
  policy: OnRunningBuild,
  reporter: Reporter,
  signal?: AbortSignal
): (existing: KubeObject | undefined, attempt: number) => Promise<void> {
  return async (existing, attempt) => {
    if (!existing || (policy !== 'fail' && attempt > 0)) return
    await applyRunningPolicy(client, buildConfig, policy, reporter, signal, existing)
  }
}

/**
 * Why a run with `on-running-build: fail` does not start its build after OpenShift refused its instantiate for a
 * `lastVersion` that moved: the builds started since, each with its phase and the run that started it.
 */
export async function startedSince(client: Cluster, buildConfig: string, lastVersion: number, signal?: AbortSignal): Promise<Error> {
  const since = (await buildsOf(client, buildConfig, signal)).filter((b) => buildNumber(b) > lastVersion)
  const by = (b: KubeObject): string => {
    const run = b.metadata.annotations?.[RUN_URL_ANNOTATION]
    return run ? ` by run ${run}` : triggeredByImageChange(b) ? ' by an image change' : ''
  }
  const named = since.length ? since.map((b) => `${b.metadata.name} (${phaseOf(b)}, started${by(b)})`).join(', ') : `build ${lastVersion + 1}`
  return new Error(
    `BuildConfig ${buildConfig} started ${since.length > 1 ? 'builds' : 'build'} ${named} while this run was starting its own; on-running-build is 'fail', so this run does not start another`
  )
}
