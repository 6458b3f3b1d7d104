/** pulp_push (postbuild): v1 upload: tags the image in `redhat-<ns-repo>` of the Pulp environment (crane serves it). */
import { definePlugin } from '../plugin.js'
import { ImageName } from '../util/imagename.js'
import { PyException } from '../util/py.js'
import { addPulpRegistry, comesAfter, groupByRepository } from '../util/pulp.js'
import type { Logger } from '../util/log.js'
import type { Workflow } from '../workflow.js'

export default definePlugin({
  key: 'pulp_push',
  // pulp_registry_name is required; image_names is None in the signature, no names in effect
  defaults: {
    load_squashed_image: null,
    load_exported_image: null,
    image_names: [],
    pulp_secret_path: null,
    username: null,
    password: null,
    dockpulp_loglevel: null,
    publish: true
  },
  async run(wf, args, log) {
    const name = String(args.pulp_registry_name ?? '')
    if (!name) throw new PyException('RuntimeError', 'pulp_registry_name is required')
    if (!wf.builtImage) throw new PyException('RuntimeError', 'no image built')
    let publish = args.publish !== false
    if (publish && comesAfter(wf.pluginNames('postbuild_plugins'), 'pulp_push', 'pulp_sync')) {
      log.info('publishing deferred until pulp_sync plugin runs')
      publish = false
    }
    const env = wf.host.registries.pulpEnvironment(name)
    if (args.pulp_secret_path) log.debug(`using pulp certificates from ${String(args.pulp_secret_path)}`)
    const images = [...wf.images, ...(args.image_names as string[]).map((s) => ImageName.parse(s))]
    const v1 = wf.v1ImageIdFor()
    const tarball = exportedTarball(wf, args, log)
    log.info(`uploading '${tarball}' to pulp registry '${name}'`)
    const crane: string[] = []
    for (const [repository, tags] of groupByRepository(images)) {
      const repoId = 'redhat-' + repository.replace(/\//g, '-')
      if (!env.repository(repository)) log.info(`creating repo ${repoId}`)
      crane.push(...wf.host.registries.pulpPush(name, repository, tags, wf.builtImage, v1))
      log.info(`tagging repo ${repoId} with ${tags.join(',')}:${v1}`)
      await wf.tick()
    }
    if (publish) for (const ref of crane) log.info(`image available at ${ref}`)
    addPulpRegistry(wf.pushConf.pulp, name, env.craneHost, false)
    wf.v1ImageId = v1
    wf.mediaTypes.add('application/json')
    return [v1, crane]
  }
})

/** The tarball to upload: the last exported image (load_exported_image, or its obsolete name), else `docker save`'s. */
function exportedTarball(wf: Workflow, args: Record<string, any>, log: Logger): string {
  if (args.load_squashed_image !== null && args.load_exported_image !== null && args.load_squashed_image !== args.load_exported_image) {
    throw new PyException('RuntimeError', "Can't use load_squashed_image and load_exported_image with different values")
  }
  if (args.load_squashed_image !== null) log.warning('load_squashed_image argument is obsolete and will be removed in a future version; please use load_exported_image instead')
  const loadExported = args.load_exported_image || args.load_squashed_image || false
  if (loadExported && !wf.exportedImages.length) throw new PyException('RuntimeError', 'no exported image to push to pulp')
  return loadExported ? wf.exportedImages[wf.exportedImages.length - 1]!.path : `${wf.workDir}/image.tar`
}
