/**
 * In-memory docker registries (API v2, one per `host[:port]`) and emulated Pulp environments (name → crane host),
 * shared by every build of one emulated cluster. The emulated atomic-reactor pushes here (tag_and_push, pulp_push,
 * pulp_sync), deletes here (delete_from_registry) and looks up releases here (bump_release); tests and the action
 * read images back through the HTTP handler (http.ts).
 *
 * With simulated builds images are synthetic: an image is its config (labels, architecture, layer ids); its
 * manifests are real JSON documents whose digests (`sha256:` of the bytes served) are what `Docker-Content-Digest`
 * reports. With real builds (real/engine.ts), pushes go to real registries and are recorded here with the manifest
 * bytes and the digest the registry served (`record`); the hosts those registries serve are in `served`.
 */
import { configBlob, externalImage, schema1Manifest, schema2Manifest, type ImageContent, type ManifestDigests, type StoredManifest } from './manifests.js'
import { normalizePullSpec, parsePullSpec, registryHost } from './pullspec.js'

export interface RegistryRepository {
  /** tag → schema 2 manifest digest */
  tags: Map<string, string>
  /** digest → manifest (schema 2 manifests and their config blobs) */
  manifests: Map<string, StoredManifest>
  /** config blobs by digest */
  blobs: Map<string, string>
}

/** One docker-distribution registry. */
export class DockerRegistry {
  readonly repositories = new Map<string, RegistryRepository>()
  constructor(readonly host: string) {}

  repository(name: string, create = false): RegistryRepository | undefined {
    let repo = this.repositories.get(name)
    if (!repo && create) {
      repo = { tags: new Map(), manifests: new Map(), blobs: new Map() }
      this.repositories.set(name, repo)
    }
    return repo
  }

  /** Put `image` under `repository:tag`; returns the digests a client reads back (v2 schema 2, v1 schema 1). */
  put(repository: string, tag: string, image: ImageContent): ManifestDigests {
    const repo = this.repository(repository, true)!
    const v2 = schema2Manifest(image)
    repo.manifests.set(v2.digest, v2)
    repo.blobs.set(image.imageId, configBlob(image))
    repo.tags.set(tag, v2.digest)
    return { v2: v2.digest, v1: schema1Manifest(repository, tag, image).digest }
  }

  /** Put a manifest as a real registry served it (its bytes and digest) under `repository:tag`. */
  putManifest(repository: string, tag: string, manifest: StoredManifest): void {
    const repo = this.repository(repository, true)!
    repo.manifests.set(manifest.digest, manifest)
    repo.blobs.set(manifest.image.imageId, configBlob(manifest.image))
    repo.tags.set(tag, manifest.digest)
  }

  /** Manifest by tag or digest, in the media type asked for (schema 2 unless only schema 1 is acceptable). */
  get(repository: string, reference: string, accept: 'v2' | 'v1' = 'v2'): StoredManifest | undefined {
    const repo = this.repositories.get(repository)
    if (!repo) return undefined
    const digest = reference.startsWith('sha256:') ? reference : repo.tags.get(reference)
    if (!digest) return undefined
    const manifest = repo.manifests.get(digest)
    if (!manifest) return undefined
    if (accept === 'v1') {
      const tag = reference.startsWith('sha256:') ? 'latest' : reference
      return schema1Manifest(repository, tag, manifest.image)
    }
    return manifest
  }

  tags(repository: string): string[] {
    return [...(this.repositories.get(repository)?.tags.keys() ?? [])].sort()
  }

  /** Delete a manifest by digest: every tag pointing at it goes too. False when unknown. */
  deleteManifest(repository: string, digest: string): boolean {
    const repo = this.repositories.get(repository)
    if (!repo || !repo.manifests.has(digest)) return false
    repo.manifests.delete(digest)
    for (const [tag, d] of [...repo.tags]) if (d === digest) repo.tags.delete(tag)
    return true
  }
}

/** One tag of a Pulp repository, as crane serves it. */
export interface PulpTag {
  image: ImageContent
  /** schema 2 digest when the tag came by a v2 sync (crane serves v2), else undefined (v1 upload only). */
  digest?: string
  /** top layer v1 id when it came by a v1 upload */
  v1ImageId?: string
}

export interface PulpRepository {
  /** `redhat-<ns-repo>` */
  id: string
  /** `<ns>/<repo>`: the path crane serves it under */
  registryId: string
  tags: Map<string, PulpTag>
}

/** One Pulp environment (a dockpulp.conf section): its repositories and the crane host that serves them. */
export class PulpEnvironment {
  readonly repositories = new Map<string, PulpRepository>()
  constructor(
    readonly name: string,
    readonly craneHost: string
  ) {}

  static repoId(registryId: string): string {
    return 'redhat-' + registryId.replace(/\//g, '-')
  }

  repository(registryId: string, create = false): PulpRepository | undefined {
    const id = PulpEnvironment.repoId(registryId)
    let repo = this.repositories.get(id)
    if (!repo && create) {
      repo = { id, registryId, tags: new Map() }
      this.repositories.set(id, repo)
    }
    return repo
  }
}

export interface ImageRegistriesOptions {
  /** Pulp environment name → crane host (`host[:port]`; a scheme or path is stripped). */
  craneHosts?: Record<string, string>
  /** Crane host for environments not in `craneHosts`; `{name}` is replaced. Default `crane-{name}.example.com`. */
  craneHostPattern?: string
}

/** The result of resolving a pull spec (pull_base_image, import of external images). */
export interface ResolvedImage {
  /** schema 2 manifest digest */
  digest: string
  image: ImageContent
  /** true when a registry or Pulp environment of the emulator holds it; false for an "external" image. */
  hosted: boolean
}

/**
 * Every registry and Pulp environment of one emulated cluster.
 *
 * Registries are created on first use (a push, or `registry(host)`), so "the emulator hosts every registry named
 * in a build". External images (not pushed here) resolve to a deterministic fake digest, which a test can move with
 * `publishExternal` (a new version of `fedora:latest`, say).
 */
export class ImageRegistries {
  /** `host:port` of the registries real processes serve (real builds, real/engine.ts); empty when builds are simulated. */
  readonly served = new Set<string>()
  readonly registries = new Map<string, DockerRegistry>()
  readonly pulp = new Map<string, PulpEnvironment>()
  private readonly craneHosts: Record<string, string>
  private readonly craneHostPattern: string
  /** name\0version → highest release pushed (kept even when the tags are deleted later) */
  private readonly releases = new Map<string, number>()
  /** normalized pull spec → current version of an external image */
  private readonly external = new Map<string, ImageContent>()

  constructor(options: ImageRegistriesOptions = {}) {
    this.craneHosts = Object.fromEntries(Object.entries(options.craneHosts ?? {}).map(([name, host]) => [name, registryHost(host)]))
    this.craneHostPattern = options.craneHostPattern ?? 'crane-{name}.example.com'
  }

  /** The registry at `host[:port]` (scheme and path are ignored), created if missing. */
  registry(host: string): DockerRegistry {
    const key = registryHost(host)
    let reg = this.registries.get(key)
    if (!reg) {
      reg = new DockerRegistry(key)
      this.registries.set(key, reg)
    }
    return reg
  }

  /** The registry at `host[:port]` if it exists. */
  findRegistry(host: string): DockerRegistry | undefined {
    return this.registries.get(registryHost(host))
  }

  /** Crane host of a Pulp environment (from the options, else the pattern; names made hostname-safe). */
  craneHost(pulpRegistryName: string): string {
    const configured = this.craneHosts[pulpRegistryName]
    if (configured) return configured
    const safe =
      pulpRegistryName
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'pulp'
    return this.craneHostPattern.replace(/\{name\}/g, safe)
  }

  /** The Pulp environment `name`, created if missing. */
  pulpEnvironment(name: string): PulpEnvironment {
    let env = this.pulp.get(name)
    if (!env) {
      env = new PulpEnvironment(name, this.craneHost(name))
      this.pulp.set(name, env)
    }
    return env
  }

  /** Push one tag into a docker registry. */
  push(host: string, repository: string, tag: string, image: ImageContent): ManifestDigests {
    const digests = this.registry(host).put(repository, tag, image)
    this.noteRelease(repository, tag, image)
    return digests
  }

  /**
   * Record a push to a real registry (builds are real): the manifest as the registry serves it, so that lookups
   * answer the registry's own digest (`Docker-Content-Digest`).
   */
  record(host: string, repository: string, tag: string, manifest: StoredManifest): void {
    this.registry(host).putManifest(repository, tag, manifest)
    this.noteRelease(repository, tag, manifest.image)
  }

  /** Record a `name`/`version`/`release` triple (bump_release's memory; survives deletion of the tags). */
  recordRelease(name: string, version: string, release: string | number): void {
    const n = Number.parseInt(String(release), 10)
    if (!Number.isFinite(n)) return
    const key = `${name}\0${version}`
    if ((this.releases.get(key) ?? 0) < n) this.releases.set(key, n)
  }

  /** Highest release pushed so far for name+version (0 when none), across registries and Pulp environments. */
  highestRelease(name: string, version: string): number {
    let highest = this.releases.get(`${name}\0${version}`) ?? 0
    const consider = (tag: string) => {
      if (!tag.startsWith(version + '-')) return
      const m = /^(\d+)/.exec(tag.slice(version.length + 1))
      if (m) highest = Math.max(highest, Number(m[1]))
    }
    for (const reg of this.registries.values()) for (const tag of reg.tags(name)) consider(tag)
    for (const env of this.pulp.values()) for (const tag of env.repository(name)?.tags.keys() ?? []) consider(tag)
    return highest
  }

  /** v1 upload (pulp_push): tag `image` in `redhat-<ns-repo>` of environment `name`. Returns crane pull specs. */
  pulpPush(name: string, repository: string, tags: string[], image: ImageContent, v1ImageId: string): string[] {
    const env = this.pulpEnvironment(name)
    const repo = env.repository(repository, true)!
    for (const tag of tags) {
      const old = repo.tags.get(tag)
      repo.tags.set(tag, { image, v1ImageId, digest: old?.image.imageId === image.imageId ? old.digest : undefined })
      this.noteRelease(repository, tag, image)
    }
    return tags.map((t) => `${env.craneHost}/${repository}:${t}`)
  }

  /**
   * v2 sync (pulp_sync): copy every tag of `repository` from the docker registry at `fromRegistry` into environment
   * `name`. Throws when the registry or the repository is unknown (the Pulp sync task would fail).
   */
  pulpSync(name: string, fromRegistry: string, repository: string): string[] {
    const reg = this.findRegistry(fromRegistry)
    const source = reg?.repository(repository)
    if (!reg || !source) {
      throw new Error(`sync of ${repository} from ${registryHost(fromRegistry)} failed: repository not found`)
    }
    const env = this.pulpEnvironment(name)
    const repo = env.repository(repository, true)!
    const synced: string[] = []
    for (const [tag, digest] of source.tags) {
      const manifest = source.manifests.get(digest)
      if (!manifest) continue
      const old = repo.tags.get(tag)
      repo.tags.set(tag, { image: manifest.image, digest, v1ImageId: old?.image.imageId === manifest.image.imageId ? old.v1ImageId : undefined })
      synced.push(tag)
    }
    return synced.sort()
  }

  /** Look a pull spec up in the registries and crane hosts; undefined when the emulator does not host it. */
  lookup(pullSpec: string): ResolvedImage | undefined {
    const { registry, repository, reference } = parsePullSpec(pullSpec)
    const candidates: DockerRegistry[] = registry ? [this.findRegistry(registry)].filter((r): r is DockerRegistry => !!r) : [...this.registries.values()]
    for (const reg of candidates) {
      const m = reg.get(repository, reference)
      if (m) return { digest: m.digest, image: m.image, hosted: true }
    }
    for (const env of this.pulp.values()) {
      if (registry && env.craneHost !== registry) continue
      const tag = env.repository(repository)?.tags.get(reference)
      if (tag) return { digest: tag.digest ?? schema2Manifest(tag.image).digest, image: tag.image, hosted: true }
    }
    return undefined
  }

  /**
   * Resolve any pull spec: a hosted image, else an external one (its current published version, or a
   * deterministic fake image derived from the normalized name).
   */
  resolveImage(pullSpec: string): ResolvedImage {
    const hosted = this.lookup(pullSpec)
    if (hosted) return hosted
    const key = normalizePullSpec(pullSpec)
    const image = this.external.get(key) ?? externalImage(key, 0)
    return { digest: schema2Manifest(image).digest, image, hosted: false }
  }

  /**
   * Publish a new version of an external image (e.g. `fedora:latest`): its digest changes. Returns the new
   * resolution. `version` defaults to one more than the last published.
   */
  publishExternal(pullSpec: string, version?: number): ResolvedImage {
    const key = normalizePullSpec(pullSpec)
    const current = this.external.get(key)
    const next = version ?? (current ? Number(current.labels['emulator.version'] ?? '0') + 1 : 1)
    const image = externalImage(key, next)
    this.external.set(key, image)
    return { digest: schema2Manifest(image).digest, image, hosted: false }
  }

  private noteRelease(repository: string, tag: string, image: ImageContent): void {
    const name = image.labels['name'] ?? image.labels['Name']
    const version = image.labels['version'] ?? image.labels['Version']
    const release = image.labels['release'] ?? image.labels['Release']
    if (name === repository && version && release && tag === `${version}-${release}`) this.recordRelease(name, version, release)
  }
}
