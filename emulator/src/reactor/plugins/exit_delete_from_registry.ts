/**
 * delete_from_registry (exit): deletes the pushed manifests from the listed registries, through the host's build
 * backend; a registry whose manifests all went leaves push_conf.
 */
import { registryHost } from '../../images/pullspec.js'
import { definePlugin } from '../plugin.js'

export default definePlugin({
  key: 'delete_from_registry',
  // registries is required
  defaults: { registries: {} },
  async run(wf, args, log) {
    const registries = args.registries as Record<string, { insecure?: boolean; secret?: string }>
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
        if (await wf.host.backend.deleteManifest(host, repository, digests.v2)) {
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
})
