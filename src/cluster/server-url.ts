/**
 * The API server URL: scheme, host and port only. User info would put a password into every message that names
 * the server; a path, query or fragment would make every request URL wrong. Pure.
 */
import { withoutUserInfo } from '../shared/mask.js'
import { trimEndChar } from '../shared/linear-text.js'

export const SERVER_URL_FORMAT = 'the API server URL as scheme, host and port only: https://host:port (no user:password@, path, query or fragment; credentials go into openshift-token or a kubeconfig)'

/** `value` for a message: its user info, if any, replaced by `***`. */
export function shownUrl(value: string): string {
  return withoutUserInfo(value)
}

/**
 * Checks a server URL. `allowPath`: a kubeconfig's server may carry a path prefix (an API behind a gateway).
 * Returns the URL without trailing slashes, or the reason it is refused (never quoting user info).
 */
export function checkServerUrl(value: string, options: { allowPath?: boolean } = {}): { url: string } | { reason: string } {
  if (/[\s\x00-\x1f\x7f]/.test(value)) return { reason: 'it contains a space or a control character' }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(value)
  if (!scheme) return { reason: 'it does not start with https:// (or http://)' }
  if (!['http', 'https'].includes(scheme[1].toLowerCase())) return { reason: `the scheme ${scheme[1]}: is not http or https` }
  const authority = value.slice(scheme[0].length).split(/[/?#]/)[0]
  if (authority.includes('@')) return { reason: 'it has user info (user:password@ before the host, not shown); give the credentials as openshift-token or in a kubeconfig' }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return { reason: 'it is not a URL' }
  }
  if (url.hostname === '') return { reason: 'it names no host' }
  if (url.search !== '' || value.includes('?')) return { reason: 'it has a query (?…); give scheme, host and port only' }
  if (url.hash !== '' || value.includes('#')) return { reason: 'it has a fragment (#…); give scheme, host and port only' }
  if (!options.allowPath && url.pathname !== '/' && url.pathname !== '') return { reason: `it has a path (${url.pathname}); give scheme, host and port only` }
  return { url: trimEndChar(value, '/') }
}
