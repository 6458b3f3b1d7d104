/**
 * In-memory docker registries (API v2, one per `host[:port]`) and emulated Pulp environments (name → crane host),
 * shared by every build of one emulated cluster. The emulated atomic-reactor pushes here (tag_and_push, pulp_push,
 * pulp_sync), deletes here (delete_from_registry) and looks up releases here (bump_release); tests and the action
 * read images back through the HTTP handler at the end of this file.
 *
 * With simulated builds images are synthetic: an image is its config (labels, architecture, layer ids); its
 * manifests are real JSON documents whose digests (`sha256:` of the bytes served) are what `Docker-Content-Digest`
 * reports. With real builds (real/engine.ts), pushes go to real registries and are recorded here with the manifest
 * bytes and the digest the registry served (`record`); the hosts those registries serve are in `served`.
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

export const MEDIA_TYPE_V1 = 'application/vnd.docker.distribution.manifest.v1+json'
export const MEDIA_TYPE_V1_SIGNED = 'application/vnd.docker.distribution.manifest.v1+prettyjws'
export const MEDIA_TYPE_V2 = 'application/vnd.docker.distribution.manifest.v2+json'
export const MEDIA_TYPE_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
export const MEDIA_TYPE_CONFIG = 'application/vnd.docker.container.image.v1+json'
export const MEDIA_TYPE_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip'

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** What a build produced (or what an external image is): enough to serve manifests and a config blob. */
export interface ImageContent {
  /** `sha256:<64 hex>` (the config digest, as docker reports image ids). */
  imageId: string
  labels: Record<string, string>
  architecture?: string
  /** ISO time; keep it deterministic (e.g. the commit time) so that digests are. */
  created?: string
  /** `sha256:` layer digests, base layers first. */
  layers?: string[]
}

/** A manifest stored in a repository, addressable by digest. */
export interface StoredManifest {
  digest: string
  mediaType: string
  /** The exact bytes served. */
  body: string
  image: ImageContent
}

/** Digests read back after a push, per media type (atomic-reactor's ManifestDigest). */
export interface ManifestDigests {
  v1: string
  v2: string
}

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

/** Split `[registry/]repository[:tag|@digest]` (docker's rules: a first part with `.`/`:` or `localhost` is a registry). */
export function parsePullSpec(spec: string): { registry?: string; repository: string; reference: string } {
  let rest = spec.trim()
  let registry: string | undefined
  const slash = rest.indexOf('/')
  if (slash > 0) {
    const first = rest.slice(0, slash)
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first
      rest = rest.slice(slash + 1)
    }
  }
  let reference = 'latest'
  const at = rest.indexOf('@')
  if (at >= 0) {
    reference = rest.slice(at + 1)
    rest = rest.slice(0, at)
  } else {
    const colon = rest.lastIndexOf(':')
    if (colon > rest.lastIndexOf('/')) {
      reference = rest.slice(colon + 1)
      rest = rest.slice(0, colon)
    }
  }
  return { registry, repository: rest, reference }
}

/** `host[:port]` of a registry URI (`https://host:5000/v2` → `host:5000`). */
export function registryHost(uri: string): string {
  return uri.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '')
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

/** `docker.io/library/fedora:latest` style key for external images. */
export function normalizePullSpec(pullSpec: string): string {
  const { registry, repository, reference } = parsePullSpec(pullSpec)
  const reg = registry ?? 'docker.io'
  const repo = reg === 'docker.io' && !repository.includes('/') ? `library/${repository}` : repository
  return `${reg}/${repo}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`
}

function externalImage(key: string, version: number): ImageContent {
  const seed = sha256(`external\0${key}\0${version}`)
  return {
    imageId: 'sha256:' + seed,
    labels: version ? { 'emulator.version': String(version) } : {},
    architecture: 'amd64',
    created: '2017-10-02T00:00:00Z',
    layers: ['sha256:' + sha256(`layer\0${seed}`)]
  }
}

export function configBlob(image: ImageContent): string {
  return JSON.stringify({
    architecture: image.architecture ?? 'amd64',
    os: 'linux',
    created: image.created ?? '1970-01-01T00:00:00Z',
    config: { Labels: image.labels },
    rootfs: { type: 'layers', diff_ids: image.layers ?? [] }
  })
}

/** The schema 2 manifest of an image (deterministic bytes, so a deterministic digest). */
export function schema2Manifest(image: ImageContent): StoredManifest {
  const config = configBlob(image)
  const body = JSON.stringify(
    {
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_V2,
      config: { mediaType: MEDIA_TYPE_CONFIG, size: Buffer.byteLength(config), digest: image.imageId },
      layers: (image.layers ?? []).map((digest) => ({
        mediaType: MEDIA_TYPE_LAYER,
        size: 1024 + (Number.parseInt(digest.slice(7, 13), 16) % 65536),
        digest
      }))
    },
    null,
    3
  )
  return { digest: 'sha256:' + sha256(body), mediaType: MEDIA_TYPE_V2, body, image }
}

/** The schema 1 manifest of an image as pushed under `repository:tag` (its digest depends on the tag). */
export function schema1Manifest(repository: string, tag: string, image: ImageContent): StoredManifest {
  const layers = image.layers ?? []
  const body = JSON.stringify(
    {
      schemaVersion: 1,
      name: repository,
      tag,
      architecture: image.architecture ?? 'amd64',
      fsLayers: [...layers].reverse().map((blobSum) => ({ blobSum })),
      history: [...layers].reverse().map((l, i) => ({
        v1Compatibility: JSON.stringify(i === 0 ? { id: v1Id(image.imageId), config: { Labels: image.labels }, created: image.created } : { id: sha256(`v1\0${l}`) })
      }))
    },
    null,
    3
  )
  return { digest: 'sha256:' + sha256(body), mediaType: MEDIA_TYPE_V1, body, image }
}

/** The v1 (top layer) id docker save writes for an image: 64 hex. */
export function v1Id(imageId: string): string {
  return sha256(`v1\0${imageId}`)
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP: the read side of the registries (docker registry API v2 subset)
// ---------------------------------------------------------------------------------------------------------------

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, head = false): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Docker-Distribution-API-Version': 'registry/2.0',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers
  })
  res.end(head ? undefined : text)
}

function registryError(res: ServerResponse, status: number, code: string, message: string, detail: unknown, head = false): void {
  sendJson(res, status, { errors: [{ code, message, detail }] }, {}, head)
}

/** A readable view of one registry host: a docker registry or a Pulp environment's crane. */
interface ReadView {
  manifest(repository: string, reference: string, accept: 'v1' | 'v2'): StoredManifest | undefined
  blob(repository: string, digest: string): string | undefined
  tags(repository: string): string[] | undefined
  catalog(): string[]
  deleteManifest?(repository: string, digest: string): boolean
}

function dockerView(reg: DockerRegistry): ReadView {
  return {
    manifest: (repo, ref, accept) => reg.get(repo, ref, accept),
    blob: (repo, digest) => reg.repository(repo)?.blobs.get(digest),
    tags: (repo) => (reg.repository(repo) ? reg.tags(repo) : undefined),
    catalog: () => [...reg.repositories.keys()].sort(),
    deleteManifest: (repo, digest) => reg.deleteManifest(repo, digest)
  }
}

function craneView(envs: PulpEnvironment[]): ReadView {
  const find = (repo: string) => envs.map((e) => e.repository(repo)).find((r) => !!r)
  return {
    manifest: (repo, ref, accept) => {
      const r = find(repo)
      if (!r) return undefined
      let entry: [string, PulpTag] | undefined
      if (ref.startsWith('sha256:')) entry = [...r.tags].find(([, t]) => t.digest === ref)
      else {
        const t = r.tags.get(ref)
        entry = t ? [ref, t] : undefined
      }
      if (!entry) return undefined
      const [tag, t] = entry
      if (accept === 'v1') return schema1Manifest(repo, tag, t.image)
      // crane serves schema 2 only for content that came by a v2 sync
      return t.digest ? schema2Manifest(t.image) : schema1Manifest(repo, tag, t.image)
    },
    blob: (repo, digest) => {
      const t = [...(find(repo)?.tags.values() ?? [])].find((x) => x.image.imageId === digest)
      return t ? configBlob(t.image) : undefined
    },
    tags: (repo) => {
      const r = find(repo)
      return r ? [...r.tags.keys()].sort() : undefined
    },
    catalog: () => [...new Set(envs.flatMap((e) => [...e.repositories.values()].map((r) => r.registryId)))].sort()
  }
}

/**
 * Serve the registries over HTTP (docker registry API v2 subset, read-only except manifest DELETE):
 *
 * * `GET /v2/` → 200 `{}`
 * * `GET|HEAD /v2/<repo>/manifests/<tag|digest>` → the manifest, `Docker-Content-Digest`, `Content-Type`
 *   (schema 2 unless the `Accept` header asks only for schema 1)
 * * `GET /v2/<repo>/blobs/<digest>` (config blobs), `GET /v2/<repo>/tags/list`, `GET /v2/_catalog`
 * * `DELETE /v2/<repo>/manifests/<digest>` → 202
 *
 * Which registry answers: the query parameter `registry=<host[:port]>` (a docker registry host or a crane host),
 * else the path prefix `/registries/<host[:port]>/v2/…`, else the request's `Host` header when it names a known
 * registry, else the first registry (in creation order) that holds the repository. Unknown names answer 404 with
 * a docker-registry error body (`NAME_UNKNOWN`, `MANIFEST_UNKNOWN`, `BLOB_UNKNOWN`).
 *
 * Returns false (and writes nothing) when the path is not a registry path, so that servers can chain handlers.
 */
export async function handleRegistryRequest(req: IncomingMessage, res: ServerResponse, registries: ImageRegistries): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://registry.invalid')
  let path = url.pathname
  let host = url.searchParams.get('registry') ?? undefined
  const prefixed = /^\/registries\/([^/]+)(\/v2(?:\/.*)?)$/.exec(path)
  if (prefixed) {
    host = host ?? decodeURIComponent(prefixed[1]!)
    path = prefixed[2]!
  }
  if (path !== '/v2' && !path.startsWith('/v2/')) return false
  const method = req.method ?? 'GET'
  const head = method === 'HEAD'
  if (method !== 'GET' && method !== 'HEAD' && method !== 'DELETE') {
    registryError(res, 405, 'UNSUPPORTED', 'The operation is unsupported.', { method })
    return true
  }
  if (path === '/v2' || path === '/v2/') {
    sendJson(res, 200, {}, {}, head)
    return true
  }

  const views = (): ReadView[] => {
    if (host) {
      const h = registryHost(host)
      const reg = registries.findRegistry(h)
      if (reg) return [dockerView(reg)]
      const envs = [...registries.pulp.values()].filter((e) => e.craneHost === h)
      return envs.length ? [craneView(envs)] : []
    }
    const fromHeader = req.headers.host ? registries.findRegistry(req.headers.host) : undefined
    if (fromHeader) return [dockerView(fromHeader)]
    return [...registries.registries.values()].map(dockerView).concat([craneView([...registries.pulp.values()])])
  }

  if (path === '/v2/_catalog') {
    sendJson(res, 200, { repositories: [...new Set(views().flatMap((v) => v.catalog()))].sort() }, {}, head)
    return true
  }

  const m = /^\/v2\/(.+)\/(manifests|blobs|tags)\/([^/]+)$/.exec(path)
  if (!m) {
    registryError(res, 404, 'NOT_FOUND', 'not found', { path }, head)
    return true
  }
  const repository = decodeURIComponent(m[1]!)
  const kind = m[2]!
  const reference = decodeURIComponent(m[3]!)
  const candidates = views().filter((v) => v.tags(repository) !== undefined)
  if (candidates.length === 0) {
    registryError(res, 404, 'NAME_UNKNOWN', 'repository name not known to registry', { name: repository }, head)
    return true
  }
  const view = candidates[0]!

  if (kind === 'tags') {
    if (reference !== 'list') {
      registryError(res, 404, 'NOT_FOUND', 'not found', { path }, head)
      return true
    }
    sendJson(res, 200, { name: repository, tags: view.tags(repository) }, {}, head)
    return true
  }

  if (kind === 'blobs') {
    const blob = view.blob(repository, reference)
    if (blob === undefined || method === 'DELETE') {
      registryError(res, 404, 'BLOB_UNKNOWN', 'blob unknown to registry', { digest: reference }, head)
      return true
    }
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Docker-Content-Digest': reference,
      'Docker-Distribution-API-Version': 'registry/2.0',
      'Content-Length': String(Buffer.byteLength(blob))
    })
    res.end(head ? undefined : blob)
    return true
  }

  if (method === 'DELETE') {
    if (!reference.startsWith('sha256:')) {
      registryError(res, 400, 'DIGEST_INVALID', 'provided digest did not match uploaded content', { reference })
      return true
    }
    if (!view.deleteManifest) {
      registryError(res, 405, 'UNSUPPORTED', 'The operation is unsupported.', { method })
      return true
    }
    if (!view.deleteManifest(repository, reference)) {
      registryError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown', { Digest: reference })
      return true
    }
    res.writeHead(202, { 'Docker-Distribution-API-Version': 'registry/2.0', 'Content-Length': '0' })
    res.end()
    return true
  }

  const accept = String(req.headers.accept ?? '')
  const wantsV2 = accept.includes(MEDIA_TYPE_V2) || accept.includes(MEDIA_TYPE_LIST)
  const wantsV1 = accept.includes(MEDIA_TYPE_V1) || accept.includes(MEDIA_TYPE_V1_SIGNED)
  const manifest = view.manifest(repository, reference, wantsV2 || !wantsV1 ? 'v2' : 'v1')
  if (!manifest) {
    registryError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown', reference.startsWith('sha256:') ? { Digest: reference } : { Tag: reference }, head)
    return true
  }
  res.writeHead(200, {
    'Content-Type': manifest.mediaType,
    'Docker-Content-Digest': manifest.digest,
    'Docker-Distribution-API-Version': 'registry/2.0',
    'Content-Length': String(Buffer.byteLength(manifest.body)),
    ETag: `"${manifest.digest}"`
  })
  res.end(head ? undefined : manifest.body)
  return true
}
