/**
 * osbs-client 0.43's prod plugins (inputs/prod_inner.json, rendered by BuildRequest.render()) as the action renders
 * them: which 29 of the 37 a run with every input set has, and each rule that adds, removes or shapes one, with real
 * values.
 */
import { describe, expect, it } from '@jest/globals'
import { parseSettings } from '../src/inputs/parse.js'
import type { RawInputs } from '../src/inputs/raw.js'
import type { BuildPlan } from '../src/plan/plan.js'
import { dryRunSummary } from '../src/report/dry-run.js'
import { CONTEXT, KOJI_HUB, KOJI_INPUTS, KOJI_LOGIN, makePlan, names, plugin, SMTP_INPUTS } from '../__fixtures__/dry-run/settings.js'

const S = (name: string) => `/var/run/secrets/atomic-reactor/${name}`
const API = { url: 'https://api.example.com:6443', verify_ssl: true, use_auth: true }
/** The fixture's default Koji login as koji_promote and koji_tag_build take it, and the inputs that remove it. */
const KRB = { koji_principal: KOJI_LOGIN['koji-kerberos-principal'], koji_keytab: KOJI_LOGIN['koji-kerberos-keytab'] }
const NO_LOGIN = { 'koji-kerberos-principal': '', 'koji-kerberos-keytab': '' }

/** osbs-client 0.43's inputs/prod_inner.json, its 37 entries in its order. */
const PROD_INNER = [
  ...['reactor_config', 'check_and_set_rebuild', 'stop_autorebuild_if_disabled', 'resolve_module_compose', 'flatpak_create_dockerfile', 'add_filesystem', 'pull_base_image'],
  ...['bump_release', 'add_labels_in_dockerfile', 'koji_parent', 'change_from_in_dockerfile', 'add_help', 'add_dockerfile', 'distgit_fetch_artefacts', 'fetch_maven_artifacts'],
  ...['koji', 'add_yum_repo_by_url', 'inject_yum_repo', 'dockerfile_content', 'distribution_scope', 'squash', 'flatpak_create_oci', 'all_rpm_packages', 'tag_by_labels'],
  ...['tag_from_config', 'tag_and_push', 'pulp_push', 'pulp_sync', 'compress', 'pulp_pull', 'import_image', 'koji_promote', 'delete_from_registry', 'store_metadata_in_osv3'],
  ...['koji_tag_build', 'remove_built_image', 'sendmail']
]
/** The 8 the action never renders (README, "Plugins and atomic-reactor 1.6.26.3"). */
const LEFT_OUT = ['reactor_config', 'resolve_module_compose', 'flatpak_create_dockerfile', 'add_filesystem', 'distgit_fetch_artefacts', 'fetch_maven_artifacts', 'flatpak_create_oci', 'import_image']

/** Every input set: v1 and v2 registries, Pulp, Koji with target and root, certificates, Kerberos, mail. */
const EVERY_INPUT: RawInputs = {
  'registry-uri': 'registry1.example.com/v1,https://registry2.example.com/v2',
  'registry-secret': 'r1,r2',
  'source-registry-uri': 'https://source.example.com',
  'pulp-registry-name': 'pulp',
  'pulp-secret': 'pulpsecret',
  ...KOJI_INPUTS,
  ...SMTP_INPUTS,
  'smtp-additional-addresses': 'team@example.com\nqa@example.com'
}
const ENABLED = { repoConfig: '[autorebuild]\nenabled = true\n' }

const all = (plan: BuildPlan): string[] => (['prebuild_plugins', 'prepublish_plugins', 'postbuild_plugins', 'exit_plugins'] as const).flatMap((phase) => plan.plugins[phase].map((p) => p.name))

/** The problems parseSettings finds, with the inputs the rendering tests start from. */
function problemsOf(raw: RawInputs): string[] {
  const base = { 'openshift-server': 'https://api.example.com:6443', 'openshift-token': 't', namespace: 'builds', 'koji-hub': KOJI_HUB }
  const result = parseSettings({ ...base, ...raw }, CONTEXT, { env: { GITHUB_WORKSPACE: '/checkout' }, homedir: '/nonexistent', cwd: '/checkout', readFile: () => null })
  return result.ok ? [] : result.problems.map((p) => p.message)
}

describe('a dry run with every input set', () => {
  const plan = makePlan(EVERY_INPUT, ENABLED)

  it("renders 29 of osbs-client's 37 prod plugins, in its order; the 8 left out are the README's", () => {
    expect(PROD_INNER).toHaveLength(37)
    expect(all(plan)).toEqual(PROD_INNER.filter((name) => !LEFT_OUT.includes(name)))
    expect(all(plan)).toHaveLength(29)
    expect(PROD_INNER.filter((name) => !all(plan).includes(name))).toEqual(LEFT_OUT)
  })

  it('shows them in the dry run summary, phase by phase', () => {
    const summary = dryRunSummary(plan)
    expect(summary).toContain('| prepublish_plugins | `squash` |')
    expect(summary).toContain('| postbuild_plugins | `all_rpm_packages`, `tag_by_labels`, `tag_from_config`, `tag_and_push`, `pulp_push`, `pulp_sync`, `compress`, `pulp_pull` |')
    expect(summary).toContain('| exit_plugins | `koji_promote`, `delete_from_registry`, `store_metadata_in_osv3`, `koji_tag_build`, `remove_built_image`, `sendmail` |')
  })

  it('mounts koji-certs-secret once, for every Koji plugin, and checks it exists as the other secrets', () => {
    expect(plan.secrets[0]).toEqual({ name: 'kojicerts', input: 'koji-certs-secret', mountPath: S('kojicerts') })
    expect(plan.secrets.filter((s) => s.name === 'kojicerts')).toHaveLength(1)
    expect(plugin(plan, 'prebuild_plugins', 'bump_release')?.args).toEqual({ hub: KOJI_HUB, koji_ssl_certs_dir: S('kojicerts') })
    expect(plugin(plan, 'prebuild_plugins', 'koji_parent')).toEqual({ name: 'koji_parent', required: false, args: { koji_hub: KOJI_HUB, koji_ssl_certs_dir: S('kojicerts') } })
    expect(plan.warnings).toEqual([])
  })

  it('renders koji with the target, the root and the hub; the yum plugins; koji_promote and koji_tag_build with Kerberos', () => {
    expect(plugin(plan, 'prebuild_plugins', 'koji')?.args).toEqual({
      target: 'f39-container',
      root: 'https://koji.example.com/kojifiles',
      hub: KOJI_HUB,
      koji_ssl_certs_dir: S('kojicerts')
    })
    expect(plugin(plan, 'prebuild_plugins', 'add_yum_repo_by_url')?.args).toEqual({ repourls: [] })
    expect(plugin(plan, 'prebuild_plugins', 'inject_yum_repo')).toEqual({ name: 'inject_yum_repo' })
    const krb = { koji_principal: 'osbs@EXAMPLE.COM', koji_keytab: 'FILE:/etc/osbs.keytab' }
    expect(plugin(plan, 'exit_plugins', 'koji_promote')?.args).toEqual({
      kojihub: KOJI_HUB,
      ...API,
      blocksize: 10485760,
      target: 'f39-container',
      koji_ssl_certs: S('kojicerts'),
      ...krb
    })
    expect(plugin(plan, 'exit_plugins', 'koji_tag_build')?.args).toEqual({ kojihub: KOJI_HUB, target: 'f39-container', koji_ssl_certs: S('kojicerts'), ...krb })
  })

  it('renders sendmail with the smtp inputs, the Koji ones (hub and root), and Kerberos under the names 1.6.26.3 takes', () => {
    expect(plugin(plan, 'exit_plugins', 'sendmail')?.args).toEqual({
      send_on: ['auto_canceled', 'auto_fail', 'manual_success', 'manual_fail'],
      smtp_host: 'smtp.example.com:25',
      from_address: 'osbs@example.com',
      url: API.url,
      koji_hub: KOJI_HUB,
      koji_root: 'https://koji.example.com/kojifiles',
      to_koji_submitter: true,
      to_koji_pkgowner: true,
      additional_addresses: ['team@example.com', 'qa@example.com'],
      error_addresses: ['admin@example.com'],
      email_domain: 'example.com',
      koji_ssl_certs_dir: S('kojicerts'),
      koji_krb_principal: 'osbs@EXAMPLE.COM',
      koji_krb_keytab: 'FILE:/etc/osbs.keytab'
    })
  })

  it('renders squash, and compress and pulp_push load the image it exported; pulp_pull after compress', () => {
    expect(plan.plugins.prepublish_plugins).toEqual([{ name: 'squash' }])
    expect(plugin(plan, 'postbuild_plugins', 'compress')?.args).toEqual({ load_exported_image: true, method: 'gzip' })
    expect(plugin(plan, 'postbuild_plugins', 'pulp_push')?.args).toMatchObject({ load_exported_image: true })
    expect(plugin(plan, 'postbuild_plugins', 'pulp_pull')?.args).toEqual({ insecure: true })
    expect(plugin(plan, 'postbuild_plugins', 'all_rpm_packages')?.args).toEqual({ image_id: 'BUILT_IMAGE_ID' })
    expect(plugin(plan, 'postbuild_plugins', 'tag_from_config')).toEqual({ name: 'tag_from_config' })
  })
})

describe('each prod plugin, by its input', () => {
  it('always: add_help and dockerfile_content (not required), add_dockerfile, add_yum_repo_by_url, inject_yum_repo, distribution_scope, all_rpm_packages, tag_from_config', () => {
    const plan = makePlan({ 'koji-hub': '' })
    expect(names(plan, 'prebuild_plugins')).toEqual([
      'check_and_set_rebuild',
      'pull_base_image',
      'add_labels_in_dockerfile',
      'change_from_in_dockerfile',
      'add_help',
      'add_dockerfile',
      'add_yum_repo_by_url',
      'inject_yum_repo',
      'dockerfile_content',
      'distribution_scope'
    ])
    expect(plugin(plan, 'prebuild_plugins', 'add_help')).toEqual({ name: 'add_help', required: false })
    expect(plugin(plan, 'prebuild_plugins', 'dockerfile_content')).toEqual({ name: 'dockerfile_content', required: false })
    expect(names(plan, 'postbuild_plugins')).toEqual(['all_rpm_packages', 'tag_by_labels', 'tag_from_config', 'tag_and_push', 'compress'])
    expect(names(plan, 'exit_plugins')).toEqual(['store_metadata_in_osv3', 'remove_built_image'])
    // no release label and no koji-hub: add_dockerfile has no name-version-release (1.6.26.3 logs an error and goes on)
    expect(plan.warnings.map((w) => w.message)).toEqual(expect.arrayContaining([expect.stringMatching(/tags the image acme\/widget:1\.0-None.*, and add_dockerfile \(which names the Dockerfile/)]))
  })

  it('koji-hub alone: bump_release, koji_parent, koji_promote; no koji (no root, no target), no koji_tag_build (no target)', () => {
    const plan = makePlan({})
    expect(names(plan, 'prebuild_plugins')).toEqual(expect.arrayContaining(['bump_release', 'koji_parent']))
    expect(names(plan, 'prebuild_plugins')).not.toContain('koji')
    expect(names(plan, 'exit_plugins')).toEqual(['koji_promote', 'store_metadata_in_osv3', 'remove_built_image'])
    expect(plugin(plan, 'exit_plugins', 'koji_promote')?.args).toEqual({ kojihub: KOJI_HUB, ...API, blocksize: 10485760, ...KRB })
  })

  it('koji-hub without a Koji login: bump_release and koji_parent, no koji_promote or koji_tag_build, and a warning naming the inputs', () => {
    const plan = makePlan({ 'registry-uri': 'https://registry.example.com/v2', target: 'f39-container', ...NO_LOGIN })
    expect(names(plan, 'prebuild_plugins')).toEqual(expect.arrayContaining(['bump_release', 'koji_parent']))
    expect(names(plan, 'exit_plugins')).toEqual(['store_metadata_in_osv3', 'remove_built_image'])
    expect(plan.warnings.map((w) => w.message)).toEqual([
      "koji-hub: 'https://koji.example.com/kojihub' numbers releases (bump_release) but the build is not imported into Koji: koji_promote and koji_tag_build need a Koji login. " +
        'Set koji-certs-secret (an OpenShift secret with the Koji client certificate: cert, ca, serverca) or koji-kerberos-principal and koji-kerberos-keytab'
    ])
  })

  it('koji-certs-secret is a Koji login: koji_promote with koji_ssl_certs, no warning', () => {
    const plan = makePlan({ 'registry-uri': 'https://registry.example.com/v2', ...NO_LOGIN, 'koji-certs-secret': 'kojisecret' })
    expect(plugin(plan, 'exit_plugins', 'koji_promote')?.args).toMatchObject({ koji_ssl_certs: '/var/run/secrets/atomic-reactor/kojisecret' })
    expect(plan.warnings).toEqual([])
  })

  it('a scratch build is never imported: no warning about the login', () => {
    expect(makePlan({ 'registry-uri': 'https://registry.example.com/v2', ...NO_LOGIN, 'build-kind': 'scratch' }).warnings).toEqual([])
  })

  it('rpm-packages: false leaves all_rpm_packages out (an image without /bin/rpm); true is the default', () => {
    expect(names(makePlan({ 'rpm-packages': 'false' }), 'postbuild_plugins')).not.toContain('all_rpm_packages')
    expect(plugin(makePlan({}), 'postbuild_plugins', 'all_rpm_packages')?.args).toEqual({ image_id: 'BUILT_IMAGE_ID' })
  })

  it.each<[string, RawInputs, boolean]>([
    ['koji-hub, koji-root and target', { target: 't', 'koji-root': 'https://koji.example.com/kojifiles' }, true],
    ['no target', { 'koji-root': 'https://koji.example.com/kojifiles' }, false],
    ['no koji-root', { target: 't' }, false],
    ['no koji-hub', { target: 't', 'koji-root': 'https://koji.example.com/kojifiles', 'koji-hub': '' }, false],
    ['yum-repourls replace the target repository', { target: 't', 'koji-root': 'https://koji.example.com/kojifiles', 'yum-repourls': 'https://r.example.com/a.repo' }, false]
  ])('koji: %s', (_, raw, rendered) => {
    expect(names(makePlan(raw), 'prebuild_plugins').includes('koji')).toBe(rendered)
  })

  it('yum-repourls: each URL (commas and/or newlines) for add_yum_repo_by_url, before inject_yum_repo', () => {
    const plan = makePlan({ 'yum-repourls': 'https://r.example.com/a.repo,\nhttp://r2.example.com/b.repo' })
    expect(plugin(plan, 'prebuild_plugins', 'add_yum_repo_by_url')?.args).toEqual({ repourls: ['https://r.example.com/a.repo', 'http://r2.example.com/b.repo'] })
    const prebuild = names(plan, 'prebuild_plugins')
    expect(prebuild.indexOf('inject_yum_repo')).toBe(prebuild.indexOf('add_yum_repo_by_url') + 1)
  })

  it('koji_tag_build needs target; koji_promote then tags through it too', () => {
    const plan = makePlan({ target: 'f39-container' })
    expect(plugin(plan, 'exit_plugins', 'koji_tag_build')?.args).toEqual({ kojihub: KOJI_HUB, target: 'f39-container', ...KRB })
    expect(plugin(plan, 'exit_plugins', 'koji_promote')?.args).toMatchObject({ target: 'f39-container' })
    expect(names(plan, 'exit_plugins')).toEqual(['koji_promote', 'store_metadata_in_osv3', 'koji_tag_build', 'remove_built_image'])
  })

  it('squash: false leaves squash out; compress and pulp_push then save the built image themselves', () => {
    const plan = makePlan({ squash: 'false', 'registry-uri': 'registry.example.com/v1', 'pulp-registry-name': 'pulp', 'pulp-secret': 'ps' })
    expect(plan.plugins.prepublish_plugins).toEqual([])
    expect(plugin(plan, 'postbuild_plugins', 'compress')?.args).toEqual({ method: 'gzip' })
    expect(plugin(plan, 'postbuild_plugins', 'pulp_push')?.args).not.toHaveProperty('load_exported_image')
  })

  it('FROM scratch: no pull_base_image, koji_parent or change_from_in_dockerfile (nothing to inspect); squash of the whole image', () => {
    const plan = makePlan({}, { dockerfile: 'FROM scratch\nLABEL name=acme/widget version=1\n' })
    for (const name of ['pull_base_image', 'koji_parent', 'change_from_in_dockerfile']) expect(names(plan, 'prebuild_plugins')).not.toContain(name)
    expect(plan.plugins.prepublish_plugins).toEqual([{ name: 'squash', args: { from_base: false } }])
  })

  it('a multi-stage Dockerfile: no change_from_in_dockerfile (1.6.26.3 would rewrite every FROM to the base image)', () => {
    const plan = makePlan({}, { dockerfile: 'FROM golang:1 AS build\nFROM registry.example.com/fedora:39\nLABEL name=acme/widget version=1\n' })
    expect(names(plan, 'prebuild_plugins')).toContain('koji_parent')
    expect(names(plan, 'prebuild_plugins')).not.toContain('change_from_in_dockerfile')
  })

  it.each<[string, RawInputs, boolean]>([
    ['Pulp push and koji-hub', { 'registry-uri': 'r.example.com/v1', 'pulp-registry-name': 'p', 'pulp-secret': 'ps' }, true],
    ['Pulp sync and koji-hub', { 'registry-uri': 'r.example.com/v2', 'pulp-registry-name': 'p', 'pulp-secret': 'ps' }, true],
    ['Pulp without koji-hub', { 'registry-uri': 'r.example.com/v2', 'pulp-registry-name': 'p', 'pulp-secret': 'ps', 'koji-hub': '' }, false],
    ['koji-hub without Pulp', { 'registry-uri': 'r.example.com/v2' }, false]
  ])('pulp_pull: %s', (_, raw, rendered) => {
    expect(names(makePlan(raw), 'postbuild_plugins').includes('pulp_pull')).toBe(rendered)
  })

  it('sendmail: smtp-host and smtp-from; the Koji arguments only with koji-root too', () => {
    const plan = makePlan({ 'smtp-host': 'smtp.example.com', 'smtp-from': 'osbs@example.com', 'smtp-send-on': 'manual_fail\nauto_fail', 'koji-certs-secret': 'kc' })
    expect(plugin(plan, 'exit_plugins', 'sendmail')).toEqual({
      name: 'sendmail',
      args: { send_on: ['manual_fail', 'auto_fail'], smtp_host: 'smtp.example.com', from_address: 'osbs@example.com', url: API.url }
    })
    expect(names(plan, 'exit_plugins').at(-1)).toBe('sendmail')
    expect(names(makePlan({}), 'exit_plugins')).not.toContain('sendmail')
  })
})

describe('the build kinds adjust the prod plugins as osbs-client does', () => {
  it('scratch (adjust_for_scratch): no koji_parent, tag_from_config, compress, pulp_pull, koji_promote, koji_tag_build; bump_release, koji and sendmail stay', () => {
    const plan = makePlan({ ...EVERY_INPUT, 'build-kind': 'scratch' }, ENABLED)
    const rendered = all(plan)
    for (const name of ['koji_parent', 'tag_from_config', 'compress', 'pulp_pull', 'koji_promote', 'koji_tag_build']) expect(rendered).not.toContain(name)
    for (const name of ['bump_release', 'koji', 'squash', 'all_rpm_packages', 'sendmail']) expect(rendered).toContain(name)
  })

  it('isolated (adjust_for_isolated): every prod plugin but bump_release; tag_from_config pushes <version>-<release> only', () => {
    const plan = makePlan({ ...EVERY_INPUT, 'build-kind': 'isolated', release: '1.1' }, ENABLED)
    expect(all(plan)).toEqual(PROD_INNER.filter((name) => !LEFT_OUT.includes(name) && !['bump_release', 'check_and_set_rebuild', 'stop_autorebuild_if_disabled'].includes(name)))
    expect(plugin(plan, 'postbuild_plugins', 'tag_from_config')).toEqual({ name: 'tag_from_config', args: { tag_suffixes: { unique: [], primary: ['{version}-{release}'] } } })
  })
})

describe('the prod inputs are checked before anything is written', () => {
  it.each<[string, RawInputs, RegExp]>([
    ['koji-root not a URL', { 'koji-root': 'koji.example.com/kojifiles' }, /^Input koji-root: 'koji\.example\.com\/kojifiles' is not valid\. Accepted: an http\(s\) URL/],
    ['koji-root with a password', { 'koji-root': 'https://u:pw-0123@koji.example.com/' }, /^Input koji-root: 'https:\/\/\*\*\*@koji\.example\.com\/' is not valid/],
    ['koji-certs-secret not a secret name', { 'koji-certs-secret': 'Koji_Certs' }, /^Input koji-certs-secret: 'Koji_Certs' is not valid\. Accepted: an OpenShift secret name/],
    ['a principal without keytab', { 'koji-kerberos-principal': 'osbs@EXAMPLE.COM' }, /^Input koji-kerberos-keytab: \(empty\) is not valid while koji-kerberos-principal is 'osbs@EXAMPLE\.COM'/],
    ['koji-web-url not a URL', { 'koji-web-url': 'koji' }, /^Input koji-web-url: 'koji' is not valid/],
    [
      'a yum repository with a password',
      { 'yum-repourls': 'https://a.example.com/a.repo,https://u:secret-pw@b.example.com/b.repo' },
      /^Input yum-repourls: 'https:\/\/\*\*\*@b\.example\.com\/b\.repo' is not valid/
    ],
    ['squash not a boolean', { squash: 'yes' }, /^Input squash: 'yes' is not valid\. Accepted: true or false/],
    ['smtp-host without smtp-from', { 'smtp-host': 'smtp.example.com' }, /^Input smtp-from: \(empty\) is not valid while smtp-host is set: sendmail needs both/],
    ['smtp-from not an address', { 'smtp-host': 'smtp.example.com', 'smtp-from': 'osbs' }, /^Input smtp-from: 'osbs' is not valid\. Accepted: an e-mail address/],
    ['smtp-host with a blank', { 'smtp-host': 'smtp example', 'smtp-from': 'a@b.c' }, /^Input smtp-host: 'smtp example' is not valid/],
    [
      'a send-on state 1.6.26.3 does not know',
      { 'smtp-host': 'smtp.example.com', 'smtp-from': 'a@b.c', 'smtp-send-on': 'manual_fail,on_fail' },
      /^Input smtp-send-on: 'on_fail' is not valid\. Accepted: build states among auto_canceled/
    ],
    ['an address list without smtp-host', { 'smtp-additional-addresses': 'team@example.com' }, /^Input smtp-additional-addresses: is set, but smtp-host and smtp-from are not: no mail is sent/]
  ])('%s', (_, raw, message) => {
    expect(problemsOf(raw)).toEqual([expect.stringMatching(message)])
  })

  it.each<[string, RawInputs, RegExp]>([
    [
      'koji-root without koji-hub',
      { 'koji-hub': '', 'koji-root': 'https://koji.example.com/kojifiles' },
      /^koji-root: 'https:\/\/koji\.example\.com\/kojifiles' is not used: the Koji plugins are rendered only with koji-hub/
    ],
    ['koji-web-url without koji-hub', { 'koji-hub': '', 'koji-web-url': 'https://koji.example.com/koji' }, /^koji-web-url: 'https:\/\/koji\.example\.com\/koji' is not used/],
    ['koji-root without target', { 'koji-root': 'https://koji.example.com/kojifiles' }, /^koji-root: .* is not used by the koji plugin, which needs target too/],
    ['smtp-to-submitter without koji-root', { 'smtp-host': 's.example.com', 'smtp-from': 'a@example.com', 'smtp-to-submitter': 'true' }, /^smtp-to-submitter: true is not used: sendmail finds/]
  ])('a warning: %s', (_, raw, message) => {
    expect(makePlan(raw).warnings.map((w) => w.message)).toEqual(expect.arrayContaining([expect.stringMatching(message)]))
  })
})
