/** tag_and_push (postbuild): every tag to each registry, through the host's build backend; the digests it serves. */
import { definePlugin } from '../plugin.js'
import { ImageName } from '../util/imagename.js'
import { PyException } from '../util/py.js'

export default definePlugin({
  key: 'tag_and_push',
  // registries is required
  defaults: { registries: {} },
  async run(wf, args, log) {
    const core = wf.log.logger('atomic_reactor.core')
    const registries = args.registries as Record<string, { insecure?: boolean; secret?: string }>
    if (!wf.builtImage) throw new PyException('RuntimeError', 'no image built')
    if (!wf.tagConf.unique.length) wf.tagConf.unique.push(ImageName.parse(wf.outputImage))
    const pushed: string[] = []
    for (const [registry, conf] of Object.entries(registries)) {
      log.info(`Registry ${registry} secret ${conf?.secret ?? 'None'}`)
      let entry = wf.pushConf.docker.find((r) => r.uri === registry)
      if (!entry) {
        entry = { kind: 'docker', uri: registry, insecure: !!conf?.insecure, digests: new Map() }
        wf.pushConf.docker.push(entry)
      }
      for (const image of wf.images) {
        if (image.registry) throw new PyException('RuntimeError', `Image name must not contain registry: ${image.registry}`)
        const target = image.copy({ registry: registry })
        core.info(`tagging and pushing image '${wf.builtImage.imageId}' as '${target.toString()}'`)
        if (conf?.secret) core.debug(`logging in to ${registry} with the credentials in ${conf.secret}`)
        const digests = await wf.host.backend.push(wf.builtImage, registry, image, wf.stepOptions(core))
        core.debug(`pushed '${target.toString()}': digest ${digests.v2}`)
        entry.digests.set(`${image.repository}:${image.tag ?? 'latest'}`, digests)
        wf.toRemove.push(target.toString())
        pushed.push(target.toString())
        await wf.tick()
      }
    }
    log.info('All images were tagged and pushed')
    return pushed
  }
})
