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
        const proxied = withProxy(content, String(args.inject_proxy))
        if (proxied === undefined) log.warning(`Invalid repo file found: '${content}'`)
        else content = proxied
      }
      const dst = join(YUM_REPOS_DIR, basename(decodeURIComponent(new URL(repourl).pathname)))
      wf.files.set(dst, content)
      log.debug(`saving repo '${dst}', length ${Buffer.byteLength(content)}`)
    }
    return null
  }
})

/**
 * YumRepo.set_proxy_for_all_repos: the file read by Python 3's configparser (strict: a repeated section or option,
 * or an option before any section, is invalid: undefined) with `proxy` set in every section, written back as
 * `ConfigParser.write` writes it (`[section]`, `key = value` with keys lower-cased, comments dropped, a blank line
 * after each section).
 */
export function withProxy(text: string, proxy: string): string | undefined {
  const sections = new Map<string, Map<string, string>>()
  let current: Map<string, string> | undefined
  let last: string | undefined
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || /^\s*[#;]/.test(raw)) {
      last = undefined
      continue
    }
    if (/^\s/.test(raw) && current && last !== undefined) {
      current.set(last, `${current.get(last)}\n${raw.trim()}`)
      continue
    }
    const section = /^\[([^\]]+)\]/.exec(raw)
    if (section) {
      if (sections.has(section[1]!)) return undefined
      current = new Map()
      sections.set(section[1]!, current)
      last = undefined
      continue
    }
    const option = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw)
    if (!option || !current) return undefined
    const key = option[1]!.trim().toLowerCase()
    if (current.has(key)) return undefined
    current.set(key, option[2]!.trim())
    last = key
  }
  let out = ''
  for (const [name, options] of [...sections].sort(([a], [b]) => (a === 'DEFAULT' ? -1 : b === 'DEFAULT' ? 1 : 0))) {
    if (name !== 'DEFAULT') options.set('proxy', proxy)
    out += `[${name}]\n`
    for (const [key, value] of options) out += `${key} = ${value.replace(/\n/g, '\n\t')}\n`
    out += '\n'
  }
  return out
}
