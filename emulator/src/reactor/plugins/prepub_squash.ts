/**
 * squash (prepublish): the layers of the built image after `from_layer` (by default the base image) become one;
 * the image is exported to `<workdir>/image.tar` (the exported image compress and pulp_push take) and, unless
 * `dont_load`, its new id replaces the built one (the old image is removed at the end). Real builds squash for real
 * (../../images/real/squash.ts: docker-squash's work on a docker archive); simulated ones make up the ids.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { sha256 } from '../../images/manifests.js'
import { definePlugin } from '../plugin.js'
import { ImageName } from '../util/imagename.js'
import { PyException } from '../util/py.js'
import type { Workflow } from '../workflow.js'

export default definePlugin({
  key: 'squash',
  defaults: { tag: null, from_base: true, from_layer: null, dont_load: false },
  async run(wf, args, log) {
    if (!wf.builtImage) throw new PyException('RuntimeError', 'no image built')
    let fromLayer = args.from_layer as string | null
    if (args.from_base !== false && fromLayer === null) {
      if (!wf.baseImageId) {
        log.error(`Missing Id in inspection: '{}'`)
        throw new PyException('KeyError', 'Id')
      }
      log.info(`will squash from base-image: '${wf.baseImageId}'`)
      fromLayer = wf.baseImageId
    }
    const image = wf.builtImage
    const tag = String(args.tag ?? ImageName.parse(wf.outputImage).toString())
    const path = `${wf.workDir}/image.tar`
    log.info(`squashing image '${image.imageId}' from layer '${fromLayer ?? ''}' as '${tag}'`)
    const keep = fromLayer === wf.baseImageId ? wf.baseImageLayers.length : 0
    const real = await wf.host.backend.squash(image, keep, tag, path, !args.dont_load, wf.stepOptions(log))
    await wf.tick()
    if (real) {
      log.info(`squashed ${real.layersBefore} layers into ${real.layersAfter}`)
      wf.exportedImages.push({ path, type: 'docker-archive', ...(await exportedMetadata(wf, path)) })
      if (real.image) replaceBuilt(wf, real.image)
      return null
    }
    const squashed = 'sha256:' + sha256(`squashed\0${image.imageId}\0${fromLayer ?? ''}`)
    const newId = 'sha256:' + sha256(`squash\0${image.imageId}\0${fromLayer ?? ''}`)
    const size = 10 * 1024 * 1024 + (Number.parseInt(newId.slice(7, 13), 16) % (50 * 1024 * 1024))
    wf.exportedImages.push({
      path,
      type: 'docker-archive',
      size,
      md5sum: createHash('md5').update(`${path}\0${newId}`).digest('hex'),
      sha256sum: createHash('sha256').update(`${path}\0${newId}`).digest('hex')
    })
    if (!args.dont_load) replaceBuilt(wf, { ...image, imageId: newId, layers: [...wf.baseImageLayers.slice(0, keep), squashed] })
    return null
  }
})

/** The squashed image is the build's image from now on; the old one goes at the end (defer_removal). */
function replaceBuilt(wf: Workflow, image: NonNullable<Workflow['builtImage']>): void {
  wf.builtImage = image
  wf.imageId = image.imageId
}

/** util.get_exported_image_metadata: the file's size and checksums, with its log lines. */
async function exportedMetadata(wf: Workflow, path: string): Promise<{ size: number; md5sum: string; sha256sum: string }> {
  const util = wf.log.logger('atomic_reactor.util')
  util.info(`getting metadata for tarball ${path}`)
  const size = (await stat(path)).size
  util.debug(`size: ${size} bytes`)
  const md5 = createHash('md5')
  const sha = createHash('sha256')
  for await (const chunk of createReadStream(path)) {
    md5.update(chunk as Buffer)
    sha.update(chunk as Buffer)
  }
  return { size, md5sum: md5.digest('hex'), sha256sum: sha.digest('hex') }
}
