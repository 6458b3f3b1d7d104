/**
 * The real build backend: the pull, build, push, delete and remove steps of the emulated atomic-reactor done by
 * buildah and the cluster's registry processes (../../real/engine.ts), on plain values. The tools' own output
 * lines go to the logger of the step, as they come; a failed pull or push is atomic-reactor's error for it.
 */
import { registryHost } from '../../images/pullspec.js'
import { type ImageContent, type ManifestDigests } from '../../images/manifests.js'
import { type ImageRegistries } from '../../images/registries.js'
import type { BuildEngine } from '../../images/real/engine.js'
import type { BuildBackend, BuildOutcome, BuildRequest, PulledImage, StepOptions } from '../backend.js'
import type { ImageName } from '../util/imagename.js'
import { PyException } from '../util/py.js'

export class RealBackend implements BuildBackend {
  constructor(
    private readonly engine: BuildEngine,
    private readonly registries: ImageRegistries
  ) {}

  /** buildah pulls `spec` and names it as the Dockerfile does (so that `buildah bud` finds it). */
  async pullBase(spec: string, names: { dockerfile: string; build: string }, options: StepOptions): Promise<PulledImage> {
    const image = await this.engine.pullBase(spec, names.dockerfile, { signal: options.signal, onLine: (l) => options.log.debug(l) })
    return { image, localName: names.dockerfile }
  }

  /** `buildah bud` of the Dockerfile as the prebuild plugins left it, after pulling the stage bases. */
  async build(request: BuildRequest, options: StepOptions): Promise<BuildOutcome> {
    const { contextDir, dockerfilePath, tag, bases } = request
    const outcome = await this.engine.build({ contextDir, dockerfilePath, tag, bases }, { signal: options.signal, onLine: (l) => options.log.debug(l) })
    return 'failReason' in outcome ? { failReason: outcome.failReason } : { image: outcome.image }
  }

  /**
   * A real push to a registry the cluster serves, or a loopback address (where nobody serving it makes the push
   * fail with connection refused). Other names (`registry-v1.example.com`: v1 registries, which have no server
   * here) keep the in-memory registry, with the manifest buildah makes, and the log says so.
   */
  async push(image: ImageContent, registry: string, name: ImageName, options: StepOptions): Promise<ManifestDigests> {
    const tag = name.tag ?? 'latest'
    if (!this.serves(registry)) {
      options.log.debug(`${registryHost(registry)} is not served here: the push is kept in memory (emulated)`)
      return this.engine.pushEmulated(image, registry, name.repository, tag)
    }
    const target = name.copy({ registry: registryHost(registry) })
    options.log.info(`pushing image '${target.toString()}'`)
    try {
      return await this.engine.push(image, registry, name.repository, tag, { signal: options.signal, onLine: (l) => options.log.debug(l) })
    } catch (err) {
      const message = (err as Error).message.replace(/\\/g, '\\\\').replace(/'/g, "\\'")
      throw new PyException('RuntimeError', `Failed to push image ${target.toString()}: {u'message': u'${message}'}`)
    }
  }

  /** DELETE on a registry the cluster serves; the in-memory registry for the others. */
  async deleteManifest(registry: string, repository: string, digest: string): Promise<boolean> {
    if (this.serves(registry)) return this.engine.deleteManifest(registryHost(registry), repository, digest)
    return this.registries.findRegistry(registry)?.deleteManifest(repository, digest) ?? false
  }

  /**
   * The name leaves buildah's storage, and the image with it unless another build pulled it meanwhile (a base
   * image built here: the same image id), which must keep it.
   */
  async remove(localName: string): Promise<void> {
    await this.engine.removeImage(localName)
  }

  async squash(image: ImageContent, keep: number, tag: string, output: string, load: boolean, options: StepOptions): Promise<{ image?: ImageContent; layersBefore: number; layersAfter: number }> {
    return this.engine.squash(image.imageId, keep, tag, output, load, { signal: options.signal })
  }

  async runInImage(image: ImageContent, argv: string[], options: StepOptions): Promise<{ container: string; code: number; output: string }> {
    return this.engine.runInImage(image.imageId, argv, { signal: options.signal })
  }

  private serves(registry: string): boolean {
    return isServedOrLoopback(Object.values(this.engine.hosts), registry)
  }
}

/** `registry` (`[scheme://]host[:port][/path]`) is one of `served` (`host:port`) or a loopback address. */
export function isServedOrLoopback(served: string[], registry: string): boolean {
  const host = registryHost(registry)
  if (served.includes(host)) return true
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')
  return name === 'localhost' || name === '::1' || /^127\./.test(name)
}
