/**
 * Real images for the local OpenShift: the BuildEngine that the emulated atomic-reactor's pull, build and push
 * steps use when builds are real. It owns one cluster's registry processes (one per hosted registry name), its
 * buildah storage and its base images, and records every push in the cluster's ImageRegistries (registry.ts) with
 * the manifest the registry serves, so that lookups, ImageStream imports, bump_release and pulp_sync see the
 * registry's own digests.
 *
 * The reactor reaches it through its build backend (../reactor/backends/real.ts); when builds are simulated there
 * is no engine and the cluster gives the reactor the simulated backend.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MEDIA_TYPE_V2, schema1Manifest, type ImageContent, type ManifestDigests } from '../manifests.js'
import { parsePullSpec, registryHost } from '../pullspec.js'
import { type ImageRegistries, type ResolvedImage } from '../registries.js'
import { selfSignedCertificate } from '../../util/self-signed.js'
import { commitBaseImage } from './base-images.js'
import type { RpmHeader } from '../../yum/rpm.js'
import { Buildah } from './buildah.js'
import { RegistryClient } from './registry-client.js'
import { RegistryProcess } from './registry-process.js'
import { lastError } from './run.js'
import { squashArchive } from './squash.js'
import type { ToolPaths } from './tools.js'

export interface StepOptions {
  /** Each output line of the tool, as it comes. */
  onLine?: (line: string) => void
  signal?: AbortSignal
}

export interface BuildRequest {
  contextDir: string
  dockerfilePath: string
  /** Local name of the built image (the build's name). */
  tag: string
  /** Base images to pull first: pull spec (with the parent registry) → the name the Dockerfile uses. */
  bases: { pull: string; as: string }[]
}

export type BuildOutcome = { image: ImageContent } | { failReason: string; code: number }

/** What the reactor's plugins need from real builds. */
export interface BuildEngine {
  readonly mode: 'real'
  /** Hosted registry name → `127.0.0.1:PORT`. */
  readonly hosts: Readonly<Record<string, string>>
  /** Where base images are published (`127.0.0.1:PORT`). */
  readonly sourceHost: string
  /** The directory of the registries' storage and buildah's (removed by `close()`). */
  readonly dir: string
  /** PEM of the certificate every registry serves (self-signed for 127.0.0.1 and localhost): trust it, and only it. */
  readonly caCert: string
  /** A file holding `caCert` (`<dir>/certs/ca.crt`, alone in its directory: a `--cert-dir` for buildah and skopeo). */
  readonly caFile: string
  /** pull_base_image: pull `ref`, name it `localName` too; the image as buildah sees it. */
  pullBase(ref: string, localName: string, options?: StepOptions): Promise<ImageContent>
  /** The build step: `buildah bud`. */
  build(request: BuildRequest, options?: StepOptions): Promise<BuildOutcome>
  /** tag_and_push: push to `host` as `repository:tag`; the digests as the registry serves them. */
  push(image: ImageContent, host: string, repository: string, tag: string, options?: StepOptions): Promise<ManifestDigests>
  /**
   * tag_and_push to a registry nothing here serves (a v1 registry): the in-memory registry records the manifest
   * buildah makes of the image (the same bytes a real push sends), so its digest is the one real registries serve.
   */
  pushEmulated(image: ImageContent, host: string, repository: string, tag: string): Promise<ManifestDigests>
  /** delete_from_registry: DELETE the manifest on the registry (and forget it); false when the registry does not know it. */
  deleteManifest(host: string, repository: string, digest: string): Promise<boolean>
  /** remove_built_image: remove a name (the image goes when it was its last name) */
  removeImage(name: string): Promise<void>
  /**
   * squash (docker-squash's): the image's layers after its first `keep` become one; the docker archive of the
   * squashed image is written to `output`, and loaded into storage unless `load` is false (`image` undefined then).
   */
  squash(imageId: string, keep: number, tag: string, output: string, load: boolean, options?: StepOptions): Promise<{ image?: ImageContent; layersBefore: number; layersAfter: number }>
  /** A command in a new container of the image (all_rpm_packages' `rpm -qa`): its container, exit code and output. */
  runInImage(imageId: string, argv: string[], options?: StepOptions): Promise<{ container: string; code: number; output: string }>
  /**
   * Record what the hosted registries serve for these pull specs (a repository, or one tag of it), as pushed by
   * someone else than this engine (the real atomic-reactor's podman): lookups and imports then see it.
   */
  refresh(pullSpecs: string[]): Promise<void>
  /** Build and push a new version of base image `repository:tag` to the source registry; `rpms`: what its RPM database holds. */
  publishBase(repository: string, tag: string): Promise<ResolvedImage & { pullSpec: string; rpms: RpmHeader[] }>
  close(): Promise<void>
}

export interface RealImagesOptions {
  tools: ToolPaths
  /** Registry names to host, e.g. `['registry']`; the first is the source registry unless `source` is given. */
  names: string[]
  source?: string
  registries: ImageRegistries
}

export class RealImages implements BuildEngine {
  readonly mode = 'real' as const
  readonly hosts: Record<string, string>
  readonly sourceHost: string
  private readonly versions = new Map<string, number>()
  /** image id → its schema 2 manifest as buildah pushes it */
  private readonly manifests = new Map<string, Promise<{ digest: string; body: string; layers: string[] }>>()
  private closed = false

  private constructor(
    private readonly options: RealImagesOptions,
    readonly dir: string,
    readonly caCert: string,
    readonly caFile: string,
    private readonly processes: RegistryProcess[],
    private readonly buildah: Buildah,
    private readonly client: RegistryClient
  ) {
    this.hosts = Object.fromEntries(processes.map((p) => [p.name, p.host]))
    this.sourceHost = this.hosts[options.source ?? options.names[0]!]!
  }

  /**
   * Make the registries' certificate, start the registries and make the buildah storage, all in one temporary
   * directory removed by `close()`.
   */
  static async start(options: RealImagesOptions): Promise<RealImages> {
    if (!options.names.length) throw new Error('real builds need at least one registry name')
    if (options.source && !options.names.includes(options.source)) throw new Error(`source registry "${options.source}" is not one of ${options.names.join(', ')}`)
    const dir = mkdtempSync(join(tmpdir(), 'local-openshift-images-'))
    const tls = selfSignedCertificate()
    const certDir = join(dir, 'certs')
    mkdirSync(certDir)
    const caFile = join(certDir, 'ca.crt')
    writeFileSync(caFile, tls.cert)
    const processes: RegistryProcess[] = []
    const buildah = new Buildah(options.tools.buildah, join(dir, 'buildah'), certDir)
    try {
      for (const name of options.names) processes.push(await RegistryProcess.start(name, options.tools.registry, join(dir, 'registries', name), tls))
    } catch (err) {
      await Promise.all(processes.map((p) => p.stop()))
      await buildah.destroy()
      await rm(dir, { recursive: true, force: true })
      throw err
    }
    const engine = new RealImages(options, dir, tls.cert, caFile, processes, buildah, new RegistryClient(tls.cert))
    for (const p of processes) {
      options.registries.registry(p.host)
      options.registries.served.add(p.host)
    }
    return engine
  }

  async pullBase(ref: string, localName: string, options: StepOptions = {}): Promise<ImageContent> {
    const id = await this.buildah.pull(ref, options)
    if (localName !== ref) await this.buildah.tag(id, localName)
    return this.content(id)
  }

  async build(request: BuildRequest, options: StepOptions = {}): Promise<BuildOutcome> {
    for (const base of request.bases) {
      try {
        await this.pullBase(base.pull, base.as, options)
      } catch (err) {
        return { failReason: (err as Error).message, code: 1 }
      }
    }
    const r = await this.buildah.bud(request.contextDir, request.dockerfilePath, request.tag, options)
    if (r.code !== 0 || !r.imageId) return { failReason: lastError(r.tail), code: r.code }
    return { image: await this.content(r.imageId) }
  }

  async push(image: ImageContent, host: string, repository: string, tag: string, options: StepOptions = {}): Promise<ManifestDigests> {
    const target = `${registryHost(host)}/${repository}:${tag}`
    const pushed = await this.buildah.push(image.imageId, target, options)
    // by digest: another build may push the same tag meanwhile
    const served = await this.client.fetchManifest(registryHost(host), repository, pushed)
    if (served.digest !== pushed) {
      throw new Error(`${target}: buildah pushed ${pushed} but the registry serves ${served.digest}`)
    }
    const stored = { ...image, layers: served.layers }
    if (!this.manifests.has(image.imageId)) this.manifests.set(image.imageId, Promise.resolve(served))
    this.options.registries.record(host, repository, tag, { digest: served.digest, mediaType: served.mediaType, body: served.body, image: stored })
    return { v2: served.digest, v1: schema1Manifest(repository, tag, stored).digest }
  }

  async pushEmulated(image: ImageContent, host: string, repository: string, tag: string): Promise<ManifestDigests> {
    let made = this.manifests.get(image.imageId)
    if (!made) {
      made = this.buildah.manifest(image.imageId)
      this.manifests.set(image.imageId, made)
    }
    const manifest = await made
    const stored = { ...image, layers: manifest.layers }
    this.options.registries.record(host, repository, tag, { digest: manifest.digest, mediaType: MEDIA_TYPE_V2, body: manifest.body, image: stored })
    return { v2: manifest.digest, v1: schema1Manifest(repository, tag, stored).digest }
  }

  async deleteManifest(host: string, repository: string, digest: string): Promise<boolean> {
    const deleted = await this.client.deleteManifest(registryHost(host), repository, digest)
    this.options.registries.findRegistry(host)?.deleteManifest(repository, digest)
    return deleted
  }

  async refresh(pullSpecs: string[]): Promise<void> {
    const hosted = new Set(Object.values(this.hosts))
    for (const spec of pullSpecs) {
      const { registry, repository, reference } = parsePullSpec(spec)
      if (!registry || !hosted.has(registryHost(registry)) || reference.startsWith('sha256:')) continue
      const host = registryHost(registry)
      const explicit = /:[^/]+$/.test(spec.replace(/^[^/]*\//, ''))
      const tags = explicit ? [reference] : await this.client.tags(host, repository)
      for (const tag of tags) {
        let served
        try {
          served = await this.client.fetchManifest(host, repository, tag)
        } catch {
          continue // not there (yet): the import says so
        }
        if (this.options.registries.findRegistry(host)?.get(repository, tag)?.digest === served.digest) continue
        const config = await this.client.config(host, repository, served.config)
        const image: ImageContent = {
          imageId: served.config,
          labels: config.config?.Labels ?? {},
          architecture: config.architecture,
          created: config.created,
          layers: served.layers
        }
        this.options.registries.record(host, repository, tag, { digest: served.digest, mediaType: served.mediaType, body: served.body, image })
      }
    }
  }

  async squash(imageId: string, keep: number, tag: string, output: string, load: boolean, options: StepOptions = {}): Promise<{ image?: ImageContent; layersBefore: number; layersAfter: number }> {
    const work = mkdtempSync(join(this.buildah.dir, 'squash-'))
    try {
      const archive = join(work, 'image-before-squash.tar')
      await this.buildah.saveArchive(imageId, archive, tag, options)
      const squashed = await squashArchive(archive, keep, tag, output, join(work, 'pieces'))
      if (!load) return { layersBefore: squashed.layersBefore, layersAfter: squashed.layersAfter }
      const id = await this.buildah.loadArchive(output, options)
      return { image: await this.content(id), layersBefore: squashed.layersBefore, layersAfter: squashed.layersAfter }
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  }

  async runInImage(imageId: string, argv: string[], options: StepOptions = {}): Promise<{ container: string; code: number; output: string }> {
    return this.buildah.runInImage(imageId, argv, options)
  }

  async removeImage(name: string): Promise<void> {
    await this.buildah.untag(name)
  }

  async publishBase(repository: string, tag: string): Promise<ResolvedImage & { pullSpec: string; rpms: RpmHeader[] }> {
    const key = `${repository}:${tag}`
    const version = (this.versions.get(key) ?? 0) + 1
    this.versions.set(key, version)
    const pullSpec = `${this.sourceHost}/${key}`
    const { id, rpms } = await commitBaseImage(this.buildah, this.options.tools.busybox, pullSpec, key, version)
    const image = await this.content(id)
    const digests = await this.push(image, this.sourceHost, repository, tag)
    await this.buildah.rmi(id)
    return { digest: digests.v2, image: this.options.registries.findRegistry(this.sourceHost)!.get(repository, tag)!.image, hosted: true, pullSpec, rpms }
  }

  /** Stop the registries and remove the storage (buildah's and the registries'). */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await Promise.all(this.processes.map((p) => p.stop()))
    await this.buildah.destroy()
    await this.client.close()
    await rm(this.dir, { recursive: true, force: true })
  }

  private async content(id: string): Promise<ImageContent> {
    const info = await this.buildah.inspect(id)
    return { imageId: info.id, labels: info.labels, architecture: info.architecture, created: info.created, layers: info.diffIds }
  }
}
