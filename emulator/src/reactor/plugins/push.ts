/** tag_by_labels, tag_and_push, pulp_push, pulp_sync (postbuild). */
import { registryHost } from '../../registry.js'
import { labelOf } from '../util/dockerfile.js'
import { ImageName } from '../util/imagename.js'
import { PyException, pyRepr } from '../util/py.js'
import type { Plugin, PulpRegistry, Workflow } from '../workflow.js'

export const tagByLabels: Plugin = {
  key: 'tag_by_labels',
  async run(wf, args, log) {
    // its constructor takes **kwargs and warns about them itself
    const extra = Object.entries(args).filter(([k]) => k !== 'unique_tag_only')
    if (extra.length) log.warning(`ignoring arguments ${pyRepr(Object.fromEntries(extra))}`)
    if (!wf.builtImage) throw new PyException('RuntimeError', 'There are no inspect data of built image. Have the build succeeded?')
    const labels = wf.builtImage.labels
    if (!Object.keys(labels).length) throw new PyException('RuntimeError', 'No labels specified.')
    // atomic-reactor at this time looked labels up with dict.get: a missing one yields "None"
    const name = labelOf(labels, 'name', 'Name') ?? 'None'
    const version = labelOf(labels, 'version', 'Version') ?? 'None'
    const release = labelOf(labels, 'release', 'Release') ?? 'None'
    const uniqueTag = ImageName.parse(wf.outputImage).tag ?? 'latest'
    const unique = ImageName.parse(name).copy({ tag: uniqueTag })
    wf.tagConf.unique.push(unique)
    if (!args.unique_tag_only) {
      for (const tag of [`${version}-${release}`, version, 'latest']) wf.tagConf.primary.push(ImageName.parse(name).copy({ tag }))
    }
    log.debug(`tags: ${wf.images.map((i) => i.toString()).join(', ')}`)
    return null
  }
}

export const tagAndPush: Plugin = {
  key: 'tag_and_push',
  async run(wf, args, log) {
    const core = wf.log.logger('atomic_reactor.core')
    const registries = (args.registries ?? {}) as Record<string, { insecure?: boolean; secret?: string }>
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
}

function addPulpRegistry(wf: Workflow, name: string, uri: string, serverSideSync: boolean): PulpRegistry {
  const existing = wf.pushConf.pulp.find((p) => p.name === name)
  if (existing) {
    if (existing.uri !== uri) throw new PyException('RuntimeError', `Conflicting Pulp registries with name: ${name}`)
    existing.serverSideSync = existing.serverSideSync || serverSideSync
    return existing
  }
  const entry: PulpRegistry = { kind: 'pulp', name, uri, serverSideSync }
  wf.pushConf.pulp.push(entry)
  return entry
}

/** Whether plugin `later` comes after plugin `first` in postbuild_plugins. */
function comesAfter(wf: Workflow, first: string, later: string): boolean {
  const names = (wf.config.postbuild_plugins ?? []).map((p) => p.name)
  const i = names.indexOf(first)
  const j = names.indexOf(later)
  return i >= 0 && j > i
}

function groupByRepository(images: ImageName[]): Map<string, string[]> {
  const groups = new Map<string, string[]>()
  for (const image of images) {
    const tags = groups.get(image.repository) ?? []
    if (!tags.includes(image.tag ?? 'latest')) tags.push(image.tag ?? 'latest')
    groups.set(image.repository, tags)
  }
  return groups
}

export const pulpPush: Plugin = {
  key: 'pulp_push',
  async run(wf, args, log) {
    const name = String(args.pulp_registry_name ?? '')
    if (!name) throw new PyException('RuntimeError', 'pulp_registry_name is required')
    if (!wf.builtImage) throw new PyException('RuntimeError', 'no image built')
    let publish = args.publish !== false
    if (publish && comesAfter(wf, 'pulp_push', 'pulp_sync')) {
      log.info('publishing deferred until pulp_sync plugin runs')
      publish = false
    }
    const env = wf.host.registries.pulpEnvironment(name)
    if (args.pulp_secret_path) log.debug(`using pulp certificates from ${String(args.pulp_secret_path)}`)
    const images = [...wf.images, ...((args.image_names as string[] | undefined) ?? []).map((s) => ImageName.parse(s))]
    const v1 = wf.v1ImageIdFor()
    if (args.load_squashed_image !== undefined && args.load_exported_image !== undefined && args.load_squashed_image !== args.load_exported_image) {
      throw new PyException('RuntimeError', "Can't use load_squashed_image and load_exported_image with different values")
    }
    if (args.load_squashed_image !== undefined) log.warning('load_squashed_image argument is obsolete and will be removed in a future version; please use load_exported_image instead')
    const loadExported = args.load_exported_image || args.load_squashed_image || false
    if (loadExported && !wf.exportedImages.length) throw new PyException('RuntimeError', 'no exported image to push to pulp')
    const tarball = loadExported ? wf.exportedImages[wf.exportedImages.length - 1]!.path : `${wf.workDir}/image.tar`
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
    addPulpRegistry(wf, name, env.craneHost, false)
    wf.v1ImageId = v1
    wf.mediaTypes.add('application/json')
    return [v1, crane]
  }
}

export const pulpSync: Plugin = {
  key: 'pulp_sync',
  async run(wf, args, log) {
    const name = String(args.pulp_registry_name ?? '')
    const dockerRegistry = String(args.docker_registry ?? '')
    if (!name) throw new PyException('RuntimeError', 'pulp_registry_name is required')
    if (!dockerRegistry) throw new PyException('RuntimeError', 'docker_registry is required')
    if (args.delete_from_registry) log.error('will not delete from registry as instructed: not implemented')
    let publish = args.publish !== false
    if (publish && comesAfter(wf, 'pulp_sync', 'pulp_push')) {
      log.info('publishing deferred until pulp_push plugin runs')
      publish = false
    }
    const env = wf.host.registries.pulpEnvironment(name)
    addPulpRegistry(wf, name, env.craneHost, true)
    const prefix = String(args.pulp_repo_prefix ?? 'redhat-')
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
    // what crane then serves for synced content (pulp_pull would report these)
    wf.mediaTypes.add('application/vnd.docker.distribution.manifest.v1+json')
    wf.mediaTypes.add('application/vnd.docker.distribution.manifest.v2+json')
    return crane
  }
}
