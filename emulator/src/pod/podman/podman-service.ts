/**
 * One podman service (`podman system service`, the Docker-compatible API atomic-reactor's docker-py talks to) for
 * one local OpenShift: run as root with its own configuration, storage (vfs) and state under one folder.
 *
 * It runs in PID and mount namespaces of its own (util-linux's `unshare`), so that:
 * - whatever it starts (conmon, the containers) ends with it: when the service, PID 1 there, exits, the kernel
 *   ends every process of the namespace; with util-linux's `setpriv --pdeathsig KILL` that also happens when this
 *   process dies, even by SIGKILL (unshare blocks SIGTERM, hence KILL);
 * - the mounts it makes (a tmpfs for each container's /dev/shm) are not seen outside and go with it;
 * - the two files podman would share with every podman of the machine, its blob-info cache
 *   (/var/lib/containers/cache) and its short-name aliases (/var/cache/containers), are folders of its own,
 *   mounted over those paths in its namespace;
 * - its runroot, a folder under its own like the rest, is seen by podman as /run/containers/storage (root's usual
 *   runroot, mounted over in its namespace): podman refuses a runroot longer than 50 characters.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { which } from '../../images/real/tools.js'
import { containersConf, podmanLayout, registriesConf, storageConf, type PodmanLayout } from './podman-config.js'
import { mountsUnder, unmount } from '../process/mounts.js'
import { descendantsOf, waitGone } from '../process/processes.js'
import { ping } from './unix-http.js'

export interface PodmanServiceOptions {
  /** The folder for the service's socket, configuration and storage (made if missing). */
  dir: string
  /** Registries to use over plain HTTP or unverified TLS, as `127.0.0.1:PORT`. */
  insecureRegistries: string[]
  /** The podman binary (default: `podman` on the PATH). */
  podman?: string
  /** The runc binary (default: the one podman finds). */
  runc?: string
  /** How long to wait for the socket to answer (default 30 s). */
  timeoutMs?: number
}

/** The longest path a unix socket can have (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107

/** Where podman sees its runroot, in its mount namespace. */
export const RUNROOT_IN_NAMESPACE = '/run/containers/storage'

/**
 * The script `unshare` runs as PID 1 of the new namespaces: mount the service's own folders over the shared ones,
 * then become podman. $1, $2, $3 are the folders (blob-info cache, short names, runroot), the rest is podman's
 * command line. The mount points are made if missing (podman itself would make them).
 */
const NAMESPACE_INIT = [
  'set -e',
  `mkdir -p /var/lib/containers/cache /var/cache/containers ${RUNROOT_IN_NAMESPACE}`,
  'mount --bind "$1" /var/lib/containers/cache',
  'mount --bind "$2" /var/cache/containers',
  `mount --bind "$3" ${RUNROOT_IN_NAMESPACE}`,
  'shift 3',
  'exec "$@"'
].join('\n')

export class PodmanService {
  private constructor(
    /** `unix:///…/podman.sock`: what atomic-reactor's DOCKER_CONNECTION is set to. */
    readonly socket: string,
    private readonly socketPath: string,
    private readonly layout: PodmanLayout,
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
    private readonly stderr: string[]
  ) {}

  /** What a client of this service needs in its environment: atomic-reactor reads DOCKER_CONNECTION, docker-py's from_env DOCKER_HOST. */
  get env(): Record<string, string> {
    return { DOCKER_CONNECTION: this.socket, DOCKER_HOST: this.socket }
  }

  /** The process id of the outermost process (setpriv/unshare). */
  get pid(): number | undefined {
    return this.child.pid
  }

  /** podman's last lines on stderr (at most 20). */
  get lastStderr(): string[] {
    return [...this.stderr]
  }

  /** Start the service; resolves once its socket answers `GET /_ping`. */
  static async start(options: PodmanServiceOptions): Promise<PodmanService> {
    if (process.getuid?.() !== 0) throw new Error('the podman service runs as root (its own namespaces, mounts and runc)')
    const podman = options.podman ?? which('podman')
    if (!podman) throw new Error('podman not found on the PATH (apt-get install podman)')
    const unshare = which('unshare', `${process.env.PATH ?? ''}:/usr/bin:/bin`)
    if (!unshare) throw new Error('unshare not found (apt-get install util-linux)')
    const dir = path.resolve(options.dir)
    const socketPath = path.join(dir, 'podman.sock')
    if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
      throw new Error(`the podman socket path ${socketPath} is longer than a unix socket allows (${MAX_SOCKET_PATH} bytes): use a shorter dir`)
    }
    const layout = podmanLayout(path.join(dir, 'podman'))
    for (const d of [layout.graphRoot, layout.runRoot, layout.tmpDir, layout.copyTmpDir, layout.networkConfigDir, layout.blobInfoCacheDir, layout.shortNamesDir]) {
      mkdirSync(d, { recursive: true })
    }
    writeFileSync(layout.containersConf, containersConf(layout, options.runc))
    writeFileSync(layout.storageConf, storageConf(layout, RUNROOT_IN_NAMESPACE))
    writeFileSync(layout.registriesConf, registriesConf(options.insecureRegistries))
    rmSync(socketPath, { force: true })

    const socket = `unix://${socketPath}`
    const podmanArgv = [podman, '--root', layout.graphRoot, '--runroot', RUNROOT_IN_NAMESPACE, '--tmpdir', layout.tmpDir, 'system', 'service', '--time=0', socket]
    const namespaced = [unshare, '--pid', '--fork', '--kill-child', '--mount', '--mount-proc', '--propagation', 'slave', '--', '/bin/sh', '-c', NAMESPACE_INIT]
    const argv = [...namespaced, 'sh', layout.blobInfoCacheDir, layout.shortNamesDir, layout.runRoot, ...podmanArgv]
    const setpriv = which('setpriv', `${process.env.PATH ?? ''}:/usr/bin:/bin`)
    const full = setpriv ? [setpriv, '--pdeathsig', 'KILL', '--', ...argv] : argv
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CONTAINERS_CONF: layout.containersConf,
      CONTAINERS_STORAGE_CONF: layout.storageConf,
      CONTAINERS_REGISTRIES_CONF: layout.registriesConf,
      TMPDIR: layout.copyTmpDir
    }
    // these would make podman a client of another podman, which cannot serve
    for (const name of ['CONTAINER_HOST', 'CONTAINER_CONNECTION', 'CONTAINER_SSHKEY', 'CONTAINER_PASSPHRASE']) delete env[name]
    const child = spawn(full[0]!, full.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env })
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
    const stderr: string[] = []
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr.push(line)
      if (stderr.length > 20) stderr.shift()
    })
    const service = new PodmanService(socket, socketPath, layout, child, exited, stderr)
    try {
      await service.waitReady(options.timeoutMs ?? 30_000)
    } catch (err) {
      await service.stop()
      throw err
    }
    return service
  }

  /** Poll `GET /_ping` with a short backoff until it answers OK, the process ends or `timeoutMs` passes. */
  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    let delay = 10
    let failure: string | undefined
    const spawnError = new Promise<string>((resolve) => this.child.once('error', (err) => resolve(err.message)))
    let spawnFailure: string | undefined
    void spawnError.then((message) => (spawnFailure = message))
    for (;;) {
      if (spawnFailure) failure = `could not be run: ${spawnFailure}`
      else if (this.child.exitCode !== null || this.child.signalCode !== null) failure = `exited (${this.child.exitCode ?? this.child.signalCode})`
      else if (await ping(this.socketPath, 1000)) return
      else if (Date.now() >= deadline) failure = `${this.socket} did not answer GET /_ping within ${timeoutMs} ms`
      if (failure) break
      await new Promise((resolve) => setTimeout(resolve, delay))
      delay = Math.min(delay * 2, 200)
    }
    // the last lines may still be in the pipe
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 100))])
    const lines = this.stderr.length ? `; podman's last lines:\n${this.stderr.slice(-10).join('\n')}` : ''
    throw new Error(`podman system service ${failure}${lines}`)
  }

  /**
   * End the service (SIGTERM to podman, SIGKILL after `graceMs`), wait for every process of its namespace to be gone,
   * check that nothing is left mounted under its folder, and remove its socket, configuration and storage.
   */
  async stop(graceMs = 5000): Promise<void> {
    // what the service started (conmon, the containers' processes, in PID namespaces of their own)
    const podmanPid = this.podmanPid()
    const started = podmanPid === undefined ? [] : [podmanPid, ...descendantsOf(podmanPid)]
    if (this.child.exitCode === null && this.child.signalCode === null) {
      // podman is PID 1 of the namespace, the one child of unshare; unshare itself ignores SIGTERM
      if (podmanPid !== undefined) process.kill(podmanPid, 'SIGTERM')
      else this.child.kill('SIGKILL')
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
      await this.exited
      clearTimeout(timer)
    }
    await waitGone(started, 5000).catch((err: Error) => {
      throw new Error(`podman service stopped, but ${err.message}`)
    })
    for (const mount of mountsUnder(this.layout.root)) unmount(mount)
    const left = mountsUnder(this.layout.root)
    if (left.length) throw new Error(`podman service stopped, but ${left.join(', ')} is still mounted: not removing ${this.layout.root}`)
    rmSync(this.layout.root, { recursive: true, force: true })
    rmSync(this.socketPath, { force: true })
  }

  /** The pid of podman: the child of unshare (setpriv became unshare). */
  private podmanPid(): number | undefined {
    const pid = this.child.pid
    if (pid === undefined) return undefined
    try {
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
      return children.length ? Number(children[0]) : undefined
    } catch {
      return undefined
    }
  }

  /** The service's PID namespace (`pid:[N]`, see processesIn), while it runs. */
  get pidNamespace(): string | undefined {
    const podman = this.podmanPid()
    if (podman === undefined) return undefined
    try {
      return readlinkSync(`/proc/${podman}/ns/pid`)
    } catch {
      return undefined
    }
  }
}
