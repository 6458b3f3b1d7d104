/**
 * koji_tag_build (exit): the build koji_import or koji_promote made, tagged into the target's destination tag
 * (koji_util.tag_koji_build: `getBuildTarget`, `tagBuild`, then the task watched with `taskFinished` every
 * `poll_interval` seconds and read with `getTaskInfo`); a failed task fails the plugin. The result is the tag.
 */
import { definePlugin } from '../plugin.js'
import { tagKojiBuild } from '../util/koji-tag.js'
import { KojiSession } from '../util/koji-session.js'
import { PyException } from '../util/py.js'

export default definePlugin({
  key: 'koji_tag_build',
  // kojihub and target are required
  defaults: { koji_ssl_certs: null, koji_proxy_user: null, koji_principal: null, koji_keytab: null, poll_interval: 5 },
  async run(wf, args, log) {
    if (Boolean(args.koji_principal) !== Boolean(args.koji_keytab)) throw new PyException('RuntimeError', 'specify both koji_principal and koji_keytab or neither')
    if (wf.buildProcessFailed) {
      log.info('Build failed, skipping koji tagging')
      return null
    }
    const buildId = wf.results.get('koji_import') || wf.results.get('koji_promote')
    if (!buildId) {
      log.info('No koji build from koji_import or koji_promote')
      return null
    }
    const session = await KojiSession.create(wf, String(args.kojihub), args.koji_ssl_certs, true)
    return tagKojiBuild(wf, session, Number(buildId), String(args.target), Number(args.poll_interval))
  }
})
