/**
 * The build controller (openshift-controller-manager's build and image-trigger controllers, in process):
 * - runPolicy gating of `New` builds (Serial, SerialLatestOnly, Parallel), `New → Pending → Running`;
 * - one "pod" per Running build: the emulated atomic-reactor, through a ReactorHost on top of the store;
 * - `Complete | Failed | Error` from the pod's result, `Cancelled` when `status.cancelled` is set;
 * - ImageChange triggers (exactly once per image) and the ConfigChange trigger's first build;
 * - pruning of old builds past the BuildConfig's history limits.
 */
import type { FaultInjector } from '../faults.js'
import { buildConfigName, buildNumber, outputReference } from '../registry/build/names.js'
import { isTerminal } from '../registry/build/strategy.js'
import { imageChangeTriggers } from '../registry/buildconfig/triggers.js'
import { checkTriggers } from './buildconfig-triggers.js'
import type { Images } from '../registry/imagestream/images.js'
import type { BuildLog, LogStore } from '../storage/build-logs.js'
import type { KojiHub } from '../koji/hub.js'
import { Host } from '../pod/host.js'
import { importsIntoKoji } from '../pod/koji-record.js'
import type { BuildBackend } from '../reactor/backend.js'
import type { Reactor, ReactorResult } from '../reactor/host.js'
import type { ImageRegistries } from '../images/registries.js'
import { podQuotaRefusal } from './quota.js'
import { nowRFC3339, type KubeObject, type Store, type StoreEvent } from '../storage/store.js'

export interface ControllerOptions {
  reactor: Reactor
  /** where the pods' images are pulled, built and pushed: simulated or real, one for the cluster */
  backend: BuildBackend
  /** ms per `host.pace()` step */
  logPace: number
  /** ms a build stays Pending before its pod runs */
  podStartDelay: number
  /** the local Koji hub: a completed build whose release it gave is recorded there (see koji/hub.ts) */
  koji?: KojiHub
}

/** How long close() waits for aborted reactors to clean up. */
const REACTOR_CLOSE_MS = 5000

const policyOf = (b: KubeObject): string => b.metadata.labels?.['openshift.io/build.start-policy'] || 'Serial'
const active = (b: KubeObject): boolean => b.status?.phase === 'Pending' || b.status?.phase === 'Running'

interface Pod {
  abort: AbortController
  done: Promise<void>
}

export class BuildController {
  private readonly pods = new Map<string, Pod>()
  private readonly queue = new Set<string>()
  private scheduled = false
  private unsubscribe?: () => void
  private closed = false
  /** pending pod starts */
  private readonly timers = new Set<NodeJS.Timeout>()
  /** the reactors still running, cancelled builds' included (see close) */
  private readonly reactors = new Set<Promise<ReactorResult>>()
  /** callers of settled() */
  private readonly settledWaiters: Array<() => void> = []

  constructor(
    private readonly store: Store,
    private readonly images: Images,
    private readonly logs: LogStore,
    private readonly faults: FaultInjector,
    private readonly registries: ImageRegistries,
    private readonly opts: ControllerOptions
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe((e) => this.onEvent(e))
    for (const bc of this.store.peekList('buildconfigs')) this.enqueue(`trig/${bc.metadata.namespace}/${bc.metadata.name}`)
    for (const b of this.store.peekList('builds')) this.enqueue(this.buildKey(b))
  }

  async close(): Promise<void> {
    this.closed = true
    this.unsubscribe?.()
    for (const t of this.timers) clearTimeout(t)
    for (const p of this.pods.values()) p.abort.abort()
    this.wakeSettled()
    await Promise.allSettled([...this.pods.values()].map((p) => p.done))
    // the aborted reactors' own clean-up, at most REACTOR_CLOSE_MS (one that ignores its abort is not waited for longer)
    let timer: NodeJS.Timeout | undefined
    await Promise.race([Promise.allSettled([...this.reactors]), new Promise<void>((resolve) => (timer = setTimeout(resolve, REACTOR_CLOSE_MS)))])
    clearTimeout(timer)
  }

  /** Resolves once every change made so far has been handled: nothing queued, no pass scheduled, no pod start pending. */
  settled(): Promise<void> {
    if (this.idle()) return Promise.resolve()
    return new Promise((resolve) => this.settledWaiters.push(resolve))
  }

  private idle(): boolean {
    return this.closed || (!this.scheduled && this.queue.size === 0 && this.timers.size === 0)
  }

  private wakeSettled(): void {
    if (this.idle()) for (const resolve of this.settledWaiters.splice(0)) resolve()
  }

  private buildKey(b: KubeObject): string {
    const bc = buildConfigName(b)
    return bc ? `bc/${b.metadata.namespace}/${bc}` : `build/${b.metadata.namespace}/${b.metadata.name}`
  }

  private onEvent(e: StoreEvent): void {
    if (this.closed) return
    const o = e.object
    if (e.plural === 'builds') {
      if (e.type === 'DELETED') {
        this.pods.get(`${o.metadata.namespace}/${o.metadata.name}`)?.abort.abort()
        this.logs.remove(o.metadata.namespace!, o.metadata.name)
      }
      this.enqueue(this.buildKey(o))
    } else if (e.plural === 'buildconfigs' && e.type !== 'DELETED') {
      this.enqueue(`trig/${o.metadata.namespace}/${o.metadata.name}`)
      this.enqueue(`bc/${o.metadata.namespace}/${o.metadata.name}`)
    } else if (e.plural === 'buildconfigs' && e.type === 'DELETED') {
      this.enqueue(`bc/${o.metadata.namespace}/${o.metadata.name}`)
    } else if (e.plural === 'resourcequotas' || (e.plural === 'pods' && e.type !== 'ADDED')) {
      // a quota changed or a pod ended: builds held back by a quota may start now
      for (const b of this.store.peekList('builds', o.metadata.namespace)) if (b.status?.reason === 'CannotCreateBuildPod') this.enqueue(this.buildKey(b))
    } else if (e.plural === 'imagestreams' && e.type !== 'DELETED') {
      for (const bc of this.store.peekList('buildconfigs')) {
        if (imageChangeTriggers(bc).some((t) => t.namespace === o.metadata.namespace && t.name.split(':')[0] === o.metadata.name)) {
          this.enqueue(`trig/${bc.metadata.namespace}/${bc.metadata.name}`)
        }
      }
    }
  }

  private enqueue(key: string): void {
    this.queue.add(key)
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => this.drain())
  }

  private drain(): void {
    this.scheduled = false
    if (this.closed) return
    const keys = [...this.queue]
    this.queue.clear()
    for (const k of keys) {
      const [kind, ns, name] = k.split('/') as [string, string, string]
      try {
        if (kind === 'trig') checkTriggers(this.store, this.images, ns, name)
        else if (kind === 'bc') this.reconcile(ns, name)
        else
          this.reconcileBuilds(
            ns,
            [this.store.get('builds', ns, name)].filter((b): b is KubeObject => !!b),
            true
          )
      } catch (err) {
        process.emitWarning(`build controller: ${k}: ${(err as Error).stack ?? err}`)
      }
    }
    this.wakeSettled()
  }

  /** All builds of one BuildConfig, by number. */
  private buildsOf(ns: string, bc: string): KubeObject[] {
    return this.store
      .peekList('builds', ns)
      .filter((b) => buildConfigName(b) === bc)
      .sort((a, b) => buildNumber(a) - buildNumber(b))
      .map((b) => structuredClone(b))
  }

  private reconcile(ns: string, bcName: string): void {
    this.reconcileBuilds(ns, this.buildsOf(ns, bcName), false)
    this.prune(ns, bcName)
  }

  private reconcileBuilds(ns: string, builds: KubeObject[], standalone: boolean): void {
    // Cancellation first.
    for (const b of builds) {
      if (!isTerminal(b) && b.status?.cancelled === true) this.cancel(b)
    }
    let live = builds.map((b) => this.store.peek('builds', ns, b.metadata.name)).filter((b): b is KubeObject => !!b)
    if (standalone) {
      for (const b of live) if (b.status?.phase === 'New') this.toPending(b)
      return
    }
    // SerialLatestOnly: queued builds older than the newest queued one are cancelled (the running one is kept).
    const queued = live.filter((b) => b.status?.phase === 'New' && !b.status?.cancelled)
    const newest = queued[queued.length - 1]
    if (newest && policyOf(newest) === 'SerialLatestOnly') {
      for (const b of live) {
        if (b !== newest && buildNumber(b) < buildNumber(newest) && (b.status?.phase === 'New' || b.status?.phase === 'Pending')) {
          this.markCancelled(b)
        }
      }
      live = live.map((b) => this.store.peek('builds', ns, b.metadata.name)).filter((b): b is KubeObject => !!b)
    }
    const running = live.filter(active)
    const next = live.filter((b) => b.status?.phase === 'New' && !b.status?.cancelled)
    if (!next.length) return
    const first = next[0]!
    if (policyOf(first) === 'Parallel') {
      // All queued Parallel builds start together unless a serial build is Pending/Running.
      if (running.some((b) => policyOf(b) !== 'Parallel')) return
      for (const b of next) {
        if (policyOf(b) !== 'Parallel') break
        this.toPending(b)
      }
      return
    }
    if (running.length) return
    this.toPending(first)
  }

  private markCancelled(b: KubeObject): void {
    this.store.modify('builds', b.metadata.namespace!, b.metadata.name, (o) => {
      if (isTerminal(o)) return undefined
      o.status.cancelled = true
      return o
    })
  }

  /** Cancelled: phase, reason, completion data; the pod is stopped, the log ends. */
  private cancel(b: KubeObject): void {
    const ns = b.metadata.namespace!
    this.store.modify('builds', ns, b.metadata.name, (o) => {
      if (isTerminal(o)) return undefined
      o.status.phase = 'Cancelled'
      o.status.reason = 'CancelledBuild'
      o.status.message = 'The build was cancelled by the user.'
      this.completion(o)
      return o
    })
    this.pods.get(`${ns}/${b.metadata.name}`)?.abort.abort()
    this.logs.get(ns, b.metadata.name)?.finish()
  }

  private completion(o: KubeObject): void {
    const now = new Date()
    o.status.completionTimestamp = nowRFC3339(now)
    if (!o.status.startTimestamp) {
      // never ran (cancelled while New or Pending): 3.11 starts and ends it now, a duration of 0, which Go omits
      o.status.startTimestamp = o.status.completionTimestamp
      delete o.status.duration
      return
    }
    o.status.duration = Math.max(0, now.getTime() - Date.parse(o.status.startTimestamp)) * 1_000_000
  }

  private toPending(b: KubeObject): void {
    const ns = b.metadata.namespace!
    const name = b.metadata.name
    if (podQuotaRefusal(this.store, ns, `${name}-build`)) {
      // The pod may not be created (a ResourceQuota): the build stays New until the quota allows it.
      this.store.modify('builds', ns, name, (o) => {
        if (o.status?.phase !== 'New' || o.status.reason === 'CannotCreateBuildPod') return undefined
        o.status.reason = 'CannotCreateBuildPod'
        o.status.message = 'Failed creating build pod.'
        return o
      })
      return
    }
    const updated = this.store.modify('builds', ns, name, (o) => {
      if (o.status?.phase !== 'New') return undefined
      delete o.status.reason
      delete o.status.message
      o.status.phase = 'Pending'
      o.metadata.annotations = { ...(o.metadata.annotations ?? {}), 'openshift.io/build.pod-name': `${name}-build` }
      const out = outputReference(o)
      if (out) o.status.outputDockerImageReference = out
      return o
    })
    if (updated.status?.phase !== 'Pending') return
    const t = setTimeout(() => {
      this.timers.delete(t)
      this.startPod(ns, name)
      this.wakeSettled()
    }, this.opts.podStartDelay)
    this.timers.add(t)
  }

  private startPod(ns: string, name: string): void {
    if (this.closed) return
    const key = `${ns}/${name}`
    if (this.pods.has(key)) return
    const cur = this.store.peek('builds', ns, name)
    if (!cur || cur.status?.phase !== 'Pending') return
    if (cur.status?.cancelled) {
      this.cancel(cur)
      return
    }
    const log = this.logs.open(ns, name)
    const build = this.store.modify('builds', ns, name, (o) => {
      o.status.phase = 'Running'
      o.status.startTimestamp = nowRFC3339()
      return o
    })
    const abort = new AbortController()
    const pod: Pod = { abort, done: Promise.resolve() }
    this.pods.set(key, pod)
    pod.done = this.runPod(build, log, abort).finally(() => this.pods.delete(key))
  }

  private async runPod(build: KubeObject, log: BuildLog, abort: AbortController): Promise<void> {
    const ns = build.metadata.namespace!
    const name = build.metadata.name
    const tail: string[] = []
    const host = new Host(this.store, this.images, this.faults, this.registries, this.opts.backend, build, log, abort.signal, this.opts.logPace, tail)
    let result: ReactorResult
    let phase: 'Complete' | 'Failed' | 'Error'
    try {
      // A pod that ignores the abort signal must not keep a cancelled build (or close()) waiting.
      const aborted = new Promise<ReactorResult>((resolve) => {
        if (abort.signal.aborted) resolve({ success: false, reason: 'CancelledBuild' })
        abort.signal.addEventListener('abort', () => resolve({ success: false, reason: 'CancelledBuild' }), { once: true })
      })
      const running = this.opts.reactor(host)
      // close() waits (bounded) for the reactor itself, so that it removes what it made (its checkout) before the
      // cluster is gone: the race below lets a cancelled build end at once, not the reactor's clean-up.
      this.reactors.add(running)
      void running.catch(() => undefined).finally(() => this.reactors.delete(running))
      result = await Promise.race([running, aborted])
      phase = result.success ? 'Complete' : 'Failed'
    } catch (err) {
      result = { success: false, reason: 'GenericBuildFailed', message: `Generic Build failure - check logs for details.` }
      if (!abort.signal.aborted) {
        log.append(`error: build pod failed: ${(err as Error).message ?? err}`)
        tail.push(`error: build pod failed: ${(err as Error).message ?? err}`)
      }
      phase = 'Error'
    }
    if (this.closed) return
    const cur = this.store.peek('builds', ns, name)
    if (cur && !isTerminal(cur)) {
      this.store.modify('builds', ns, name, (o) => {
        if (isTerminal(o)) return undefined
        if (o.status?.cancelled) {
          o.status.phase = 'Cancelled'
          o.status.reason = 'CancelledBuild'
          o.status.message = 'The build was cancelled by the user.'
        } else {
          o.status.phase = phase
          if (phase === 'Complete') {
            // osbs-client's scratch build has no koji_promote / koji_import: Koji never learns of it; a build
            // whose koji_promote imported it is not recorded again (koji-record.ts)
            const k = o.metadata.labels?.scratch === 'true' || importsIntoKoji(o) ? undefined : result.kojiBuild
            if (k && this.opts.koji && k.hub === this.opts.koji.url) {
              try {
                this.opts.koji.recordBuild(k)
              } catch {
                // already recorded (a build of the same N-V-R): Koji keeps the first
              }
            }
            delete o.status.reason
            delete o.status.message
          } else {
            o.status.reason = result.reason ?? 'GenericBuildFailed'
            o.status.message = result.message ?? 'Generic Build failure - check logs for details.'
            if (tail.length) o.status.logSnippet = tail.join('\n')
          }
          if (result.outputDockerImageReference) o.status.outputDockerImageReference = result.outputDockerImageReference
          if (result.imageDigest) o.status.output = { to: { imageDigest: result.imageDigest } }
        }
        // 3.11's build controller names the pod on every update it makes from the pod's state: an annotation
        // store_metadata_in_osv3 replaced away (osbs-client's set_annotations_on_build) is back once the build ends
        o.metadata.annotations = { ...(o.metadata.annotations ?? {}), 'openshift.io/build.pod-name': `${name}-build` }
        this.completion(o)
        return o
      })
    }
    log.finish()
  }

  /** Fire the ImageChange triggers of a BuildConfig whose image moved; the ConfigChange trigger's first build. */

  /** Delete the oldest terminal builds beyond successfulBuildsHistoryLimit / failedBuildsHistoryLimit. */
  private prune(ns: string, bcName: string): void {
    const bc = this.store.peek('buildconfigs', ns, bcName)
    if (!bc) return
    const rules: Array<[number | undefined, (b: KubeObject) => boolean]> = [
      [bc.spec?.successfulBuildsHistoryLimit, (b) => b.status?.phase === 'Complete'],
      [bc.spec?.failedBuildsHistoryLimit, (b) => ['Failed', 'Error', 'Cancelled'].includes(b.status?.phase)]
    ]
    for (const [limit, match] of rules) {
      if (limit == null) continue
      const done = this.buildsOf(ns, bcName).filter(match)
      for (const b of done.slice(0, Math.max(0, done.length - limit))) {
        if (this.store.has('builds', ns, b.metadata.name)) this.store.delete('builds', ns, b.metadata.name)
      }
    }
  }
}
