/**
 * pulp_pull (postbuild, or exit): after pulp_push / pulp_sync, asks crane for the unique image's manifests. A v2
 * schema 2 digest (synced content) keeps the built image id; crane serving only schema 1 (pulp_push alone) means
 * pulling the image, whose id then replaces it. Returns `[image id, media types]`, which store_metadata_in_osv3
 * writes as `media-types`.
 */
import { definePlugin } from '../plugin.js'
import { PyException } from '../util/py.js'

const V1 = 'application/vnd.docker.distribution.manifest.v1+json'
const V2 = 'application/vnd.docker.distribution.manifest.v2+json'

export default definePlugin({
  key: 'pulp_pull',
  defaults: { timeout: 600, retry_delay: 30, insecure: false, secret: null, expect_v2schema2: false },
  async run(wf, args, log) {
    if (wf.pluginFailed) {
      log.info('Not running for failed build')
      return [null, []]
    }
    const image = wf.tagConf.unique[0]
    const registry = wf.pushConf.pulp[0]
    // the plugin's asserts: a unique image and a Pulp registry must be there
    if (!image || !registry) throw new PyException('AssertionError', '')
    const mediaTypes: string[] = []
    for (const name of wf.pluginNames('postbuild_plugins')) {
      if (name === 'pulp_sync') mediaTypes.push(V1)
      if (name === 'pulp_push') mediaTypes.push('application/json')
    }
    const tag = wf.host.registries
      .pulpEnvironment(registry.name)
      .repository(image.repository)
      ?.tags.get(image.tag ?? 'latest')
    if (registry.serverSideSync) {
      if (!tag) {
        // crane answers 404 until it sees the content; the imitation's crane has it at once or never
        log.info(`not found; will try again in ${String(args.retry_delay)}s`)
        throw new PyException('CraneTimeoutError', `${String(args.timeout)} seconds exceeded`)
      }
      if (tag.digest) {
        log.info(`V2 schema 2 digest found, returning ${wf.imageId}`)
        mediaTypes.push(V2)
        wf.mediaTypes.add(V2)
        for (const t of mediaTypes) wf.mediaTypes.add(t)
        return [wf.imageId, [...mediaTypes].sort()]
      }
      if (args.expect_v2schema2) log.warning('Expected schema 2 manifest, but only schema 1 found')
    }
    if (!tag) throw new PyException('NotFound', `404 Client Error: Not Found ("manifest unknown: ${registry.uri}/${image.toString({ registry: false })}")`)
    // the pull of the schema 1 manifest: docker makes the image's id from it (the v1 top layer's id here)
    const pulled = `sha256:${tag.v1ImageId ?? tag.image.imageId.replace(/^sha256:/, '')}`
    log.debug(`image ID changed from ${wf.imageId} to ${pulled}`)
    wf.imageId = pulled
    for (const t of mediaTypes) wf.mediaTypes.add(t)
    return [pulled, [...mediaTypes].sort()]
  }
})
