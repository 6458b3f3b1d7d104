/**
 * The Koji plugins as osbs-client 0.43 renders them (render_koji_parent, render_koji, render_koji_promote,
 * render_koji_tag_build, render_bump_release, set_secrets, set_kerberos_auth), with atomic-reactor 1.6.26.3's argument
 * names. Each is undefined when osbs-client removes it.
 */
import { q } from '../../shared/errors.js'
import type { Settings } from '../../settings.js'
import type { PluginEntry } from '../types.js'
import type { SecretMounts } from './secrets.js'

/** koji_promote's upload block size in osbs-client's prod template. */
export const KOJI_PROMOTE_BLOCKSIZE = 10485760

/** Where the Koji certificates are mounted (koji-certs-secret), mounted on first use; undefined without the input. */
export function kojiCertsPath(settings: Settings, secrets: SecretMounts): string | undefined {
  return settings.kojiCertsSecret ? secrets.use(settings.kojiCertsSecret, 'koji-certs-secret') : undefined
}

/** The certificates as `name`, and koji-kerberos-* as koji_principal / koji_keytab (or the names sendmail takes). */
function kojiAuth(settings: Settings, secrets: SecretMounts, certsArg: string, krb?: [string, string]): Record<string, string> {
  const certs = kojiCertsPath(settings, secrets)
  return {
    ...(certs ? { [certsArg]: certs } : {}),
    ...(krb && settings.kojiKerberos ? { [krb[0]]: settings.kojiKerberos.principal, [krb[1]]: settings.kojiKerberos.keytab } : {})
  }
}

/** bump_release: the next release from the Koji hub; without a hub atomic-reactor 1.6.26.3's plugin cannot run. */
export function bumpRelease(settings: Settings, secrets: SecretMounts): PluginEntry | undefined {
  if (!settings.kojiHub) return undefined
  return { name: 'bump_release', args: { hub: settings.kojiHub, ...kojiAuth(settings, secrets, 'koji_ssl_certs_dir') } }
}

/** koji_parent (not required, as in the template): waits until the base image's own build is in Koji. */
export function kojiParent(settings: Settings, secrets: SecretMounts): PluginEntry | undefined {
  if (!settings.kojiHub) return undefined
  return { name: 'koji_parent', required: false, args: { koji_hub: settings.kojiHub, ...kojiAuth(settings, secrets, 'koji_ssl_certs_dir') } }
}

/** koji: the target's yum repository; only with koji-hub, koji-root and target, and no yum-repourls (which replace it). */
export function kojiRepository(settings: Settings, secrets: SecretMounts): PluginEntry | undefined {
  if (settings.yumRepoUrls.length > 0 || !settings.kojiHub || !settings.kojiRoot || !settings.target) return undefined
  return {
    name: 'koji',
    args: { target: settings.target, root: settings.kojiRoot, hub: settings.kojiHub, ...kojiAuth(settings, secrets, 'koji_ssl_certs_dir') }
  }
}

/**
 * Whether the build can log in to Koji: koji_promote and koji_tag_build need it (Koji takes an import or a tag
 * only from a logged-in user; atomic-reactor 1.6.26.3 otherwise fails each build at its end with an AuthError,
 * after the push). osbs-client renders both with any kojihub, its sites always giving koji_certs_secret; here they
 * are left out without a login, with a warning, so that koji-hub alone still numbers releases (bump_release).
 */
export function kojiLogin(settings: Settings): boolean {
  return settings.kojiCertsSecret !== undefined || settings.kojiKerberos !== undefined
}

/** koji_promote: the build imported into Koji (a content generator import) with its outputs; `target` tags it too. */
export function kojiPromote(settings: Settings, secrets: SecretMounts, apiArgs: Record<string, unknown>): PluginEntry | undefined {
  if (!settings.kojiHub || !kojiLogin(settings)) return undefined
  return {
    name: 'koji_promote',
    args: {
      kojihub: settings.kojiHub,
      ...apiArgs,
      blocksize: KOJI_PROMOTE_BLOCKSIZE,
      ...(settings.target ? { target: settings.target } : {}),
      ...kojiAuth(settings, secrets, 'koji_ssl_certs', ['koji_principal', 'koji_keytab'])
    }
  }
}

/** koji_tag_build: the Koji build tagged into the target's destination tag; needs koji-hub and target. */
export function kojiTagBuild(settings: Settings, secrets: SecretMounts): PluginEntry | undefined {
  if (!settings.kojiHub || !settings.target || !kojiLogin(settings)) return undefined
  return {
    name: 'koji_tag_build',
    args: { kojihub: settings.kojiHub, target: settings.target, ...kojiAuth(settings, secrets, 'koji_ssl_certs', ['koji_principal', 'koji_keytab']) }
  }
}

/** What the Koji inputs do not do, said before anything is written. */
export function kojiWarnings(settings: Settings): string[] {
  const warnings: string[] = []
  if (!settings.kojiHub) {
    for (const [input, set] of [
      ['koji-root', settings.kojiRoot],
      ['koji-certs-secret', settings.kojiCertsSecret],
      ['koji-kerberos-principal', settings.kojiKerberos?.principal],
      ['koji-web-url', settings.kojiWebUrl]
    ] as const)
      if (set) warnings.push(`${input}: ${q(set)} is not used: the Koji plugins are rendered only with koji-hub`)
    return warnings
  }
  if (!kojiLogin(settings) && settings.kind !== 'scratch') {
    warnings.push(
      `koji-hub: ${q(settings.kojiHub)} numbers releases (bump_release) but the build is not imported into Koji: koji_promote${settings.target ? ' and koji_tag_build need' : ' needs'} a Koji login. ` +
        'Set koji-certs-secret (an OpenShift secret with the Koji client certificate: cert, ca, serverca) or koji-kerberos-principal and koji-kerberos-keytab'
    )
  }
  if (settings.kojiRoot && !settings.yumRepoUrls.length && !settings.target) {
    warnings.push(`koji-root: ${q(settings.kojiRoot)} is not used by the koji plugin, which needs target too (the Koji target whose repository the build uses)`)
  }
  return warnings
}
