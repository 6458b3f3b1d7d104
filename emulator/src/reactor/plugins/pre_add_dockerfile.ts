/** add_dockerfile (prebuild): the Dockerfile goes into the image as `<destdir>/Dockerfile-<n-v-r>`. */
import { copyFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { definePlugin } from '../plugin.js'
import { dockerfileLines, dockerfileParse } from '../util/dockerfile-parse.js'
import { labelOf } from '../util/dockerfile.js'
import { PyException } from '../util/py.js'
import type { Workflow } from '../workflow.js'

export default definePlugin({
  key: 'add_dockerfile',
  defaults: { nvr: null, destdir: '/root/buildinfo/', use_final_dockerfile: false },
  async run(wf, args, log) {
    let nvr = args.nvr as string | null
    if (nvr === null) {
      const labels = dockerfileParse(wf.dockerfile).labels
      const name = labelOf(labels, 'name', 'Name')
      const version = labelOf(labels, 'version', 'Version')
      const release = labelOf(labels, 'release', 'Release')
      if (name === undefined || version === undefined || release === undefined) {
        throw new PyException('ValueError', 'You have to specify either nvr arg or name/version/release labels.')
      }
      nvr = `${name}-${version}-${release}`.replace(/\//g, '-')
    }
    const dfName = `Dockerfile-${nvr}`
    const dfPath = join(String(args.destdir), dfName)
    if (!args.use_final_dockerfile) await copyFile(wf.dockerfilePath, join(dirname(wf.dockerfilePath), dfName))
    const content = args.use_final_dockerfile ? `ADD Dockerfile ${dfPath}` : `ADD ${dfName} ${dfPath}`
    await insertBeforeLast(wf, content)
    log.info(`added ${dfPath}`)
    return content
  }
})

/** `lines.insert(-1, line)`: before the last line. */
async function insertBeforeLast(wf: Workflow, line: string): Promise<void> {
  const l = dockerfileLines(wf.dockerfile)
  l.splice(Math.max(0, l.length - 1), 0, line + '\n')
  await wf.setDockerfile(l.join(''))
}
