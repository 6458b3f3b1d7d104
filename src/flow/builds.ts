/**
 * Builds of a BuildConfig: which are running, waiting for one to end (watch, re-watch, re-list), cancelling.
 */
import { isNotFound, type Cluster, type KubeObject } from '../cluster.js'
import type { OnRunningBuild } from '../settings.js'
import type { Reporter } from '../reporter.js'
import { watchUntil, type WatchUntilOptions } from './watch-object.js'

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

/** Builds of the BuildConfig in New/Pending/Running, oldest first (both the current and the older label, asked together). */
export async function runningBuilds(client: Cluster, buildConfig: string, signal?: AbortSignal): Promise<KubeObject[]> {
  const byName = new Map<string, KubeObject>()
  const lists = await Promise.all(['openshift.io/build-config.name', 'buildconfig'].map((label) => client.listBuilds({ labelSelector: `${label}=${buildConfig}` }, signal)))
  for (const list of lists) for (const build of list.items ?? []) byName.set(build.metadata.name, build)
  return [...byName.values()].filter((b) => RUNNING_PHASES.has(phaseOf(b))).sort((a, b) => buildNumber(a) - buildNumber(b))
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
 * SPEC §6.2: apply `on-running-build` to the builds of this BuildConfig that are New, Pending or Running.
 */
export async function applyRunningPolicy(client: Cluster, buildConfig: string, policy: OnRunningBuild, reporter: Reporter, signal?: AbortSignal): Promise<void> {
  const running = await runningBuilds(client, buildConfig, signal)
  if (!running.length) return
  const list = running.map((b) => `${b.metadata.name} (${phaseOf(b)})`).join(', ')
  if (policy === 'fail') {
    if (running.length === 1)
      throw new Error(`Build ${running[0].metadata.name} of BuildConfig ${buildConfig} is ${phaseOf(running[0])}; on-running-build is 'fail', so this run does not start another`)
    throw new Error(`Builds of BuildConfig ${buildConfig} are running: ${list}; on-running-build is 'fail'`)
  }
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
