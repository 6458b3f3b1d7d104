/**
 * koji (prebuild): a yum repo for the build target's build tag, from the Koji hub (getBuildTarget, getTag,
 * getRepo). A hub that cannot be reached, or a target it does not have, fails the plugin with its message.
 */
import { definePlugin } from '../plugin.js'
import { kojiCall } from '../util/koji.js'
import { PyException } from '../util/py.js'

export default definePlugin({
  key: 'koji',
  // target, hub and root are required
  defaults: { proxy: null, koji_ssl_certs_dir: null },
  async run(wf, args, log) {
    const target = String(args.target)
    const hub = String(args.hub)
    const targetInfo = (await kojiCall(hub, 'getBuildTarget', [target], wf.host.signal)) as Record<string, any> | null
    if (targetInfo === null) {
      log.error(`provided target '${target}' doesn't exist`)
      throw new PyException('RuntimeError', `Provided target '${target}' doesn't exist!`)
    }
    const tagInfo = (await kojiCall(hub, 'getTag', [targetInfo.build_tag_name], wf.host.signal)) as Record<string, any> | null
    if (!tagInfo || !('name' in tagInfo)) {
      log.warning('No tag info was retrieved')
      return null
    }
    const repoInfo = (await kojiCall(hub, 'getRepo', [tagInfo.id], wf.host.signal)) as Record<string, any> | null
    if (!repoInfo || !('id' in repoInfo)) {
      log.warning('No repo info was retrieved')
      return null
    }
    const baseurl = `${String(args.root).replace(/\/+$/, '')}/repos/${tagInfo.name}/${repoInfo.id}/$basearch`
    log.info(`baseurl = '${baseurl}'`)
    const path = `/etc/yum.repos.d/${target}.repo`
    log.info(`yum repo of koji target: '${path}'`)
    wf.files.set(path, `[atomic-reactor-koji-plugin-${target}]\nname=atomic-reactor-koji-plugin-${target}\nbaseurl=${baseurl}\nenabled=1\ngpgcheck=0\n`)
    return null
  }
})
