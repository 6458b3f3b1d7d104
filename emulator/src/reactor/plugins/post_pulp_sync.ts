/**
 * pulp_sync (postbuild): copies every tag of the repository from `docker_registry` into the Pulp environment;
 * crane then serves v1 and v2 manifests (pulp_pull reads them back and lists them in `media-types`).
 */
import { definePlugin } from '../plugin.js'
import { PyException } from '../util/py.js'
import { addPulpRegistry, comesAfter, groupByRepository } from '../util/pulp.js'

export default definePlugin({
  key: 'pulp_sync',
  // pulp_registry_name and docker_registry are required; pulp_repo_prefix is None in the signature, and
  // 'redhat-' (dockpulp's prefix) in effect
  defaults: {
    delete_from_registry: false,
    pulp_secret_path: null,
    registry_secret_path: null,
    insecure_registry: null,
    dockpulp_loglevel: null,
    pulp_repo_prefix: 'redhat-',
    publish: true
  },
  async run(wf, args, log) {
    const name = String(args.pulp_registry_name ?? '')
    const dockerRegistry = String(args.docker_registry ?? '')
    if (!name) throw new PyException('RuntimeError', 'pulp_registry_name is required')
    if (!dockerRegistry) throw new PyException('RuntimeError', 'docker_registry is required')
    if (args.delete_from_registry) log.error('will not delete from registry as instructed: not implemented')
    let publish = args.publish !== false
    if (publish && comesAfter(wf.pluginNames('postbuild_plugins'), 'pulp_sync', 'pulp_push')) {
      log.info('publishing deferred until pulp_push plugin runs')
      publish = false
    }
    const env = wf.host.registries.pulpEnvironment(name)
    addPulpRegistry(wf.pushConf.pulp, name, env.craneHost, true)
    const prefix = String(args.pulp_repo_prefix)
    const crane: string[] = []
    for (const repository of groupByRepository(wf.images).keys()) {
      const repoId = prefix + repository.replace(/\//g, '-')
      if (!env.repository(repository)) log.info(`creating repo ${repoId}`)
      log.info(`syncing ${repoId} from ${dockerRegistry}`)
      try {
        const tags = wf.host.registries.pulpSync(name, dockerRegistry, repository)
        log.debug(`synced tags of ${repository}: ${tags.join(', ')}`)
      } catch (e) {
        throw new PyException('RuntimeError', (e as Error).message)
      }
      await wf.tick()
    }
    for (const image of wf.images) crane.push(`${env.craneHost}/${image.repository}:${image.tag ?? 'latest'}`)
    if (publish) for (const ref of crane) log.info(`image available at ${ref}`)
    log.info('fetching repository content')
    // the media types crane serves are pulp_pull's to report (store_metadata_in_osv3 takes them from its result)
    return crane
  }
})
