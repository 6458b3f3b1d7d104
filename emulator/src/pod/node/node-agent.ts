/**
 * The local node of a real master: what a 1.11 kubelet does for build pods, with the process pods of this machine
 * (process/process-pod.ts: the real atomic-reactor with a podman service per pod, as `--reactor real` runs the local
 * OpenShift's own builds).
 *
 * - registers its Node (POST nodes, then its status) and keeps the status fresh (a heartbeat every 10 s);
 * - lists and watches the pods bound to it (`spec.nodeName=<node>`), and runs each new one: the container's
 *   environment as the master's build controller set it, its secret volumes (the strategy's secrets, the service
 *   account token) read through the master's API and mounted at their paths;
 * - reports each pod's status: Running when its process started, Succeeded or Failed with the container's
 *   terminated state (exit code, and for a failure the last log lines when the pod asks FallbackToLogsOnError);
 * - honours deletion (a cancelled build's pod): stops the process (SIGTERM, SIGKILL after the grace period) and
 *   removes the pod for good (DELETE with grace period 0), as the kubelet finishes a graceful delete;
 * - keeps each container's output for its /containerLogs endpoint (container-logs.ts).
 */
import { release } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import type { KubeObject } from '../../api/object.js'
import { nowRFC3339 } from '../../storage/store.js'
import { podOfPodObject, type PodToRun } from '../pod-source.js'
import type { PodExit } from '../process/process-pod.js'
import { ContainerLog } from './container-logs.js'
import type { Master, WatchEvent } from './master-client.js'
import { fallbackMessage, nodeObject, nodeStatus, podStatus, type ContainerRun, type NodeIdentity } from './node-status.js'

/** What runs a pod (ProcessPods, or a stand-in in tests). */
export interface PodRunner {
  runPod(pod: PodToRun): Promise<PodExit>
}

export interface NodeAgentOptions extends NodeIdentity {
  master: Master
  runner: PodRunner
  /** ms between heartbeats (the kubelet's default node status update frequency is 10 s) */
  heartbeatMs?: number
  /** what the agent tells its operator (registration, each pod's start and end, errors) */
  report?: (line: string) => void
}

interface RunningPod {
  log: ContainerLog
  container: string
  stop: AbortController
  ended: Promise<void>
}

const MERGE = 'application/merge-patch+json'
const key = (ns: string, name: string) => `${ns}/${name}`

export class NodeAgent {
  private readonly pods = new Map<string, RunningPod>()
  /** pods whose deletion the agent is finishing */
  private readonly deleting = new Set<string>()
  private readonly closing = new AbortController()
  private readonly started = nowRFC3339()
  private heartbeat?: NodeJS.Timeout
  private watching?: Promise<void>
  private readonly report: (line: string) => void

  constructor(private readonly o: NodeAgentOptions) {
    this.report = o.report ?? (() => undefined)
  }

  /** Register the Node, start the heartbeat and the pod watch. Throws with the master's answer when it refuses the Node. */
  async start(): Promise<void> {
    const res = await this.o.master.request('POST', '/api/v1/nodes', nodeObject(this.o))
    if (res.status !== 201 && res.status !== 409) throw new Error(`the master refused Node ${this.o.name}: HTTP ${res.status} ${JSON.stringify(res.body?.message ?? res.body)}`)
    await this.beat()
    this.report(`node ${this.o.name} registered (${res.status === 201 ? 'new' : 'already there'}), serving https://${this.o.address}:${this.o.port}`)
    this.heartbeat = setInterval(() => void this.beat().catch((err: Error) => this.report(`heartbeat: ${err.message}`)), this.o.heartbeatMs ?? 10_000)
    this.watching = this.watchLoop()
  }

  /** A container's log, for the log endpoint. */
  containerLog(namespace: string, pod: string, container: string): ContainerLog | undefined {
    const p = this.pods.get(key(namespace, pod))
    return p && p.container === container ? p.log : undefined
  }

  /** Stop watching and heartbeats; stop the pods still running (they are left to the master, as a stopped kubelet leaves them). */
  async close(): Promise<void> {
    this.closing.abort()
    clearInterval(this.heartbeat)
    await this.watching
    for (const p of this.pods.values()) p.stop.abort()
    await Promise.all([...this.pods.values()].map((p) => p.ended))
  }

  private async beat(): Promise<void> {
    const res = await this.o.master.request('PATCH', `/api/v1/nodes/${this.o.name}/status`, { status: nodeStatus(this.o, this.started, nowRFC3339(), release()) }, MERGE)
    if (res.status !== 200) throw new Error(`HTTP ${res.status} ${JSON.stringify(res.body?.message ?? res.body)}`)
  }

  /** List, then watch from the list's resourceVersion; again from a new list when the watch ends or fails. */
  private async watchLoop(): Promise<void> {
    const selector = `fieldSelector=${encodeURIComponent(`spec.nodeName=${this.o.name}`)}`
    while (!this.closing.signal.aborted) {
      try {
        const list = await this.o.master.request('GET', `/api/v1/pods?${selector}`)
        if (list.status !== 200) throw new Error(`list pods: HTTP ${list.status}`)
        for (const pod of list.body.items as KubeObject[]) this.onPod({ type: 'ADDED', object: pod })
        const rv = String(list.body.metadata.resourceVersion)
        await this.o.master.watch(`/api/v1/pods?${selector}&watch=true&resourceVersion=${rv}&timeoutSeconds=300`, (e) => this.onPod(e), this.closing.signal)
      } catch (err) {
        if (this.closing.signal.aborted) return
        this.report(`pod watch: ${(err as Error).message}; listing again`)
        await sleep(1000, undefined, { signal: this.closing.signal }).catch(() => undefined)
      }
    }
  }

  private onPod(e: WatchEvent): void {
    if (e.type === 'ERROR' || e.type === 'BOOKMARK') return
    const pod = e.object
    const k = key(pod.metadata.namespace!, pod.metadata.name)
    if (e.type === 'DELETED') {
      // gone from the master (deleted at once, or the build pruned): nothing left to serve
      this.pods.get(k)?.stop.abort()
      this.pods.delete(k)
      return
    }
    if (pod.metadata.deletionTimestamp) {
      void this.remove(pod).catch((err: Error) => this.report(`${k}: delete: ${err.message}`))
      return
    }
    if (!this.pods.has(k) && (pod.status?.phase ?? 'Pending') === 'Pending') this.run(pod)
  }

  private run(pod: KubeObject): void {
    const ns = pod.metadata.namespace!
    const spec = pod.spec?.containers?.[0] ?? {}
    const log = new ContainerLog()
    const stop = new AbortController()
    const secrets = { secret: (name: string) => this.secret(ns, name) }
    const entry: RunningPod = { log, container: String(spec.name), stop, ended: Promise.resolve() }
    this.pods.set(key(ns, pod.metadata.name), entry)
    entry.ended = this.runToEnd(
      pod,
      podOfPodObject(pod, secrets, (line) => log.append(line), stop.signal),
      log
    ).catch((err: Error) => this.report(`${key(ns, pod.metadata.name)}: ${err.message}`))
  }

  private async runToEnd(pod: KubeObject, toRun: PodToRun, log: ContainerLog): Promise<void> {
    const spec = pod.spec?.containers?.[0] ?? {}
    const run: ContainerRun = { container: String(spec.name), image: String(spec.image ?? ''), containerID: `process://${pod.metadata.uid}`, startedAt: nowRFC3339() }
    await this.setStatus(pod, podStatus(run, this.o.address))
    this.report(`${toRun.namespace}/${toRun.name}: started`)
    let exit: PodExit
    try {
      exit = await this.o.runner.runPod(toRun)
    } catch (err) {
      exit = { error: (err as Error).message }
    }
    log.end()
    if (toRun.signal.aborted) return // deleted: remove() finishes it
    const finishedAt = nowRFC3339()
    run.end =
      'error' in exit
        ? { exitCode: 128, finishedAt, message: exit.error, cannotRun: true }
        : { exitCode: exit.code, finishedAt, message: exit.code === 0 ? undefined : fallbackMessage(pod, log.last(80)) }
    this.report(`${toRun.namespace}/${toRun.name}: ${'error' in exit ? `cannot run: ${exit.error}` : `exited ${exit.code}`}`)
    await this.setStatus(pod, podStatus(run, this.o.address))
  }

  private async setStatus(pod: KubeObject, status: Record<string, unknown>): Promise<void> {
    const res = await this.o.master.request('PATCH', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, { status }, MERGE)
    if (res.status !== 200) this.report(`${pod.metadata.namespace}/${pod.metadata.name}: status ${String(status.phase)}: HTTP ${res.status} ${JSON.stringify(res.body?.message ?? res.body)}`)
  }

  private async secret(namespace: string, name: string): Promise<KubeObject | undefined> {
    const res = await this.o.master.request('GET', `/api/v1/namespaces/${namespace}/secrets/${encodeURIComponent(name)}`)
    if (res.status === 404) return undefined
    if (res.status !== 200) throw new Error(`reading secret ${namespace}/${name}: HTTP ${res.status} ${JSON.stringify(res.body?.message ?? res.body)}`)
    return res.body as KubeObject
  }

  /** A pod being deleted: stop its process, then remove it for good (once). */
  private async remove(pod: KubeObject): Promise<void> {
    const k = key(pod.metadata.namespace!, pod.metadata.name)
    if (this.deleting.has(k)) return
    this.deleting.add(k)
    try {
      const running = this.pods.get(k)
      if (running) {
        running.stop.abort()
        await running.ended
      }
      const res = await this.o.master.request('DELETE', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 })
      this.report(`${k}: stopped and deleted (HTTP ${res.status})`)
      this.pods.delete(k)
    } finally {
      this.deleting.delete(k)
    }
  }
}
