/**
 * store_metadata_in_osv3 (exit): the Build's annotations — `dockerfile`, `logs`, `rpm-packages`, `repositories`,
 * `commit_id`, `base-image-id`, `base-image-name`, `image-id`, `digests`, `plugins-metadata` and when they apply
 * `help_file`, `v1-image-id`, `media-types`, `tar_metadata` — as osbs-client's set_annotations_on_build writes them.
 */
import { definePlugin } from '../plugin.js'
import { PyException, pyJsonDumps, pyRepr } from '../util/py.js'
import { HELP_GENERATED, NO_HELP_FILE_FOUND } from './pre_add_help.js'

export default definePlugin({
  key: 'store_metadata_in_osv3',
  // url is required; the host writes the Build, the imitation does not use them
  defaults: { verify_ssl: true, use_auth: true },
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
    const help = wf.results.get('add_help') as { help_file?: string; status?: number } | undefined
    if (help && typeof help === 'object' && 'help_file' in help && 'status' in help) {
      if (help.status === NO_HELP_FILE_FOUND) annotations['help_file'] = 'null'
      else if (help.status === HELP_GENERATED) annotations['help_file'] = pyJsonDumps(help.help_file)
      else log.error(`Unknown result from add_help plugin: ${pyRepr(help)}`)
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
    // make_labels: the Koji build koji_import or koji_promote made (osbs-client's update_labels_on_build)
    const kojiBuildId = wf.results.get('koji_import') || wf.results.get('koji_promote')
    const labels: Record<string, string> = kojiBuildId ? { 'koji-build-id': String(kojiBuildId) } : {}
    if (Object.keys(labels).length) wf.host.mergeBuildLabels?.(labels)
    return { annotations, labels }
  }
})
