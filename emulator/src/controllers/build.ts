/**
 * The build controller (openshift-controller-manager's build and image-trigger controllers, in process):
 * - runPolicy gating of `New` builds (Serial, SerialLatestOnly, Parallel), `New → Pending → Running`;
 * - one "pod" per Running build: the emulated atomic-reactor, through a ReactorHost on top of the store;
 * - `Complete | Failed | Error` from the pod's result, `Cancelled` when `status.cancelled` is set;
 * - ImageChange triggers (exactly once per image) and the ConfigChange trigger's first build;
 * - pruning of old builds past the BuildConfig's history limits.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { FaultInjector } from '../faults.js'
import { buildConfigName, buildNumber, outputReference } from '../registry/build/names.js'
import { isTerminal } from '../registry/build/strategy.js'
import { instantiate } from '../registry/buildconfig/instantiate.js'
import { imageChangeTriggers, lastTriggered } from '../registry/buildconfig/triggers.js'
import type { Images } from '../registry/imagestream/images.js'
import { importTags } from '../registry/imagestreamimport/rest.js'
import type { BuildLog, LogStore } from '../storage/build-logs.js'
import type { KojiHub } from '../koji/hub.js'
import { podEnvironment } from '../pod/env.js'
import type { BuildBackend } from '../reactor/backend.js'
import type { ImportedTag, Reactor, ReactorHost, ReactorResult } from '../reactor/host.js'
import type { ImageRegistries } from '../images/registries.js'
import { podQuotaRefusal } from './quota.js'
import { ApiError } from '../api/status.js'
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
        if (kind === 'trig') this.checkTriggers(ns, name)
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
    o.status.startTimestamp ??= nowRFC3339(now)
    o.status.completionTimestamp = nowRFC3339(now)
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
      result = await Promise.race([this.opts.reactor(host), aborted])
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
            const k = result.kojiBuild
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
        this.completion(o)
        return o
      })
    }
    log.finish()
  }

  /** Fire the ImageChange triggers of a BuildConfig whose image moved; the ConfigChange trigger's first build. */
  private checkTriggers(ns: string, bcName: string): void {
    const bc = this.store.get('buildconfigs', ns, bcName)
    if (!bc || bc.metadata.annotations?.['openshift.io/build-config.paused'] === 'true') return
    const changed: Array<{ name: string; namespace: string; image: string }> = []
    for (const t of imageChangeTriggers(bc)) {
      if (t.paused) continue
      const [isName, tag] = t.name.split(':') as [string, string]
      const latest = this.images.latest(t.namespace, isName, tag)
      if (!latest || lastTriggered(bc, t).includes(latest)) continue
      changed.push({ name: t.name, namespace: t.namespace, image: latest })
    }
    const group = { group: 'build.openshift.io' }
    if (changed.length) {
      const first = changed[0]!
      const from: any = { kind: 'ImageStreamTag', name: first.name }
      if (first.namespace !== ns) from.namespace = first.namespace
      try {
        instantiate(
          this.store,
          this.images,
          ns,
          {
            kind: 'BuildRequest',
            apiVersion: 'build.openshift.io/v1',
            metadata: { name: bcName, namespace: ns },
            triggeredByImage: { kind: 'DockerImage', name: first.image },
            from,
            triggeredBy: changed.map((c) => ({
              message: 'Image change',
              imageChangeBuild: { imageID: c.image, fromRef: { kind: 'ImageStreamTag', name: c.name, ...(c.namespace !== ns ? { namespace: c.namespace } : {}) } }
            }))
          },
          group
        )
      } catch (err) {
        // OpenShift records a BuildConfigTriggerFailed event; the emulator warns.
        if (!(err instanceof ApiError)) throw err
        process.emitWarning(`ImageChange trigger of ${ns}/${bcName}: ${err.message}`)
      }
      return
    }
    const hasConfigChange = (bc.spec?.triggers ?? []).some((t: any) => t?.type === 'ConfigChange')
    if (hasConfigChange && Number(bc.status?.lastVersion ?? 0) === 0) {
      try {
        instantiate(this.store, this.images, ns, { metadata: { name: bcName }, lastVersion: 0, triggeredBy: [{ message: 'Build configuration change' }] } as KubeObject, group)
      } catch (err) {
        if (!(err instanceof ApiError)) throw err
        process.emitWarning(`ConfigChange trigger of ${ns}/${bcName}: ${err.message}`)
      }
    }
  }

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

/** ReactorHost on top of the store. */
class Host implements ReactorHost {
  readonly namespace: string
  readonly env: Record<string, string>
  constructor(
    private readonly store: Store,
    private readonly images: Images,
    private readonly faults: FaultInjector,
    readonly registries: ImageRegistries,
    readonly backend: BuildBackend,
    readonly build: KubeObject,
    private readonly buildLog: BuildLog,
    readonly signal: AbortSignal,
    private readonly paceMs: number,
    private readonly tail: string[]
  ) {
    this.namespace = build.metadata.namespace!
    this.env = podEnvironment(build)
  }

  log(line: string): void {
    if (this.signal.aborted) return
    this.buildLog.append(line)
    this.tail.push(line)
    if (this.tail.length > 10) this.tail.shift()
  }

  async pace(steps = 1): Promise<void> {
    if (this.signal.aborted) throw this.signal.reason ?? new Error('build cancelled')
    await this.faults.held(this.build.metadata.name, this.signal)
    if (this.paceMs > 0) await sleep(this.paceMs * steps, undefined, { signal: this.signal })
    else await new Promise<void>((r) => setImmediate(r))
    if (this.signal.aborted) throw this.signal.reason ?? new Error('build cancelled')
  }

  private bcName(): string | undefined {
    return buildConfigName(this.build)
  }

  getBuildConfig(): KubeObject | undefined {
    const n = this.bcName()
    return n ? this.store.get('buildconfigs', this.namespace, n) : undefined
  }

  /** Merge labels as atomic-reactor does: GET, change, PUT, and again on 409 (injected 409s count too). */
  mergeBuildConfigLabels(labels: Record<string, string>): void {
    const n = this.bcName()
    if (!n) throw new Error('build has no BuildConfig')
    const path = `/apis/build.openshift.io/v1/namespaces/${this.namespace}/buildconfigs/${n}`
    for (let attempt = 1; ; attempt++) {
      const bc = this.store.get('buildconfigs', this.namespace, n)
      if (!bc) throw new Error(`buildconfigs.build.openshift.io "${n}" not found`)
      bc.metadata.labels = { ...(bc.metadata.labels ?? {}), ...labels }
      const fault = this.faults.take('PUT', path, new URLSearchParams()).status
      try {
        if (fault?.status === 409) throw Object.assign(new Error('Conflict'), { code: 'Conflict' })
        if (fault) throw new Error(`HTTP ${fault.status} from PUT ${path}`)
        this.store.update('buildconfigs', bc, bc.metadata.resourceVersion)
        return
      } catch (err) {
        if ((err as { code?: string }).code !== 'Conflict' || attempt >= 10) throw err
      }
    }
  }

  setBuildAnnotations(annotations: Record<string, string>): void {
    this.store.modify('builds', this.namespace, this.build.metadata.name, (o) => {
      o.metadata.annotations = { ...annotations }
      return o
    })
  }

  getImageStream(name: string): KubeObject | undefined {
    return this.store.get('imagestreams', this.namespace, name)
  }

  createImageStream(name: string, dockerImageRepository: string, insecure: boolean): void {
    this.store.create('imagestreams', {
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name, namespace: this.namespace, ...(insecure ? { annotations: { 'openshift.io/image.insecureRepository': 'true' } } : {}) },
      spec: { dockerImageRepository }
    })
  }

  importImage(imageStream: string, dockerImageRepository: string, tags: ImportedTag[], insecure?: boolean): void {
    importTags(this.images, this.namespace, imageStream, dockerImageRepository, tags, insecure)
  }

  pluginFault(pluginName: string): string | undefined {
    return this.faults.pluginFault(pluginName, this.build.metadata.name)
  }
}
