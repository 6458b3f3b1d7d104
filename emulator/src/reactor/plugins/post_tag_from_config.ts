/** tag_from_config (postbuild): more tags, from `tag_suffixes` or the repository's `additional-tags` file. */
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { definePlugin } from '../plugin.js'
import { labelOf } from '../util/dockerfile.js'
import { ImageName } from '../util/imagename.js'
import type { Logger } from '../util/log.js'
import { PyException } from '../util/py.js'
import type { Workflow } from '../workflow.js'

const TAG_NAME = /^[\w][\w.-]{0,127}$/

export default definePlugin({
  key: 'tag_from_config',
  defaults: { tag_suffixes: null },
  async run(wf, args, log) {
    if (!wf.builtImage) throw new PyException('RuntimeError', 'There is no inspect data for built image. Has the build succeeded?')
    const labels = wf.builtImage.labels
    const name = () => {
      const n = labelOf(labels, 'name', 'Name')
      if (n === undefined) {
        log.error('Unable to determine component from "Labels"')
        throw new PyException('KeyError', 'name')
      }
      return n
    }
    const suffixes = args.tag_suffixes as { unique?: string[]; primary?: string[] } | null
    if (suffixes !== null) return fromSuffixes(wf, log, name, labels, suffixes)
    const file = join(dirname(wf.dockerfilePath), 'additional-tags')
    const text = await readFile(file, 'utf8').catch(() => undefined)
    const tags: string[] = []
    if (text === undefined) {
      log.debug(`"${file}" not found. No additional tags will be applied.`)
      return tags
    }
    for (const raw of text.split('\n').slice(0, text.endsWith('\n') ? -1 : undefined)) {
      const tag = raw.trim()
      if (TAG_NAME.test(tag) && !tag.includes('-')) tags.push(tag)
      else log.warning(`tag '${tag}' does not match '${TAG_NAME.source}'or includes dashes, ignoring`)
    }
    return tags.map((suffix) => {
      const tag = `${name()}:${suffix}`
      log.debug(`Using additional tag: ${tag}`)
      wf.tagConf.primary.push(ImageName.parse(tag))
      return tag
    })
  }
})

/** The tags `tag_suffixes` names: unique ones as they are, primary ones with `{label}` from the image's labels. */
function fromSuffixes(wf: Workflow, log: Logger, name: () => string, labels: Record<string, string>, suffixes: { unique?: string[]; primary?: string[] }): string[] {
  const tags: string[] = []
  for (const suffix of suffixes.unique ?? []) {
    const tag = `${name()}:${suffix}`
    log.debug(`Using additional unique tag ${tag}`)
    wf.tagConf.unique.push(ImageName.parse(tag))
    tags.push(tag)
  }
  for (const suffix of suffixes.primary ?? []) {
    // LabelFormatter: {label} from the image's labels
    const tag = `${name()}:${suffix.replace(/\{([^{}]+)\}/g, (_m, k: string) => {
      if (labels[k] === undefined) throw new PyException('KeyError', k)
      return labels[k]!
    })}`
    log.debug(`Using additional primary tag ${tag}`)
    wf.tagConf.primary.push(ImageName.parse(tag))
    tags.push(tag)
  }
  return tags
}
