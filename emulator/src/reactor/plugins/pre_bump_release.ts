/**
 * bump_release (prebuild): no release label → ask the Koji hub (`getNextRelease`, then `getBuild` until unused) and
 * set it. With koji_ssl_certs_dir the session logs in when the plugin is made (before the labels are read).
 */
import { definePlugin } from '../plugin.js'
import { dockerfileParse } from '../util/dockerfile-parse.js'
import { shellQuote } from '../util/dockerfile.js'
import { KojiSession } from '../util/koji-session.js'
import { PyException, pyRepr } from '../util/py.js'

/** get_patched_release: split on the first two dots, increment the first part, drop a numeric second part. */
export function patchedRelease(original: string, increment = false): string {
  const parts = original.split('.')
  let release: string | undefined = parts[0]
  let suffix: string | undefined = parts[1]
  const rest: string | undefined = parts.length > 2 ? parts.slice(2).join('.') : undefined
  if (increment) {
    const n = Number.parseInt(release ?? '', 10)
    if (!/^\s*[-+]?\d+\s*$/.test(release ?? '')) throw new PyException('ValueError', `invalid literal for int() with base 10: '${release}'`)
    release = String(n + 1)
  }
  if (suffix !== undefined && /^\d+$/.test(suffix)) suffix = undefined
  return [release, suffix, rest].filter((p) => p !== undefined).join('.')
}

export default definePlugin({
  key: 'bump_release',
  // hub is required
  defaults: { target: null, koji_ssl_certs_dir: null },
  async run(wf, args, log) {
    const session = await KojiSession.create(wf, String(args.hub), args.koji_ssl_certs_dir, false)
    const labels = dockerfileParse(wf.dockerfile).labels
    if ('release' in labels || 'Release' in labels) {
      log.debug('release set explicitly so not incrementing')
      return null
    }
    const componentKey = 'com.redhat.component' in labels ? 'com.redhat.component' : 'BZComponent' in labels ? 'BZComponent' : 'com.redhat.component'
    const component = labels[componentKey]
    if (component === undefined) throw new PyException('RuntimeError', `missing label: ${componentKey}`)
    const versionKey = 'version' in labels ? 'version' : 'Version' in labels ? 'Version' : 'version'
    const version = labels[versionKey]
    if (version === undefined) throw new PyException('RuntimeError', `missing label: ${versionKey}`)
    const hub = String(args.hub)
    log.debug(`getting next release from build info: ${pyRepr({ name: component, version })}`)
    let next = patchedRelease(String(await session.call('getNextRelease', [{ name: component, version }])))
    for (;;) {
      const info = { name: component, version, release: next }
      log.debug(`checking that the build does not exist: ${pyRepr(info)}`)
      if (!(await session.call('getBuild', [info]))) break
      next = patchedRelease(next, true)
    }
    const preferred = 'release' in labels ? 'release' : 'Release' in labels ? 'Release' : 'release'
    const toSet = 'BZComponent' in labels ? ['release', 'Release'] : [preferred]
    for (const key of toSet) {
      log.info(`setting ${key}=${next}`)
      await wf.appendToDockerfile(`LABEL ${key}=${shellQuote(next)}`)
    }
    wf.kojiBuild = { hub, name: component, version, release: next }
    return null
  }
})
