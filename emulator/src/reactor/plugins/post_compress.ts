/** compress (postbuild): the image (or the last exported one) as `compressed.tar.<gz|xz>`, for `tar_metadata`. */
import { createHash } from 'node:crypto'
import { definePlugin } from '../plugin.js'
import { PyException } from '../util/py.js'

export default definePlugin({
  key: 'compress',
  defaults: { load_exported_image: false, method: 'gzip' },
  async run(wf, args, log) {
    const method = String(args.method)
    const ext = method === 'gzip' ? 'gz' : method === 'lzma' ? 'xz' : undefined
    if (!ext) throw new PyException('RuntimeError', `Unsupported compression format ${method}`)
    if (!wf.builtImage) throw new PyException('RuntimeError', 'no image built')
    if (args.load_exported_image && !wf.exportedImages.length) throw new PyException('RuntimeError', 'load_exported_image used, but no exported image')
    const last = args.load_exported_image ? wf.exportedImages[wf.exportedImages.length - 1] : undefined
    const input = last ? last.path : `${wf.workDir}/image.tar`
    if (!last) log.info(`saving image ${wf.outputImage} to ${input}`)
    const seed = wf.builtImage.imageId
    const uncompressed = last?.size ?? 10 * 1024 * 1024 + (Number.parseInt(seed.slice(7, 13), 16) % (50 * 1024 * 1024))
    const size = Math.round(uncompressed * 0.37)
    const path = `${wf.workDir}/compressed.tar.${ext}`
    log.info(`compressing image ${input} to ${path} using ${method} method`)
    await wf.tick()
    wf.exportedImages.push({
      path,
      type: last?.type ?? 'docker-archive',
      size,
      md5sum: createHash('md5').update(`${path}\0${seed}`).digest('hex'),
      sha256sum: createHash('sha256').update(`${path}\0${seed}`).digest('hex'),
      uncompressed_size: uncompressed
    })
    log.info(`saved compressed image to ${path}`)
    return null
  }
})
