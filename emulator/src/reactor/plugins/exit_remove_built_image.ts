/** remove_built_image (exit): the built image leaves the builder's storage (through the host's build backend); the removals are logged. */
import { definePlugin } from '../plugin.js'

export default definePlugin({
  key: 'remove_built_image',
  defaults: { remove_pulled_base_image: true },
  async run(wf, args, log) {
    const core = wf.log.logger('atomic_reactor.core')
    if (wf.builtImage) {
      log.info(`removing image ${wf.builtImage.imageId}`)
      core.info(`removing image '${wf.builtImage.imageId}' from filesystem`)
      await wf.host.backend.remove(wf.localImageName)
    }
    for (const name of wf.toRemove) {
      if (args.remove_pulled_base_image === false && name === wf.buildName) continue
      core.info(`removing image '${name}' from filesystem`)
    }
    return null
  }
})
