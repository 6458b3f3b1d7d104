/**
 * Reading a real registry back over its HTTP API v2, over TLS trusting exactly the cluster's registry certificate:
 * what a client gets for a manifest (its bytes, media type and the `Docker-Content-Digest` the registry computed),
 * and deleting one. One undici connection pool per client, closed by `close()`.
 */
import { Agent, fetch } from 'undici'
import { MEDIA_TYPE_LIST, MEDIA_TYPE_V2 } from '../manifests.js'

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

/** The fields of an image configuration (docker's image JSON) that the cluster records. */
export interface ImageConfigBlob {
  architecture?: string
  created?: string
  config?: { Labels?: Record<string, string> | null }
  rootfs?: { diff_ids?: string[] }
}

export class RegistryClient {
  private readonly dispatcher: Agent

  /** `ca`: the PEM the registries' certificates are checked against (and nothing else). */
  constructor(ca: string) {
    this.dispatcher = new Agent({ connect: { ca } })
  }

  /** GET `https://<host>/v2/<repository>/manifests/<reference>` as a schema 2 client; throws with the registry's answer. */
  async fetchManifest(host: string, repository: string, reference: string): Promise<FetchedManifest> {
    const url = `https://${host}/v2/${repository}/manifests/${reference}`
    const res = await fetch(url, { dispatcher: this.dispatcher, headers: { Accept: [MEDIA_TYPE_V2, MEDIA_TYPE_LIST, MEDIA_TYPE_OCI].join(', ') } })
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

  /** GET `/v2/<repository>/tags/list`: the tags the registry serves ([] when it does not know the repository). */
  async tags(host: string, repository: string): Promise<string[]> {
    const url = `https://${host}/v2/${repository}/tags/list`
    const res = await fetch(url, { dispatcher: this.dispatcher })
    const body = await res.text()
    if (res.status === 404) return []
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body.trim().slice(0, 300)}`)
    return ((JSON.parse(body) as { tags?: string[] | null }).tags ?? []).slice()
  }

  /** GET the image configuration blob (JSON) of a manifest's `config` digest. */
  async config(host: string, repository: string, digest: string): Promise<ImageConfigBlob> {
    const url = `https://${host}/v2/${repository}/blobs/${digest}`
    const res = await fetch(url, { dispatcher: this.dispatcher })
    const body = await res.text()
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body.trim().slice(0, 300)}`)
    return JSON.parse(body) as ImageConfigBlob
  }

  /** DELETE a manifest by digest; true when the registry deleted it (202), false when it does not know it (404). */
  async deleteManifest(host: string, repository: string, digest: string): Promise<boolean> {
    const url = `https://${host}/v2/${repository}/manifests/${digest}`
    const res = await fetch(url, { dispatcher: this.dispatcher, method: 'DELETE' })
    await res.arrayBuffer()
    if (res.status === 202) return true
    if (res.status === 404) return false
    throw new Error(`DELETE ${url}: ${res.status}`)
  }

  async close(): Promise<void> {
    await this.dispatcher.close()
  }
}
