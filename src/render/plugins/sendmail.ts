/** sendmail (osbs-client's render_sendmail): notifications by mail, with smtp-host and smtp-from only. */
import type { Settings } from '../../settings.js'
import type { PluginEntry } from '../types.js'
import { kojiCertsPath } from './koji.js'
import type { SecretMounts } from './secrets.js'

/**
 * The Koji arguments (hub, root, submitter, package owner) only with koji-hub and koji-root, as osbs-client sets
 * them; with them the certificates and Kerberos as osbs-client's set_secrets and set_kerberos_auth (under the names
 * atomic-reactor 1.6.26.3's SendMailPlugin takes: koji_krb_principal, koji_krb_keytab; osbs-client's koji_principal
 * and koji_keytab would be dropped by the runner).
 */
export function sendmail(settings: Settings, secrets: SecretMounts, url: string): PluginEntry | undefined {
  const smtp = settings.smtp
  if (!smtp) return undefined
  const koji = settings.kojiHub && settings.kojiRoot ? { hub: settings.kojiHub, root: settings.kojiRoot } : undefined
  // Only with Koji: sendmail logs in to Koji for the submitter and owner, and the certificates are mounted for nothing else.
  const certs = koji ? kojiCertsPath(settings, secrets) : undefined
  return {
    name: 'sendmail',
    args: {
      send_on: [...smtp.sendOn],
      smtp_host: smtp.host,
      from_address: smtp.from,
      url,
      ...(koji ? { koji_hub: koji.hub, koji_root: koji.root } : {}),
      ...(koji && smtp.toSubmitter ? { to_koji_submitter: true } : {}),
      ...(koji && smtp.toPkgowner ? { to_koji_pkgowner: true } : {}),
      ...(smtp.additionalAddresses.length ? { additional_addresses: [...smtp.additionalAddresses] } : {}),
      ...(smtp.errorAddresses.length ? { error_addresses: [...smtp.errorAddresses] } : {}),
      ...(smtp.emailDomain ? { email_domain: smtp.emailDomain } : {}),
      ...(certs ? { koji_ssl_certs_dir: certs } : {}),
      ...(koji && settings.kojiKerberos ? { koji_krb_principal: settings.kojiKerberos.principal, koji_krb_keytab: settings.kojiKerberos.keytab } : {})
    }
  }
}

/** smtp-to-submitter / smtp-to-pkgowner do nothing without koji-hub and koji-root. */
export function sendmailWarnings(settings: Settings): string[] {
  const smtp = settings.smtp
  if (!smtp || (settings.kojiHub && settings.kojiRoot)) return []
  const inputs = [...(smtp.toSubmitter ? ['smtp-to-submitter'] : []), ...(smtp.toPkgowner ? ['smtp-to-pkgowner'] : [])]
  return inputs.map((input) => `${input}: true is not used: sendmail finds the Koji submitter and package owner only with koji-hub and koji-root`)
}
