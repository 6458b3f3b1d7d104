/**
 * A build pod that runs a program: the Custom-strategy build's container as a real process of this machine,
 * as OpenShift's build controller and the kubelet run the builder image. The pod comes from the local OpenShift's
 * own Build (`reactor`) or from a master that bound it to this node (`runPod`, node/): pod-source.ts.
 *
 * - its environment is the pod's (the one OpenShift gives a custom build, env.ts), plus what the "image" sets (the
 *   program's own variables, `extraEnv`);
 * - its volumes (the strategy's secrets, the service account token and CA) are mounted at their paths in a
 *   private mount namespace (pod-volumes.ts, mount-namespace.ts);
 * - each line of its stdout and stderr becomes a line of the build log as it comes;
 * - exit code 0 completes the build, any other fails it with OpenShift's `GenericBuildFailed`; whatever the
 *   program wrote to the Build through the API (labels, annotations) stays;
 * - cancelling the build stops the pod as the kubelet does: SIGTERM to the program, SIGKILL to what is left after
 *   the grace period.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { constants } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { ReactorHost, ReactorResult } from '../../reactor/host.js'
import { onSecretsTmpfs, podArgv, SECRETS_ROOT, type PodMount } from './mount-namespace.js'
import { podOfBuild, type PodToRun } from '../pod-source.js'
import { MissingVolumeError, writeSecretMounts, type VolumeSources } from '../volumes.js'

export interface ProcessPodOptions {
  /** the pod's program and its arguments */
  command: string[]
  /** util-linux `unshare` and `setpriv` */
  unshare: string
  setpriv?: string
  /** directory for the pods' own files (one temporary folder per pod inside, removed when it ends) */
  dir: string
  /** the builder image's files: host directory → path in the pod (read-only) */
  imageMounts?: PodMount[]
  /** variables the image sets (PATH, PYTHONPATH, …); the build's own variables win */
  extraEnv?: Record<string, string>
  /** the Secrets and service account tokens of a namespace, for the local OpenShift's builds (`reactor`) */
  volumes?(namespace: string): VolumeSources
  /** ms between SIGTERM and SIGKILL when the build is cancelled (OpenShift's default grace period is 30 s) */
  gracePeriodMs?: number
  /**
   * A service the pod's process talks to, started before it in its own folder and stopped after it (e.g. the
   * docker daemon of the pod's node); its variables join the pod's environment.
   */
  sidecar?: (dir: string) => Promise<{ env: Record<string, string>; stop(): Promise<void> }>
  /** a reason this pod cannot run the build at all (it fails at once, with that message), or undefined */
  refuse?: (build: ReactorHost['build']) => string | undefined
  /** called when the pod has ended, with the Build as the program left it (e.g. to record a Koji build) */
  completed?: (host: ReactorHost, success: boolean) => Partial<ReactorResult> | undefined
}

/** How a pod ended: its program's exit code (128 + signal when killed), or why it could not start (a missing volume). */
export type PodExit = { code: number } | { error: string }

const FAILED: ReactorResult = { success: false, reason: 'GenericBuildFailed', message: 'Generic Build failure - check logs for details.' }

/** Host directories that must exist as mount points (outside the pod's tmpfs); made once, listed for removal. */
class MountPoints {
  readonly made: string[] = []
  ensure(target: string): void {
    if (onSecretsTmpfs(target) || existsSync(target)) return
    let top = target
    for (let p = target; !existsSync(p); p = p.slice(0, p.lastIndexOf('/')) || '/') top = p
    mkdirSync(target, { recursive: true })
    this.made.push(top)
  }
}

export class ProcessPods {
  private readonly mountPoints = new MountPoints()
  /** running pods: their exit, and a way to kill them */
  private readonly running = new Map<number, { exited: Promise<void>; kill: () => void }>()

  constructor(private readonly options: ProcessPodOptions) {
    mkdirSync(options.dir, { recursive: true })
    // the pod's tmpfs is mounted here, inside its namespace only
    mkdirSync(SECRETS_ROOT, { recursive: true })
  }

  /** pods from start to end, their sidecars and folders included */
  private readonly runs = new Set<Promise<unknown>>()

  /** The Reactor (controller.ts) that runs each build as a process pod. */
  readonly reactor = (host: ReactorHost): Promise<ReactorResult> => this.run(host)

  /** Kill the pods still running (their process groups) and remove the mount points made on the host. */
  async close(): Promise<void> {
    for (const pod of this.running.values()) pod.kill()
    await Promise.all([...this.running.values()].map((p) => p.exited))
    await Promise.all([...this.runs])
    for (const dir of this.mountPoints.made.reverse()) await rm(dir, { recursive: true, force: true }).catch(() => undefined)
  }

  /** A Build of the local OpenShift as a process pod; its end as the build's result. */
  private async run(host: ReactorHost): Promise<ReactorResult> {
    const refusal = this.options.refuse?.(host.build)
    if (refusal) {
      host.log(`error: ${refusal}`)
      return { ...FAILED, message: refusal }
    }
    if (!this.options.volumes) throw new Error('these process pods have no store to read volumes from')
    let exit: PodExit
    try {
      exit = await this.runPod(podOfBuild(host, this.options.volumes(host.namespace)))
    } catch (err) {
      if (!(err instanceof MissingVolumeError)) throw err
      exit = { error: err.message }
    }
    if ('error' in exit) {
      host.log(`error: ${exit.error}`)
      return FAILED
    }
    if (host.signal.aborted) return { success: false, reason: 'CancelledBuild' }
    const extra = this.options.completed?.(host, exit.code === 0) ?? {}
    return exit.code === 0 ? { success: true, ...extra } : { ...FAILED, ...extra }
  }

  /** Run one pod to its end: its volumes, its sidecar, its process. Tracked for `close()`. */
  runPod(pod: PodToRun): Promise<PodExit> {
    const run = this.runTracked(pod)
    const tracked = run.catch(() => undefined).finally(() => this.runs.delete(tracked))
    this.runs.add(tracked)
    return run
  }

  private async runTracked(pod: PodToRun): Promise<PodExit> {
    const podDir = mkdtempSync(join(this.options.dir, `${pod.name}-`))
    try {
      let mounts: PodMount[]
      try {
        mounts = [...(this.options.imageMounts ?? []), ...(await writeSecretMounts(pod.secretMounts, podDir, pod.secrets))]
      } catch (err) {
        if (!(err instanceof MissingVolumeError)) throw err
        return { error: err.message }
      }
      for (const m of mounts) this.mountPoints.ensure(m.target)
      const tmp = join(podDir, 'tmp')
      mkdirSync(tmp)
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        HOME: tmp,
        TMPDIR: tmp,
        LANG: 'C.UTF-8',
        ...(this.options.extraEnv ?? {}),
        ...pod.env
      }
      let sidecar: { env: Record<string, string>; stop(): Promise<void> } | undefined
      // a short folder of its own: a unix socket's path is short
      const sidecarDir = this.options.sidecar ? mkdtempSync(join(this.options.dir, 's-')) : undefined
      try {
        if (this.options.sidecar && sidecarDir) {
          sidecar = await this.options.sidecar(sidecarDir)
          Object.assign(env, sidecar.env)
        }
        return { code: await this.spawnPod(pod, mounts, env, podDir) }
      } finally {
        await sidecar?.stop()
        if (sidecarDir) await rm(sidecarDir, { recursive: true, force: true }).catch(() => undefined)
      }
    } finally {
      await rm(podDir, { recursive: true, force: true }).catch(() => undefined)
    }
  }

  /** Run the pod's process to its end; its exit code (128 + signal number when killed). */
  private spawnPod(pod: PodToRun, mounts: PodMount[], env: Record<string, string>, cwd: string): Promise<number> {
    // the pod's host name is its name (`<build>-build`), as the kubelet sets it
    const argv = podArgv(this.options.unshare, mounts, this.options.command, pod.name)
    // setpriv: the pod gets SIGKILL when this process dies, even by SIGKILL (no orphaned pods)
    const full = this.options.setpriv ? [this.options.setpriv, '--pdeathsig', 'KILL', '--', ...argv] : argv
    return new Promise((resolve, reject) => {
      const child = spawn(full[0]!, full.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      const group = () => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL')
        } catch {
          // the group is gone
        }
      }
      let killTimer: NodeJS.Timeout | undefined
      const stop = () => {
        child.kill('SIGTERM')
        killTimer = setTimeout(group, this.options.gracePeriodMs ?? 30_000)
      }
      const exited = new Promise<void>((r) => child.once('close', () => r()))
      if (child.pid) {
        const pid = child.pid
        this.running.set(pid, { exited, kill: group })
        void exited.then(() => this.running.delete(pid))
      }
      if (pod.signal.aborted) stop()
      else pod.signal.addEventListener('abort', stop, { once: true })
      // the log takes lines as they come, from both streams
      const log = (line: string) => {
        if (!pod.signal.aborted) pod.log(line)
      }
      createInterface({ input: child.stdout }).on('line', log)
      createInterface({ input: child.stderr }).on('line', log)
      child.once('error', (err) => {
        pod.signal.removeEventListener('abort', stop)
        reject(new Error(`cannot start the build pod (${full[0]}): ${err.message}`))
      })
      child.once('close', (code, signal) => {
        pod.signal.removeEventListener('abort', stop)
        if (killTimer) clearTimeout(killTimer)
        group()
        resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 1) : 1))
      })
    })
  }
}
