/**
 * tag_by_labels (postbuild): unique `name:<tag of spec.output.to>`; then, unless `unique_tag_only` (a scratch
 * build's), primary `name:version-release`, `name:version`, `name:latest`. As 1.6.26.3: with `unique_tag_only`
 * the version and release labels are not looked up at all, and `if self.unique_tag_only` is Python's truth test.
 */
import { definePlugin } from '../plugin.js'
import { labelOf } from '../util/dockerfile.js'
import { ImageName } from '../util/imagename.js'
import { PyException, pyRepr, pyTruthy } from '../util/py.js'

export default definePlugin({
  key: 'tag_by_labels',
  defaults: { unique_tag_only: false },
  async run(wf, args, log) {
    // its constructor takes **kwargs and warns about them itself
    const extra = Object.entries(args).filter(([k]) => k !== 'unique_tag_only')
    if (extra.length) log.warning(`ignoring arguments ${pyRepr(Object.fromEntries(extra))}`)
    if (!wf.builtImage) throw new PyException('RuntimeError', 'There are no inspect data of built image. Have the build succeeded?')
    const labels = wf.builtImage.labels
    if (!Object.keys(labels).length) throw new PyException('RuntimeError', 'No labels specified.')
    // atomic-reactor at this time looked labels up with dict.get: a missing one yields "None"
    const name = labelOf(labels, 'name', 'Name') ?? 'None'
    const uniqueTag = ImageName.parse(wf.outputImage).tag ?? 'latest'
    const unique = ImageName.parse(name).copy({ tag: uniqueTag })
    wf.tagConf.unique.push(unique)
    if (pyTruthy(args.unique_tag_only)) {
      log.debug('Skipping transient tags')
      return null
    }
    const version = labelOf(labels, 'version', 'Version') ?? 'None'
    const release = labelOf(labels, 'release', 'Release') ?? 'None'
    for (const tag of [`${version}-${release}`, version, 'latest']) wf.tagConf.primary.push(ImageName.parse(name).copy({ tag }))
    log.debug(`tags: ${wf.images.map((i) => i.toString()).join(', ')}`)
    return null
  }
})
