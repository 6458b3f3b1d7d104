/**
 * buildah with storage of its own: one storage root (vfs driver, no kernel overlay needed) per cluster, chroot
 * isolation (no user namespaces, runs as root in a container or on a plain machine), docker image format (schema 2
 * manifests, what atomic-reactor pushes). Every registry is spoken to over TLS, verified against the CA
 * certificates (`*.crt`) of one directory (`--cert-dir`, `--tls-verify=true`), and a failed push or pull is not
 * retried: it fails as the tool reports it.
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { run, lastError, type RunOptions, type RunResult } from './run.js'

export interface ImageInspect {
  /** `sha256:<64 hex>`: the config digest, what docker calls the image id */
  id: string
  labels: Record<string, string>
  architecture: string
  created: string
  /** uncompressed layer digests, base layers first */
  diffIds: string[]
}

export class Buildah {
  constructor(
    readonly binary: string,
    /** Storage root and run root live here; `destroy()` removes it. */
    readonly dir: string,
    /** The CA certificates (`*.crt`) registries are verified against. */
    readonly certDir: string
  ) {
    mkdirSync(dir, { recursive: true })
  }

  private global(): string[] {
    return ['--root', join(this.dir, 'root'), '--runroot', join(this.dir, 'run'), '--storage-driver', 'vfs']
  }

  private tls(): string[] {
    return ['--tls-verify=true', '--cert-dir', this.certDir]
  }

  private env(): Record<string, string> {
    return { BUILDAH_ISOLATION: 'chroot', BUILDAH_FORMAT: 'docker', STORAGE_DRIVER: 'vfs' }
  }

  /** Commands running now; `destroy()` stops them and waits for them before removing the storage. */
  private readonly running = new Set<Promise<RunResult>>()
  private readonly closing = new AbortController()

  run(args: string[], options: RunOptions = {}): Promise<RunResult> {
    const signal = options.signal ? AbortSignal.any([options.signal, this.closing.signal]) : this.closing.signal
    const p = run(this.binary, [...this.global(), ...args], { ...options, signal, env: { ...this.env(), ...options.env } })
    this.running.add(p)
    const forget = () => this.running.delete(p)
    p.then(forget, forget)
    return p
  }

  async runOk(args: string[], options: RunOptions = {}): Promise<RunResult> {
    const r = await this.run(args, options)
    if (r.code !== 0) throw new Error(`buildah ${args.slice(0, 4).join(' ')} failed (exit code ${r.code}): ${lastError(r.tail)}`)
    return r
  }

  /** Pull `ref` (with its registry) into the storage, always asking the registry (a tag moves: a new base image); returns the image id. */
  async pull(ref: string, options: RunOptions = {}): Promise<string> {
    const r = await this.run(['pull', '--policy', 'always', ...this.tls(), '--retry', '0', ref], options)
    if (r.code !== 0) throw new Error(`pulling ${ref} failed: ${lastError(r.tail)}`)
    const id = r.stdout.trim().split('\n').pop() ?? ''
    return id.startsWith('sha256:') ? id : `sha256:${id}`
  }

  /** Give an image in the storage one more name (`fedora:latest` becomes `localhost/fedora:latest`). */
  async tag(image: string, name: string): Promise<void> {
    await this.runOk(['tag', image.replace(/^sha256:/, ''), name])
  }

  /**
   * `buildah bud` of `dockerfile` in `contextDir`, using only images in the storage (the bases were pulled before,
   * as atomic-reactor's pull_base_image does). A layer per instruction, as docker's build (and podman's, under the
   * real atomic-reactor) makes them, none taken from a cache. Output lines go to `options.onLine` as they come.
   */
  async bud(contextDir: string, dockerfile: string, tag: string, options: RunOptions = {}): Promise<{ code: number; imageId?: string; tail: string[] }> {
    const iidfile = join(this.dir, `iid-${process.pid}-${Math.random().toString(36).slice(2)}`)
    const r = await this.run(['bud', '--isolation', 'chroot', '--format', 'docker', '--pull=never', '--layers', '--no-cache', '--iidfile', iidfile, '-t', tag, '-f', dockerfile, contextDir], options)
    if (r.code !== 0) return { code: r.code, tail: r.tail }
    const id = (await readFile(iidfile, 'utf8')).trim()
    await rm(iidfile, { force: true })
    return { code: 0, imageId: id.startsWith('sha256:') ? id : `sha256:${id}`, tail: r.tail }
  }

  /** Push `image` to `docker://<dest>` as a schema 2 manifest; returns the manifest digest buildah wrote. */
  async push(image: string, dest: string, options: RunOptions = {}): Promise<string> {
    const digestfile = join(this.dir, `digest-${process.pid}-${Math.random().toString(36).slice(2)}`)
    const r = await this.run(['push', ...this.tls(), '--retry', '0', '--format', 'v2s2', '--digestfile', digestfile, image.replace(/^sha256:/, ''), `docker://${dest}`], options)
    if (r.code !== 0) throw new Error(lastError(r.tail))
    const digest = (await readFile(digestfile, 'utf8')).trim()
    await rm(digestfile, { force: true })
    return digest
  }

  /** The schema 2 manifest buildah makes of `image` (pushed to a directory): its bytes, digest and layers. */
  async manifest(image: string): Promise<{ digest: string; body: string; layers: string[] }> {
    const dir = mkdtempSync(join(this.dir, 'manifest-'))
    try {
      const digestfile = join(dir, 'digest')
      const r = await this.run(['push', '--format', 'v2s2', '--digestfile', digestfile, image.replace(/^sha256:/, ''), `dir:${join(dir, 'image')}`])
      if (r.code !== 0) throw new Error(`making the manifest of ${image} failed: ${lastError(r.tail)}`)
      const body = await readFile(join(dir, 'image', 'manifest.json'), 'utf8')
      const layers = ((JSON.parse(body) as { layers?: { digest: string }[] }).layers ?? []).map((l) => l.digest)
      return { digest: (await readFile(digestfile, 'utf8')).trim(), body, layers }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  async inspect(image: string): Promise<ImageInspect> {
    const r = await this.runOk(['inspect', '--type', 'image', image.replace(/^sha256:/, '')])
    const info = JSON.parse(r.stdout) as { FromImageID?: string; OCIv1?: { created?: string; architecture?: string; config?: { Labels?: Record<string, string> }; rootfs?: { diff_ids?: string[] } } }
    const id = info.FromImageID ?? ''
    return {
      id: id.startsWith('sha256:') ? id : `sha256:${id}`,
      labels: info.OCIv1?.config?.Labels ?? {},
      architecture: info.OCIv1?.architecture ?? 'amd64',
      created: info.OCIv1?.created ?? '',
      diffIds: info.OCIv1?.rootfs?.diff_ids ?? []
    }
  }

  /** Commit a new image from the files of `rootfs` (a base image): `FROM scratch`, `COPY rootfs /`, labels, CMD. */
  async commitRootfs(rootfs: string, name: string, labels: Record<string, string>): Promise<string> {
    const container = (await this.runOk(['from', '--pull=never', 'scratch'])).stdout.trim()
    try {
      await this.runOk(['copy', container, `${rootfs}/`, '/'])
      await this.runOk([
        'config',
        '--cmd',
        '/bin/sh',
        '--env',
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
        container
      ])
      const r = await this.runOk(['commit', '--format', 'docker', '-q', container, name])
      const id = r.stdout.trim().split('\n').pop() ?? ''
      return id.startsWith('sha256:') ? id : `sha256:${id}`
    } finally {
      await this.run(['rm', container])
    }
  }

  /**
   * Run `argv` in a new container of `image` (as `docker run --entrypoint argv[0] image argv[1:]`): its exit code and
   * its standard output; the container is removed after.
   */
  async runInImage(image: string, argv: string[], options: RunOptions = {}): Promise<{ container: string; code: number; output: string }> {
    const signal = options.signal
    const container = (await this.runOk(['from', '--pull=never', image.replace(/^sha256:/, '')], { signal })).stdout.trim()
    try {
      const r = await this.run(['run', '--isolation', 'chroot', container, '--', ...argv], { signal })
      return { container, code: r.code, output: r.stdout }
    } finally {
      await this.run(['rm', container])
    }
  }

  /** `docker save` of an image: a docker archive at `file`, named `name` in it. */
  async saveArchive(image: string, file: string, name: string, options: RunOptions = {}): Promise<void> {
    await this.runOk(['push', image.replace(/^sha256:/, ''), `docker-archive:${file}:${name}`], { signal: options.signal })
  }

  /** `docker load` of a docker archive; returns the image id. */
  async loadArchive(file: string, options: RunOptions = {}): Promise<string> {
    const r = await this.runOk(['pull', `docker-archive:${file}`], { signal: options.signal })
    const id = r.stdout.trim().split('\n').pop() ?? ''
    return id.startsWith('sha256:') ? id : `sha256:${id}`
  }

  /** Remove one name of an image: the image goes with its last name (`buildah rmi <name>` without force). */
  async untag(name: string): Promise<void> {
    await this.run(['rmi', name])
  }

  /** Remove an image from the storage, whatever its names; a missing one is no error. */
  async rmi(image: string): Promise<void> {
    await this.run(['rmi', '-f', image.replace(/^sha256:/, '')])
  }

  /** Remove every container and the whole storage. */
  async destroy(): Promise<void> {
    this.closing.abort()
    await Promise.allSettled([...this.running])
    await rm(this.dir, { recursive: true, force: true })
  }
}
