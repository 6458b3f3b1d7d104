/**
 * pull_base_image (prebuild): the final stage's base image, from `parent_registry` (then its `library/`
 * namespace) when given, through the host's build backend; the build then names it by the build's own name.
 */
import { registryHost } from '../../images/pullspec.js'
import { definePlugin } from '../plugin.js'
import { PyException } from '../util/py.js'

export default definePlugin({
  key: 'pull_base_image',
  defaults: { parent_registry: null, parent_registry_insecure: false },
  async run(wf, args, log) {
    const core = wf.log.logger('atomic_reactor.core')
    const base = wf.baseImage
    if (!base || base.toString() === 'scratch:latest') {
      log.info('base image is scratch, nothing to pull')
      return null
    }
    let name = base
    const parent = args.parent_registry ? registryHost(String(args.parent_registry)) : undefined
    if (parent) {
      if (base.registry && base.registry !== parent) {
        throw new PyException('RuntimeError', `Registry specified in dockerfile doesn't match provided one. Dockerfile: '${base.registry}', Provided: '${parent}'`)
      }
      name = base.copy({ registry: parent })
    }
    core.info(`pulling image '${name.toString()}' from registry`)
    if (!wf.host.registries.lookup(name.toString()) && parent && name.namespace !== 'library') {
      log.info(`'${name.toString()}' not found`)
      const library = name.copy({ namespace: 'library' })
      log.info(`trying '${library.toString()}'`)
      core.info(`pulling image '${library.toString()}' from registry`)
      if (wf.host.registries.lookup(library.toString())) name = library
    }
    let pulled
    try {
      pulled = await wf.host.backend.pullBase(name.toString(), { dockerfile: base.toString(), build: wf.buildName }, wf.stepOptions(core))
    } catch (err) {
      throw new PyException('RuntimeError', `Failed to pull image '${name.toString()}': ${(err as Error).message}`)
    }
    core.debug(`image '${name.toString()}' pulled: ${pulled.image.imageId}`)
    core.info(`tagging image '${name.toString()}' as '${pulled.localName}'`)
    wf.baseImageId = pulled.image.imageId
    wf.baseImageLabels = { ...pulled.image.labels }
    wf.baseImageLayers = pulled.image.layers ?? []
    wf.toRemove.push(name.toString(), wf.buildName)
    // the builder's base image is now the build's own name (set_base_image of the unique id)
    wf.baseImageName = wf.buildName
    return null
  }
})
