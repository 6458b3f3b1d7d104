/** HTTP: the read side of the registries (a subset of the docker registry API v2, and crane's for Pulp). */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { configBlob, MEDIA_TYPE_LIST, MEDIA_TYPE_V1, MEDIA_TYPE_V1_SIGNED, MEDIA_TYPE_V2, schema1Manifest, schema2Manifest, type StoredManifest } from './manifests.js'
import { registryHost } from './pullspec.js'
import type { DockerRegistry, ImageRegistries, PulpEnvironment, PulpTag } from './registries.js'

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
/** The views a request reads: the registry it names (by `?registry=`, `/registries/<host>/` or Host), else all. */
function viewsFor(req: IncomingMessage, registries: ImageRegistries, host: string | undefined): ReadView[] {
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

/** One request on a repository: `/v2/<repository>/(manifests|blobs|tags)/<reference>`. */
interface RepositoryRequest {
  req: IncomingMessage
  res: ServerResponse
  method: string
  head: boolean
  path: string
  view: ReadView
  repository: string
  reference: string
}

function sendTags({ res, head, path, view, repository, reference }: RepositoryRequest): void {
  if (reference !== 'list') return registryError(res, 404, 'NOT_FOUND', 'not found', { path }, head)
  sendJson(res, 200, { name: repository, tags: view.tags(repository) }, {}, head)
}

function sendBlob({ res, method, head, view, repository, reference }: RepositoryRequest): void {
  const blob = view.blob(repository, reference)
  if (blob === undefined || method === 'DELETE') return registryError(res, 404, 'BLOB_UNKNOWN', 'blob unknown to registry', { digest: reference }, head)
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Docker-Content-Digest': reference,
    'Docker-Distribution-API-Version': 'registry/2.0',
    'Content-Length': String(Buffer.byteLength(blob))
  })
  res.end(head ? undefined : blob)
}

function deleteManifest({ res, method, view, repository, reference }: RepositoryRequest): void {
  if (!reference.startsWith('sha256:')) return registryError(res, 400, 'DIGEST_INVALID', 'provided digest did not match uploaded content', { reference })
  if (!view.deleteManifest) return registryError(res, 405, 'UNSUPPORTED', 'The operation is unsupported.', { method })
  if (!view.deleteManifest(repository, reference)) return registryError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown', { Digest: reference })
  res.writeHead(202, { 'Docker-Distribution-API-Version': 'registry/2.0', 'Content-Length': '0' })
  res.end()
}

/** A manifest in the schema the client accepts (schema 2 unless it asks for schema 1 only). */
function sendManifest({ req, res, head, view, repository, reference }: RepositoryRequest): void {
  const accept = String(req.headers.accept ?? '')
  const wantsV2 = accept.includes(MEDIA_TYPE_V2) || accept.includes(MEDIA_TYPE_LIST)
  const wantsV1 = accept.includes(MEDIA_TYPE_V1) || accept.includes(MEDIA_TYPE_V1_SIGNED)
  const manifest = view.manifest(repository, reference, wantsV2 || !wantsV1 ? 'v2' : 'v1')
  if (!manifest) return registryError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown', reference.startsWith('sha256:') ? { Digest: reference } : { Tag: reference }, head)
  res.writeHead(200, {
    'Content-Type': manifest.mediaType,
    'Docker-Content-Digest': manifest.digest,
    'Docker-Distribution-API-Version': 'registry/2.0',
    'Content-Length': String(Buffer.byteLength(manifest.body)),
    ETag: `"${manifest.digest}"`
  })
  res.end(head ? undefined : manifest.body)
}

/** Answers `/v2/…` (and `/registries/<host>/v2/…`); false when the path is not the registry API's. */
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
  if (method !== 'GET' && method !== 'HEAD' && method !== 'DELETE') registryError(res, 405, 'UNSUPPORTED', 'The operation is unsupported.', { method })
  else if (path === '/v2' || path === '/v2/') sendJson(res, 200, {}, {}, head)
  else if (path === '/v2/_catalog') sendJson(res, 200, { repositories: [...new Set(viewsFor(req, registries, host).flatMap((v) => v.catalog()))].sort() }, {}, head)
  else {
    const m = /^\/v2\/(.+)\/(manifests|blobs|tags)\/([^/]+)$/.exec(path)
    if (!m) {
      registryError(res, 404, 'NOT_FOUND', 'not found', { path }, head)
      return true
    }
    const repository = decodeURIComponent(m[1]!)
    const view = viewsFor(req, registries, host).find((v) => v.tags(repository) !== undefined)
    if (!view) {
      registryError(res, 404, 'NAME_UNKNOWN', 'repository name not known to registry', { name: repository }, head)
      return true
    }
    const request: RepositoryRequest = { req, res, method, head, path, view, repository, reference: decodeURIComponent(m[3]!) }
    const kind = m[2]!
    if (kind === 'tags') sendTags(request)
    else if (kind === 'blobs') sendBlob(request)
    else if (method === 'DELETE') deleteManifest(request)
    else sendManifest(request)
  }
  return true
}
