/** change_from_in_dockerfile (prebuild): every FROM becomes `FROM <base image id>`. */
import { definePlugin } from '../plugin.js'
import { dockerfileLines } from '../util/dockerfile-parse.js'
import { PyException } from '../util/py.js'

export default definePlugin({
  key: 'change_from_in_dockerfile',
  defaults: { base_image: null },
  async run(wf, args, log) {
    const base = args.base_image ? String(args.base_image) : (wf.baseImage?.toString() ?? '')
    wf.inspectBase()
    if (!wf.baseImageId) {
      log.error(`Id is missing in inspection: '{}'`)
      throw new PyException('KeyError', 'Id')
    }
    log.debug(`using base image '${base}', id '${wf.baseImageId}'`)
    const out: string[] = []
    for (const line of dockerfileLines(wf.dockerfile)) {
      const m = /^FROM .+$/.exec(line.replace(/\n$/, ''))
      if (m) {
        const replaced = `FROM ${wf.baseImageId}`
        out.push(replaced + '\n')
        log.info(`changed FROM: '${m[0]}' -> '${replaced}'`)
      } else out.push(line)
    }
    await wf.setDockerfile(out.join(''))
    return null
  }
})
