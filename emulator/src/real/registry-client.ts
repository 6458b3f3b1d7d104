/**
 * Reading a real registry back over its HTTP API v2: what a client gets for a manifest (its bytes, media type and
 * the `Docker-Content-Digest` the registry computed) and for the config blob it names.
 */
import { MEDIA_TYPE_LIST, MEDIA_TYPE_V2 } from '../registry.js'

export const MEDIA_TYPE_OCI = 'application/vnd.oci.image.manifest.v1+json'

export interface FetchedManifest {
  digest: string
  mediaType: string
  body: string
  /** The manifest's layer digests (compressed blobs as stored), base layers first. */
  layers: string[]
  /** The config digest (the image id). */
  config: string
}

/** GET `http://<host>/v2/<repository>/manifests/<reference>` as a schema 2 client; throws with the registry's answer. */
export async function fetchManifest(host: string, repository: string, reference: string): Promise<FetchedManifest> {
  const url = `http://${host}/v2/${repository}/manifests/${reference}`
  const res = await fetch(url, { headers: { Accept: [MEDIA_TYPE_V2, MEDIA_TYPE_LIST, MEDIA_TYPE_OCI].join(', ') } })
  const body = await res.text()
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body.trim().slice(0, 300)}`)
  const digest = res.headers.get('docker-content-digest')
  if (!digest) throw new Error(`GET ${url}: no Docker-Content-Digest header`)
  const json = JSON.parse(body) as { config?: { digest?: string }; layers?: { digest: string }[] }
  return {
    digest,
    mediaType: (res.headers.get('content-type') ?? MEDIA_TYPE_V2).split(';')[0]!,
    body,
    layers: (json.layers ?? []).map((l) => l.digest),
    config: json.config?.digest ?? ''
  }
}

/** DELETE a manifest by digest; true when the registry deleted it (202), false when it does not know it (404). */
export async function deleteManifest(host: string, repository: string, digest: string): Promise<boolean> {
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' })
  await res.arrayBuffer()
  if (res.status === 202) return true
  if (res.status === 404) return false
  throw new Error(`DELETE http://${host}/v2/${repository}/manifests/${digest}: ${res.status}`)
}
