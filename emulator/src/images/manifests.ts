/**
 * Images as the registries keep them: the docker media types, an image's content (its config: labels,
 * architecture, layer ids), and the manifests made of it (schema 2, signed schema 1) whose digests are `sha256:` of
 * the bytes served, as `Docker-Content-Digest` reports them.
 */
import { createHash } from 'node:crypto'

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

export function externalImage(key: string, version: number): ImageContent {
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
