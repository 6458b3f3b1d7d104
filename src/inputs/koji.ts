/** The Koji inputs besides koji-hub (osbs-client's kojiroot, koji_certs_secret, Kerberos principal and keytab, and Koji's web URL). */
import { q } from '../shared/errors.js'
import { shownUrl } from '../cluster/server-url.js'
import { isDns1123Subdomain } from '../naming/names.js'
import type { Settings } from '../settings.js'
import { trimEndChar } from '../shared/linear-text.js'
import { isHttpUrl } from './plugin-settings.js'
import { hasPassword, type InputReader } from './reader.js'

export type KojiInputs = Pick<Settings, 'kojiRoot' | 'kojiCertsSecret' | 'kojiKerberos' | 'kojiWebUrl'>

/** No blank, no control character: a Kerberos principal (`user@REALM`) or a keytab (a path, or `FILE:/path`). */
const KERBEROS_VALUE = /^[^\s\p{Cc}]+$/u

/** An http(s) URL without a password (written into the BuildConfig, or shown in the summary). */
function httpUrl(r: InputReader, name: 'koji-root' | 'koji-web-url', what: string): string | undefined {
  const value = r.optional(name)
  if (value && (!isHttpUrl(value) || hasPassword(value))) r.invalid(name, shownUrl(value), `Accepted: an http(s) URL of ${what}, without user:password@`)
  return value ? trimEndChar(value, '/') || undefined : undefined
}

/** koji-root, koji-certs-secret, koji-kerberos-principal with koji-kerberos-keytab, koji-web-url. */
export function parseKoji(r: InputReader): KojiInputs {
  const kojiRoot = httpUrl(r, 'koji-root', "Koji's top directory (osbs-client's kojiroot, e.g. https://koji.example.com/kojifiles)")
  const kojiCertsSecret = r.optional('koji-certs-secret')
  if (kojiCertsSecret && !isDns1123Subdomain(kojiCertsSecret))
    r.invalid('koji-certs-secret', kojiCertsSecret, "Accepted: an OpenShift secret name (lowercase letters, digits, - and .) holding Koji's cert, ca and serverca")
  const principal = r.optional('koji-kerberos-principal')
  const keytab = r.optional('koji-kerberos-keytab')
  for (const [name, value] of [
    ['koji-kerberos-principal', principal],
    ['koji-kerberos-keytab', keytab]
  ] as const) {
    if (value && !KERBEROS_VALUE.test(value)) r.invalid(name, value, 'Accepted: one word without blanks or control characters')
  }
  if (Boolean(principal) !== Boolean(keytab)) {
    const [set, missing] = principal ? ['koji-kerberos-principal', 'koji-kerberos-keytab'] : ['koji-kerberos-keytab', 'koji-kerberos-principal']
    r.problems.push({
      input: missing,
      message: `Input ${missing}: (empty) is not valid while ${set} is ${q((principal ?? keytab) as string)}. Accepted: both koji-kerberos-principal and koji-kerberos-keytab, or neither`
    })
  }
  const kojiWebUrl = httpUrl(r, 'koji-web-url', "Koji's web UI (e.g. https://koji.example.com/koji)")
  return {
    ...(kojiRoot ? { kojiRoot } : {}),
    ...(kojiCertsSecret ? { kojiCertsSecret } : {}),
    ...(principal && keytab ? { kojiKerberos: { principal, keytab } } : {}),
    ...(kojiWebUrl ? { kojiWebUrl } : {})
  }
}
