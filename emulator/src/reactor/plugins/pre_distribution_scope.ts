/** distribution_scope (prebuild): the image's distribution-scope may not be wider than its parent's. */
import { definePlugin } from '../plugin.js'
import { dockerfileParse } from '../util/dockerfile-parse.js'
import type { Logger } from '../util/log.js'
import { PyException } from '../util/py.js'

/** From the narrowest to the widest. */
const SCOPES = ['private', 'authoritative-source-only', 'restricted', 'public']

export default definePlugin({
  key: 'distribution_scope',
  // no __init__ of its own: no arguments
  defaults: {},
  async run(wf, _args, log) {
    const scope = scopeOf(log, 'current', dockerfileParse(wf.dockerfile).labels)
    wf.inspectBase()
    const parent = scope === undefined ? undefined : scopeOf(log, 'parent', wf.baseImageLabels)
    if (scope === undefined || parent === undefined) {
      log.debug('no checks performed')
      return null
    }
    if (scope > parent) {
      const error = `distribution-scope=${SCOPES[scope]} but parent has distribution-scope=${SCOPES[parent]}`
      log.error(error)
      throw new PyException('DisallowedDistributionScope', error)
    }
    log.info('distribution scope checked')
    return null
  }
})

/** The index in SCOPES of an image's distribution-scope label, or undefined (logged) when unset or unknown. */
function scopeOf(log: Logger, which: string, labels: Record<string, string>): number | undefined {
  const choice = labels['distribution-scope']
  if (choice === undefined) {
    log.debug(`no distribution scope set for ${which} image`)
    return undefined
  }
  const scope = SCOPES.indexOf(choice)
  if (scope < 0) {
    log.warning(`invalid label distribution-scope=${choice} for ${which} image`)
    return undefined
  }
  return scope
}
