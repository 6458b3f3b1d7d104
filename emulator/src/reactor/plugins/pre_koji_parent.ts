/**
 * koji_parent (prebuild): the parent image's Koji build, named by its labels (`com.redhat.component`, `version`,
 * `release`), asked of the hub (`getBuild`) every `poll_interval` seconds until it exists or `poll_timeout` has
 * passed; its id is the result. A parent without those labels is not waited for.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { definePlugin } from '../plugin.js'
import { KojiSession } from '../util/koji-session.js'
import { PyException } from '../util/py.js'

export default definePlugin({
  key: 'koji_parent',
  // koji_hub is required
  defaults: { koji_ssl_certs_dir: null, poll_interval: 10, poll_timeout: 600 },
  async run(wf, args, log) {
    const session = await KojiSession.create(wf, String(args.koji_hub), args.koji_ssl_certs_dir, false)
    wf.inspectBase()
    const labels = wf.baseImageLabels
    for (const name of ['com.redhat.component', 'version', 'release']) {
      if (!(name in labels)) {
        log.info(`Failed to find label '${name}' in parent image. Not waiting for Koji build.`)
        return null
      }
    }
    const nvr = `${labels['com.redhat.component']}-${labels.version}-${labels.release}`
    const start = Date.now()
    log.info(`Waiting for parent image Koji build ${nvr}`)
    let build: Record<string, unknown> | null = null
    while (Date.now() - start < Number(args.poll_timeout) * 1000) {
      build = (await session.call('getBuild', [nvr])) as Record<string, unknown> | null
      if (build !== null) {
        log.info('Parent image Koji build found')
        break
      }
      await sleep(Number(args.poll_interval) * 1000, undefined, { signal: wf.host.signal })
    }
    if (build === null) throw new PyException('ValueError', 'Parent image Koji build NOT found!')
    return { 'parent-image-koji-build-id': build.id }
  }
})
