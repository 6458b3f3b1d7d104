/** fetch_maven_artifacts (prebuild): nothing to fetch without fetch-artifacts-koji.yaml / fetch-artifacts-url.yaml. */
import { access } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { definePlugin } from '../plugin.js'
import { PyException } from '../util/py.js'

export default definePlugin({
  key: 'fetch_maven_artifacts',
  // koji_hub and koji_root are required
  defaults: { koji_proxyuser: null, koji_ssl_certs_dir: null, koji_krb_principal: null, koji_krb_keytab: null, allowed_domains: null },
  async run(wf, _args, log) {
    const dir = dirname(wf.dockerfilePath)
    const present: string[] = []
    for (const file of ['fetch-artifacts-koji.yaml', 'fetch-artifacts-url.yaml']) {
      if (
        await access(join(dir, file)).then(
          () => true,
          () => false
        )
      )
        present.push(file)
      else log.debug(`${file} not found`)
    }
    if (present.length) throw new PyException('RuntimeError', `fetch_maven_artifacts: ${present.join(' and ')} name artifacts, which the local OpenShift cannot fetch (no Koji archives, no Maven)`)
    return []
  }
})
