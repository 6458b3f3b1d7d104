/**
 * squash (prepublish): the layers of the built image after `from_layer` (by default the base image) become one;
 * the image is exported to `<workdir>/image.tar` (the exported image load_exported_image takes) and, unless
 * `dont_load`, its new id replaces the built one.
 */
import { createHash } from 'node:crypto'
import { sha256 } from '../../images/manifests.js'
import { definePlugin } from '../plugin.js'
import { ImageName } from '../util/imagename.js'
import { PyException } from '../util/py.js'

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
    const keep = fromLayer === wf.baseImageId ? wf.baseImageLayers : []
    const squashed = 'sha256:' + sha256(`squashed\0${image.imageId}\0${fromLayer ?? ''}`)
    const newId = 'sha256:' + sha256(`squash\0${image.imageId}\0${fromLayer ?? ''}`)
    const path = `${wf.workDir}/image.tar`
    const size = 10 * 1024 * 1024 + (Number.parseInt(newId.slice(7, 13), 16) % (50 * 1024 * 1024))
    log.info(`squashing image '${image.imageId}' from layer '${fromLayer ?? ''}' as '${String(args.tag ?? ImageName.parse(wf.outputImage).toString())}'`)
    await wf.tick()
    wf.exportedImages.push({
      path,
      type: 'docker-archive',
      size,
      md5sum: createHash('md5').update(`${path}\0${newId}`).digest('hex'),
      sha256sum: createHash('sha256').update(`${path}\0${newId}`).digest('hex')
    })
    if (!args.dont_load) {
      wf.builtImage = { ...image, imageId: newId, layers: [...keep, squashed] }
      wf.imageId = newId
    }
    return null
  }
})
