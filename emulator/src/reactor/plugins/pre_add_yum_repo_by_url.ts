/** add_yum_repo_by_url (prebuild): fetches each repo file into the workflow's files, for inject_yum_repo. */
import { basename, join } from 'node:path'
import { definePlugin } from '../plugin.js'
import { YUM_REPOS_DIR } from '../util/constants.js'
import { PyException } from '../util/py.js'

export default definePlugin({
  key: 'add_yum_repo_by_url',
  // repourls is required
  defaults: { repourls: [], inject_proxy: null },
  async run(wf, args, log) {
    for (const repourl of args.repourls as string[]) {
      let content: string
      try {
        const res = await fetch(repourl, { signal: wf.host.signal })
        if (!res.ok) throw new PyException('HTTPError', `${res.status} Client Error: ${res.statusText} for url: ${repourl}`)
        content = await res.text()
      } catch (e) {
        if (e instanceof PyException || wf.host.signal.aborted) throw e
        throw new PyException('ConnectionError', `${repourl}: ${(e as Error).message}`)
      }
      log.info(`fetched repo from '${repourl}'`)
      if (args.inject_proxy) {
        content = content.replace(/^(\[[^\]]+\]\s*\n)/gm, `$1proxy = ${String(args.inject_proxy)}\n`)
      }
      const dst = join(YUM_REPOS_DIR, basename(decodeURIComponent(new URL(repourl).pathname)))
      wf.files.set(dst, content)
      log.debug(`saving repo '${dst}', length ${Buffer.byteLength(content)}`)
    }
    return null
  }
})
