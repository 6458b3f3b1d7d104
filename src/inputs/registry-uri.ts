/**
 * Registry URIs of SPEC §2: `[http[s]://]host[:port][/v1|/v2]`. No suffix means v1 (OSBS design).
 */
import type { RegistrySettings, RegistryVersion } from '../settings.js'

export const REGISTRY_URI_FORMAT = '[http[s]://]host[:port][/v1|/v2]'

const HOST = String.raw`(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[-A-Za-z0-9.]*[A-Za-z0-9])?)(?::[0-9]{1,5})?`
const REGISTRY_RE = new RegExp(String.raw`^(?:(https?)://)?(${HOST})(?:/(v[0-9]+)?)?/?$`)

export type ParsedRegistry = Omit<RegistrySettings, 'secret'>

/** Parses one registry URI; returns a reason (for the error message) when it is not valid. */
export function parseRegistryUri(uri: string): { registry: ParsedRegistry } | { reason: string } {
  const match = REGISTRY_RE.exec(uri)
  if (!match) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !/^https?:\/\//i.test(uri)) {
      return { reason: 'only http:// and https:// are accepted as a scheme' }
    }
    return { reason: `expected ${REGISTRY_URI_FORMAT}` }
  }
  const scheme = match[1] as 'http' | 'https' | undefined
  const host = match[2]
  const port = /:(\d+)$/.exec(host.replace(/^\[.*\]/, ''))
  if (port && (Number(port[1]) < 1 || Number(port[1]) > 65535)) {
    return { reason: `port ${port[1]} is out of range` }
  }
  const suffix = match[3]
  if (suffix !== undefined && suffix !== 'v1' && suffix !== 'v2') {
    return { reason: `unknown registry API version /${suffix}: the accepted suffixes are /v1 and /v2` }
  }
  const version: RegistryVersion = (suffix as RegistryVersion | undefined) ?? 'v1'
  return {
    registry: {
      uri,
      scheme,
      host,
      base: scheme ? `${scheme}://${host}` : host,
      version,
      versionExplicit: suffix !== undefined,
      insecure: scheme !== 'https'
    }
  }
}
