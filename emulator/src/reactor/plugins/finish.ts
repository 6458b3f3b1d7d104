/** compress, import_image (postbuild); delete_from_registry, store_metadata_in_osv3, remove_built_image (exit). */
import { createHash } from 'node:crypto'
import { registryHost } from '../../registry.js'
import { PyException, pyJsonDumps } from '../util/py.js'
import type { Plugin } from '../workflow.js'

export const compress: Plugin = {
  key: 'compress',
  async run(wf, args, log) {
    const method = String(args.method ?? 'gzip')
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
}

/**
 * import_image as atomic-reactor 1.6.26.3 has it: the ImageStream is made when it cannot be read, then the tags to
 * import are the primary repositories of the build step's result annotations — which only orchestrate_build gives.
 * After any other build step (docker_api) there are none, and the plugin fails: 'Could not find primary images in
 * workflow' (later versions fall back to the tags tag_by_labels made; 1.6.26.3 does not).
 */
export const importImage: Plugin = {
  key: 'import_image',
  async run(wf, args, log) {
    const imagestream = String(args.imagestream ?? '')
    const repo = String(args.docker_image_repo ?? '')
    if (!wf.host.getImageStream(imagestream)) {
      log.info(`Creating ImageStream ${imagestream} for ${repo}`)
      wf.host.createImageStream(imagestream, repo, args.insecure_registry === true)
    }
    log.info(`Importing new tags for ${imagestream}`)
    // build_result.annotations is None after docker_api: ['repositories'] raises TypeError, logged by log.exception
    log.error(
      [
        'Unable to read primary repositories annotations',
        'Traceback (most recent call last):',
        '  File "/usr/lib/python2.7/site-packages/atomic_reactor/plugins/post_import_image.py", line 87, in run',
        "    primaries = self.workflow.build_result.annotations['repositories']['primary']",
        "TypeError: 'NoneType' object has no attribute '__getitem__'"
      ].join('\n')
    )
    throw new PyException('RuntimeError', 'Could not find primary images in workflow')
  }
}

export const deleteFromRegistry: Plugin = {
  key: 'delete_from_registry',
  async run(wf, args, log) {
    const registries = (args.registries ?? {}) as Record<string, { insecure?: boolean; secret?: string }>
    const deleted: string[] = []
    for (const registry of Object.keys(registries)) {
      const host = registryHost(registry)
      const url = /^[a-z]+:\/\//i.test(registry) ? registry.replace(/\/+$/, '') : `https://${registry}`
      const pushed = wf.pushConf.docker.find((r) => registryHost(r.uri) === host)
      if (!pushed) continue
      let any = false
      const seen = new Set<string>()
      for (const [repoTag, digests] of pushed.digests) {
        const repository = repoTag.slice(0, repoTag.lastIndexOf(':'))
        const key = `${repository}@${digests.v2}`
        if (seen.has(key)) continue
        seen.add(key)
        const ok = await wf.host.backend.deleteManifest(host, repository, digests.v2)
        if (ok) {
          log.info(`deleted manifest ${url}/v2/${repository}/manifests/${digests.v2}`)
          deleted.push(`${host}/${key}`)
          any = true
        } else log.warning(`cannot delete ${url}/v2/${repository}/manifests/${digests.v2}: not found`)
        await wf.tick()
      }
      if (any) wf.pushConf.docker.splice(wf.pushConf.docker.indexOf(pushed), 1)
    }
    return deleted
  }
}

export const storeMetadataInOsv3: Plugin = {
  key: 'store_metadata_in_osv3',
  async run(wf, _args, log) {
    log.info(`build id = ${wf.buildName}`)
    const registries = [...wf.pushConf.docker, ...wf.pushConf.pulp]
    const primary: string[] = []
    const unique: string[] = []
    for (const reg of registries) {
      for (const image of wf.tagConf.primary) primary.push(`${reg.uri}/${image.toString({ registry: false })}`)
      for (const image of wf.tagConf.unique) unique.push(`${reg.uri}/${image.toString({ registry: false })}`)
    }
    const digestMap = new Map<string, string>()
    for (const reg of wf.pushConf.docker) {
      for (const image of wf.images) {
        const key = `${image.repository}:${image.tag ?? 'latest'}`
        const d = reg.digests.get(key)
        if (d) digestMap.set(key, d.v2)
      }
    }
    const digests: Record<string, string>[] = []
    for (const reg of registries) {
      for (const image of wf.images) {
        const key = `${image.repository}:${image.tag ?? 'latest'}`
        const digest = digestMap.get(key)
        if (digest) digests.push({ registry: reg.uri, repository: image.repository, tag: image.tag ?? 'latest', digest })
      }
    }
    const annotations: Record<string, string> = {
      dockerfile: wf.dockerfile,
      logs: '',
      'rpm-packages': '',
      repositories: pyJsonDumps({ primary, unique }),
      commit_id: wf.commitId,
      'base-image-id': wf.baseImageId,
      'base-image-name': wf.baseImageName,
      'image-id': wf.imageId,
      digests: pyJsonDumps(digests),
      'plugins-metadata': pyJsonDumps({ errors: wf.errors, timestamps: wf.timestamps, durations: wf.durations })
    }
    if (wf.v1ImageId) annotations['v1-image-id'] = wf.v1ImageId
    if (wf.mediaTypes.size) annotations['media-types'] = pyJsonDumps([...wf.mediaTypes].sort())
    const last = wf.exportedImages[wf.exportedImages.length - 1]
    if (last) {
      annotations['tar_metadata'] = pyJsonDumps({
        size: last.size,
        md5sum: last.md5sum,
        sha256sum: last.sha256sum,
        filename: last.path.slice(last.path.lastIndexOf('/') + 1)
      })
    }
    try {
      // osbs-client's set_annotations_on_build: GET, `metadata.annotations = values`, PUT — a replace
      wf.host.setBuildAnnotations(annotations)
    } catch (e) {
      log.debug(`annotations: ${JSON.stringify(annotations).slice(0, 2000)}`)
      throw new PyException('OsbsResponseException', (e as Error).message)
    }
    return { annotations, labels: {} }
  }
}

export const removeBuiltImage: Plugin = {
  key: 'remove_built_image',
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
}
