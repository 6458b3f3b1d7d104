/**
 * koji (prebuild): a yum repo for the build target's build tag, from the Koji hub (getBuildTarget, getTag,
 * getRepo), its baseurl under the hub's `root` as koji.PathInfo.repo names it (`ROOT/repos/TAG/REPO_ID/$basearch`,
 * which the local hub serves), rendered as atomic_reactor.util.render_yum_repo renders it. With koji_ssl_certs_dir
 * the session logs in first. A hub that cannot be reached, or a target it does not have, fails the plugin with its
 * message.
 */
import { definePlugin } from '../plugin.js'
import { KojiSession } from '../util/koji-session.js'
import { PyException, pyStrRepr } from '../util/py.js'

export default definePlugin({
  key: 'koji',
  // target, hub and root are required
  defaults: { proxy: null, koji_ssl_certs_dir: null },
  async run(wf, args, log) {
    const target = String(args.target)
    const session = await KojiSession.create(wf, String(args.hub), args.koji_ssl_certs_dir, false)
    const targetInfo = (await session.call('getBuildTarget', [target])) as Record<string, any> | null
    if (targetInfo === null) {
      log.error(`provided target '${target}' doesn't exist`)
      throw new PyException('RuntimeError', `Provided target '${target}' doesn't exist!`)
    }
    const tagInfo = (await session.call('getTag', [targetInfo.build_tag_name])) as Record<string, any> | null
    if (!tagInfo || !('name' in tagInfo)) {
      log.warning('No tag info was retrieved')
      return null
    }
    const repoInfo = (await session.call('getRepo', [tagInfo.id])) as Record<string, any> | null
    if (!repoInfo || !('id' in repoInfo)) {
      log.warning('No repo info was retrieved')
      return null
    }
    // koji.PathInfo(topdir=root).repo(): the root as given, no slash trimmed
    const baseurl = `${String(args.root)}/repos/${tagInfo.name}/${repoInfo.id}/$basearch`
    log.info(`baseurl = '${baseurl}'`)
    const name = `atomic-reactor-koji-plugin-${target}`
    const repo: [string, unknown][] = [
      ['name', name],
      ['baseurl', baseurl],
      ['enabled', 1],
      ['gpgcheck', 0]
    ]
    if (baseurl.startsWith('https://')) {
      log.info('Ignoring certificates in the repo')
      repo.push(['sslverify', 0])
    }
    if (args.proxy) {
      log.info(`Setting yum proxy to ${String(args.proxy)}`)
      repo.push(['proxy', args.proxy])
    }
    const path = `/etc/yum.repos.d/${target}.repo`
    log.info(`yum repo of koji target: '${path}'`)
    const util = wf.log.logger('atomic_reactor.util')
    util.info(`rendering repo '${name}'`)
    const rendered = `[${name}]\n${repo.map(([k, v]) => `${k}=${String(v)}\n`).join('')}`
    util.info(`rendered repo: ${pyStrRepr(rendered)}`)
    wf.files.set(path, rendered)
    return null
  }
})
