/** Settings for rendering tests, made the way the action makes them: from raw input values through parseSettings. */
import { parseSettings } from '../../src/inputs/parse.js'
import type { GithubContext, RawInputs } from '../../src/inputs/raw.js'
import { planBuild, type BuildPlan, type CheckoutFiles } from '../../src/plan/plan.js'
import type { PluginEntry } from '../../src/render/types.js'
import type { Settings } from '../../src/settings.js'

export const SHA = '89abcdef0123456789abcdef0123456789abcdef'
export const NOW = new Date(Date.UTC(2026, 10, 25, 4, 5, 6))
export const STAMP = '20261125040506'

export const CONTEXT: GithubContext = {
  ref: 'refs/heads/main',
  sha: SHA,
  repository: 'acme/widget',
  serverUrl: 'https://github.com'
}

/** The Koji hub the rendering tests give (bump_release needs one); `'koji-hub': ''` renders without it. */
export const KOJI_HUB = 'https://koji.example.com/kojihub'

/**
 * The Koji login the rendering tests give with the hub (koji_promote and koji_tag_build need one): a Kerberos
 * principal, which mounts nothing; `'koji-kerberos-principal': ''` and `'koji-kerberos-keytab': ''` render without.
 */
export const KOJI_LOGIN = { 'koji-kerberos-principal': 'osbs@EXAMPLE.COM', 'koji-kerberos-keytab': 'FILE:/etc/osbs/osbs.keytab' }

/** The Koji inputs of a prod build (issue 23), every one set. */
export const KOJI_INPUTS = {
  target: 'f39-container',
  'koji-root': 'https://koji.example.com/kojifiles',
  'koji-certs-secret': 'kojicerts',
  'koji-kerberos-principal': 'osbs@EXAMPLE.COM',
  'koji-kerberos-keytab': 'FILE:/etc/osbs.keytab',
  'koji-web-url': 'https://koji.example.com/koji'
}

/** The sendmail inputs, every one set but smtp-additional-addresses and smtp-send-on. */
export const SMTP_INPUTS = {
  'smtp-host': 'smtp.example.com:25',
  'smtp-from': 'osbs@example.com',
  'smtp-error-addresses': 'admin@example.com',
  'smtp-email-domain': 'example.com',
  'smtp-to-submitter': 'true',
  'smtp-to-pkgowner': 'true'
}

export const DOCKERFILE = 'FROM registry.example.com/fedora:39\nLABEL name="acme/widget" version="1.0" com.redhat.component="widget-container"\n'

export function makeSettings(raw: RawInputs = {}): Settings {
  const login = raw['koji-hub'] === '' ? {} : KOJI_LOGIN
  const inputs = { 'openshift-server': 'https://api.example.com:6443', 'openshift-token': 't', namespace: 'builds', 'koji-hub': KOJI_HUB, ...login, ...raw }
  const result = parseSettings(inputs, CONTEXT, {
    env: { GITHUB_WORKSPACE: '/checkout' },
    homedir: '/nonexistent',
    cwd: '/checkout',
    readFile: () => null
  })
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'))
  return result.settings
}

export function makePlan(raw: RawInputs = {}, files: Partial<CheckoutFiles> = {}): BuildPlan {
  return planBuild(makeSettings(raw), { dockerfile: DOCKERFILE, repoConfig: null, ...files }, { now: NOW, random: () => 0.5 })
}

/** The plugin of a phase, by name. */
export function plugin(plan: BuildPlan, phase: 'prebuild_plugins' | 'postbuild_plugins' | 'exit_plugins', name: string): PluginEntry | undefined {
  return plan.plugins[phase].find((p) => p.name === name)
}

export function names(plan: BuildPlan, phase: 'prebuild_plugins' | 'postbuild_plugins' | 'exit_plugins'): string[] {
  return plan.plugins[phase].map((p) => p.name)
}
