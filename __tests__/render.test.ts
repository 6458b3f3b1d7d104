import { describe, expect, it } from '@jest/globals'
import { ProblemsError } from '../src/shared/errors.js'
import { CLIENT_VERSION, secretMountPath } from '../src/render/plugins/index.js'
import type { RawInputs } from '../src/inputs/raw.js'
import { DOCKERFILE, KOJI_HUB, KOJI_LOGIN, makePlan, names, plugin, STAMP } from '../__fixtures__/dry-run/settings.js'

const S = (name: string) => `/var/run/secrets/atomic-reactor/${name}`
const TAG = `none-55000-${STAMP}`

function problemsOf(fn: () => unknown): string[] {
  try {
    fn()
  } catch (error) {
    if (error instanceof ProblemsError) return error.problems.map((p) => p.message)
    throw error
  }
  throw new Error('expected a ProblemsError')
}

interface RegistryRow {
  name: string
  raw: RawInputs
  tagAndPush: Record<string, unknown>
  pulpPush?: Record<string, unknown>
  pulpSync?: Record<string, unknown>
  deleteFromRegistry?: Record<string, unknown>
  output: string
  secrets: { name: string; input: string }[]
  warning?: RegExp
}

describe('SPEC §5.2 registries, Pulp and secrets (one row per rule)', () => {
  const rows: RegistryRow[] = [
    {
      name: 'a registry without suffix is v1; insecure without https',
      raw: { 'registry-uri': 'registry.example.com', 'registry-api-versions': 'v1' },
      tagAndPush: { 'registry.example.com': { insecure: true } },
      output: `registry.example.com/acme/widget-container:${TAG}`,
      secrets: []
    },
    {
      name: 'a v2 registry with both versions',
      raw: { 'registry-uri': 'registry.example.com/v2' },
      tagAndPush: { 'registry.example.com': { insecure: true } },
      output: `registry.example.com/acme/widget-container:${TAG}`,
      secrets: []
    },
    {
      name: 'a v2 registry while only v1 is enabled gets a warning and no push',
      raw: { 'registry-uri': 'registry.example.com/v2', 'registry-api-versions': 'v1' },
      tagAndPush: {},
      output: `registry.example.com/acme/widget-container:${TAG}`,
      secrets: [],
      warning: /registry\.example\.com\/v2 is a v2 registry but registry-api-versions is v1/
    },
    {
      name: 'a v1 registry while only v2 is enabled',
      raw: { 'registry-uri': 'registry.example.com/v1', 'registry-api-versions': 'v2' },
      tagAndPush: {},
      output: `registry.example.com/acme/widget-container:${TAG}`,
      secrets: [],
      warning: /is a v1 registry but registry-api-versions is v2/
    },
    {
      name: 'https registry with its secret: secure, secret mounted',
      raw: { 'registry-uri': 'https://registry.example.com:5000/v2', 'registry-secret': 'regsecret' },
      tagAndPush: { 'registry.example.com:5000': { insecure: false, secret: S('regsecret') } },
      output: `registry.example.com:5000/acme/widget-container:${TAG}`,
      secrets: [{ name: 'regsecret', input: 'registry-secret' }]
    },
    {
      name: 'Pulp push of a v1 registry: output without registry prefix',
      raw: { 'registry-uri': 'registry.example.com', 'registry-api-versions': 'v1', 'pulp-registry-name': 'pulp', 'pulp-secret': 'psecret' },
      tagAndPush: { 'registry.example.com': { insecure: true } },
      pulpPush: { pulp_registry_name: 'pulp', pulp_secret_path: S('psecret'), load_exported_image: true, publish: true },
      output: `acme/widget-container:${TAG}`,
      secrets: [{ name: 'psecret', input: 'pulp-secret' }]
    },
    {
      name: 'Pulp sync of a v2 registry with a secret; the synced registry is deleted from',
      raw: {
        'registry-uri': 'https://registry.example.com/v2',
        'registry-secret': 'regsecret',
        'registry-api-versions': 'v2',
        'pulp-registry-name': 'pulp',
        'pulp-secret': 'psecret'
      },
      tagAndPush: { 'registry.example.com': { insecure: false, secret: S('regsecret') } },
      pulpSync: {
        pulp_registry_name: 'pulp',
        docker_registry: 'https://registry.example.com',
        pulp_secret_path: S('psecret'),
        registry_secret_path: S('regsecret'),
        publish: true
      },
      deleteFromRegistry: { registries: { 'https://registry.example.com': { secret: S('regsecret') } } },
      output: `acme/widget-container:${TAG}`,
      secrets: [
        { name: 'regsecret', input: 'registry-secret' },
        { name: 'psecret', input: 'pulp-secret' }
      ]
    },
    {
      name: 'no delete_from_registry when the synced registry is the source registry',
      raw: {
        'registry-uri': 'https://registry.example.com/v2',
        'registry-api-versions': 'v2',
        'source-registry-uri': 'registry.example.com',
        'pulp-registry-name': 'pulp',
        'pulp-secret': 'psecret'
      },
      tagAndPush: { 'registry.example.com': { insecure: false } },
      pulpSync: { pulp_registry_name: 'pulp', docker_registry: 'https://registry.example.com', pulp_secret_path: S('psecret'), publish: true },
      output: `acme/widget-container:${TAG}`,
      secrets: [{ name: 'psecret', input: 'pulp-secret' }]
    },
    {
      name: 'a v1 and a v2 registry, both versions, push then sync: publish false on pulp_push',
      raw: {
        'registry-uri': 'http://registry1.example.com:5000/v1\nhttp://registry2.example.com:5000/v2',
        'pulp-registry-name': 'v1pulp',
        'pulp-secret': 'v1pulpsecret'
      },
      tagAndPush: { 'registry1.example.com:5000': { insecure: true }, 'registry2.example.com:5000': { insecure: true } },
      pulpPush: { pulp_registry_name: 'v1pulp', pulp_secret_path: S('v1pulpsecret'), load_exported_image: true, publish: false },
      pulpSync: { pulp_registry_name: 'v1pulp', docker_registry: 'http://registry2.example.com:5000', pulp_secret_path: S('v1pulpsecret'), publish: true },
      deleteFromRegistry: { registries: { 'http://registry2.example.com:5000': {} } },
      output: `acme/widget-container:${TAG}`,
      secrets: [{ name: 'v1pulpsecret', input: 'pulp-secret' }]
    },
    {
      name: 'the same with only v1: the v2 registry is left out, no sync',
      raw: {
        'registry-uri': 'http://registry1.example.com:5000/v1,http://registry2.example.com:5000/v2',
        'registry-api-versions': 'v1',
        'pulp-registry-name': 'v1pulp',
        'pulp-secret': 'v1pulpsecret'
      },
      tagAndPush: { 'registry1.example.com:5000': { insecure: true } },
      pulpPush: { pulp_registry_name: 'v1pulp', pulp_secret_path: S('v1pulpsecret'), load_exported_image: true, publish: true },
      output: `acme/widget-container:${TAG}`,
      secrets: [{ name: 'v1pulpsecret', input: 'pulp-secret' }],
      warning: /registry2\.example\.com:5000\/v2 is a v2 registry/
    },
    {
      name: 'the same with only v2: no push, sync of the second registry with its secret',
      raw: {
        'registry-uri': 'http://registry1.example.com:5000/v1,http://registry2.example.com:5000/v2',
        'registry-secret': 'r1secret,registry-secret',
        'registry-api-versions': 'v2',
        'pulp-registry-name': 'v1pulp',
        'pulp-secret': 'v1pulpsecret'
      },
      tagAndPush: { 'registry2.example.com:5000': { insecure: true, secret: S('registry-secret') } },
      pulpSync: {
        pulp_registry_name: 'v1pulp',
        docker_registry: 'http://registry2.example.com:5000',
        pulp_secret_path: S('v1pulpsecret'),
        registry_secret_path: S('registry-secret'),
        publish: true
      },
      deleteFromRegistry: { registries: { 'http://registry2.example.com:5000': { secret: S('registry-secret') } } },
      output: `acme/widget-container:${TAG}`,
      secrets: [
        { name: 'registry-secret', input: 'registry-secret' },
        { name: 'v1pulpsecret', input: 'pulp-secret' }
      ],
      warning: /registry1\.example\.com:5000\/v1 is a v1 registry but registry-api-versions is v2/
    },
    {
      name: 'a v1 registry only, both versions, Pulp: push but no sync (no v2 registry)',
      raw: { 'registry-uri': 'registry.example.com', 'pulp-registry-name': 'pulp', 'pulp-secret': 'psecret' },
      tagAndPush: { 'registry.example.com': { insecure: true } },
      pulpPush: { pulp_registry_name: 'pulp', pulp_secret_path: S('psecret'), load_exported_image: true, publish: true },
      output: `acme/widget-container:${TAG}`,
      secrets: [{ name: 'psecret', input: 'pulp-secret' }]
    },
    {
      name: 'a separate Pulp sync environment and secret',
      raw: {
        'registry-uri': 'registry.example.com/v2',
        'registry-api-versions': 'v2',
        'pulp-sync-registry-name': 'crane',
        'pulp-sync-secret': 'crane-secret'
      },
      tagAndPush: { 'registry.example.com': { insecure: true } },
      pulpSync: { pulp_registry_name: 'crane', docker_registry: 'registry.example.com', pulp_secret_path: S('crane-secret'), publish: true },
      deleteFromRegistry: { registries: { 'registry.example.com': {} } },
      output: `acme/widget-container:${TAG}`,
      secrets: [{ name: 'crane-secret', input: 'pulp-sync-secret' }]
    },
    {
      name: 'no registry at all: bare output name, no ImageStream',
      raw: {},
      tagAndPush: {},
      output: `acme/widget-container:${TAG}`,
      secrets: [],
      warning: /No registry is pushed to and no source-registry-uri is set: ImageStream acme-widget is not written/
    }
  ]

  it.each(rows.map((row) => [row.name, row] as const))('%s', (_, row) => {
    const plan = makePlan(row.raw)
    expect(plugin(plan, 'postbuild_plugins', 'tag_and_push')?.args).toEqual({ registries: row.tagAndPush })
    expect(plugin(plan, 'postbuild_plugins', 'pulp_push')?.args).toEqual(row.pulpPush)
    expect(plugin(plan, 'postbuild_plugins', 'pulp_sync')?.args).toEqual(row.pulpSync)
    expect(plugin(plan, 'exit_plugins', 'delete_from_registry')?.args).toEqual(row.deleteFromRegistry)
    expect(plan.outputImage).toBe(row.output)
    expect(plan.buildConfig.spec.output).toEqual({ to: { kind: 'DockerImage', name: row.output } })
    expect(plan.secrets).toEqual(row.secrets.map((s) => ({ ...s, mountPath: secretMountPath(s.name) })))
    expect(plan.buildConfig.spec.strategy.customStrategy.secrets).toEqual(row.secrets.map((s) => ({ secretSource: { name: s.name }, mountPath: S(s.name) })))
    if (row.warning) expect(plan.warnings.map((w) => w.message)).toEqual(expect.arrayContaining([expect.stringMatching(row.warning)]))
    else expect(plan.warnings).toEqual([])
    // order of the phases (SPEC §5.2; osbs-client's prod template): pulp_pull with a Pulp plugin and koji-hub
    const post = names(plan, 'postbuild_plugins')
    const pulp = Boolean(row.pulpPush ?? row.pulpSync)
    expect(post).toEqual(['all_rpm_packages', 'tag_by_labels', 'tag_from_config', 'tag_and_push', 'pulp_push', 'pulp_sync', 'compress', ...(pulp ? ['pulp_pull'] : [])].filter((n) => post.includes(n)))
    expect(post.includes('pulp_pull')).toBe(pulp)
    expect(names(plan, 'exit_plugins')).toEqual(['koji_promote', ...(row.deleteFromRegistry ? ['delete_from_registry'] : []), 'store_metadata_in_osv3', 'remove_built_image'])
  })

  it.each<[string, RawInputs, string, RegExp]>([
    [
      'a Pulp registry without a secret (pulp_push)',
      { 'registry-uri': 'r.example.com', 'pulp-registry-name': 'pulp' },
      'pulp-secret',
      /^Input pulp-secret: \(empty\) is not valid: pulp_push \(Pulp environment 'pulp'\) needs a Pulp secret/
    ],
    [
      'a Pulp registry without a secret, push and sync: one message',
      { 'registry-uri': 'r.example.com/v1,r2.example.com/v2', 'pulp-registry-name': 'pulp' },
      'pulp-secret',
      /^Input pulp-secret: \(empty\) is not valid: pulp_push \(Pulp environment 'pulp'\) and pulp_sync \(Pulp environment 'pulp'\) need a Pulp secret/
    ],
    [
      'a sync environment without a secret',
      { 'registry-uri': 'r.example.com/v2', 'pulp-sync-registry-name': 'crane' },
      'pulp-sync-secret',
      /^Input pulp-sync-secret: \(empty\) is not valid: pulp_sync \(Pulp environment 'crane'\)/
    ]
  ])('error: %s', (_, raw, input, message) => {
    const messages = problemsOf(() => makePlan(raw))
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(message)
    expect(messages[0]).toContain(input)
  })

  it('a Pulp registry that no plugin uses needs no secret (and says it is unused)', () => {
    const plan = makePlan({ 'registry-uri': 'r.example.com', 'registry-api-versions': 'v2', 'pulp-registry-name': 'pulp' })
    expect(names(plan, 'postbuild_plugins')).not.toContain('pulp_push')
    expect(plan.warnings.map((w) => w.message)).toEqual(expect.arrayContaining([expect.stringMatching(/pulp-registry-name: 'pulp' is not used/)]))
  })
})

describe('SPEC §5.2 prebuild and exit plugins; the ImageStream instead of import_image', () => {
  it('renders the full plugin list for one v1 registry without Pulp', () => {
    const plan = makePlan({ 'registry-uri': 'registry.example.com' })
    const api = { url: 'https://api.example.com:6443', verify_ssl: true, use_auth: true }
    expect(plan.plugins).toEqual({
      client_version: CLIENT_VERSION,
      prebuild_plugins: [
        { name: 'check_and_set_rebuild', args: { label_key: 'is_autorebuild', label_value: 'true', ...api } },
        // no stop_autorebuild_if_disabled: there is no .osbs-repo-config (enabled), which 1.6.26.3 reads as disabled
        { name: 'pull_base_image', args: { parent_registry: null, parent_registry_insecure: false } },
        { name: 'bump_release', args: { hub: KOJI_HUB } },
        { name: 'add_labels_in_dockerfile', args: { labels: {} } },
        { name: 'koji_parent', required: false, args: { koji_hub: KOJI_HUB } },
        { name: 'change_from_in_dockerfile' },
        { name: 'add_help', required: false },
        { name: 'add_dockerfile' },
        { name: 'add_yum_repo_by_url', args: { repourls: [] } },
        { name: 'inject_yum_repo' },
        { name: 'dockerfile_content', required: false },
        { name: 'distribution_scope' }
      ],
      prepublish_plugins: [{ name: 'squash' }],
      postbuild_plugins: [
        { name: 'all_rpm_packages', args: { image_id: 'BUILT_IMAGE_ID' } },
        { name: 'tag_by_labels' },
        { name: 'tag_from_config' },
        { name: 'tag_and_push', args: { registries: { 'registry.example.com': { insecure: true } } } },
        { name: 'compress', args: { load_exported_image: true, method: 'gzip' } }
      ],
      exit_plugins: [
        { name: 'koji_promote', args: { kojihub: KOJI_HUB, ...api, blocksize: 10485760, koji_principal: KOJI_LOGIN['koji-kerberos-principal'], koji_keytab: KOJI_LOGIN['koji-kerberos-keytab'] } },
        { name: 'store_metadata_in_osv3', args: api },
        { name: 'remove_built_image' }
      ]
    })
    expect(plan.notices).toEqual([expect.stringMatching(/registry-uri: registry\.example\.com has no \/v1 or \/v2 suffix, so it is a v1 registry/)])
  })

  it.each<[string, RawInputs, string, Record<string, unknown> | undefined]>([
    [
      'source registry (https) for pull_base_image',
      { 'source-registry-uri': 'https://source.example.com:8443' },
      'pull_base_image',
      { parent_registry: 'source.example.com:8443', parent_registry_insecure: false }
    ],
    ['source registry (no scheme) is insecure', { 'source-registry-uri': 'source.example.com' }, 'pull_base_image', { parent_registry: 'source.example.com', parent_registry_insecure: true }],
    ['koji hub for bump_release', { 'koji-hub': 'https://koji.other.example.com/kojihub' }, 'bump_release', { hub: 'https://koji.other.example.com/kojihub' }],
    ['repo-config-file path', { 'repo-config-file': 'build/osbs.ini' }, 'stop_autorebuild_if_disabled', { config_file: 'build/osbs.ini' }],
    [
      'builder-openshift-url and insecure-skip-tls-verify',
      { 'builder-openshift-url': 'https://openshift.default.svc', 'insecure-skip-tls-verify': 'true' },
      'check_and_set_rebuild',
      { label_key: 'is_autorebuild', label_value: 'true', url: 'https://openshift.default.svc', verify_ssl: false, use_auth: true }
    ]
  ])('%s', (_, raw, name, args) => {
    const repoConfig = raw['repo-config-file'] ? '[autorebuild]\nenabled = true\n' : null
    expect(plugin(makePlan(raw, { repoConfig }), 'prebuild_plugins', name)?.args).toEqual(args)
  })

  it.each<[string, string | null, boolean]>([
    ['no file', null, false],
    ['a file without [autorebuild]', '[other]\nkey = 1\n', false],
    ['[autorebuild] without enabled', '[autorebuild]\n', false],
    ['enabled = true', '[autorebuild]\nenabled = true\n', true],
    ['enabled = yes', '[autorebuild]\nenabled = yes\n', true]
  ])('stop_autorebuild_if_disabled only when the file sets enabled (1.6.26.3 reads a missing file, section or key as disabled): %s', (_, repoConfig, written) => {
    const plan = makePlan({}, { repoConfig })
    expect(plan.buildConfig.spec.triggers).toHaveLength(1)
    expect(names(plan, 'prebuild_plugins').includes('stop_autorebuild_if_disabled')).toBe(written)
  })

  const stream = (repository: string, insecure: boolean, tags = ['1.0', 'latest']) => ({
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name: 'acme-widget', ...(insecure ? { annotations: { 'openshift.io/image.insecureRepository': 'true' } } : {}) },
    spec: {
      tags: tags.map((tag) => ({ name: tag, from: { kind: 'DockerImage', name: `${repository}:${tag}` }, importPolicy: { scheduled: true, insecure } }))
    }
  })

  it.each<[string, RawInputs, ReturnType<typeof stream>]>([
    [
      'the ImageStream follows the source registry when there is one',
      { 'registry-uri': 'registry.example.com', 'source-registry-uri': 'https://source.example.com', 'builder-openshift-url': 'https://in.cluster:8443' },
      stream('source.example.com/acme/widget', false)
    ],
    [
      'the ImageStream follows the first registry pushed to',
      { 'registry-uri': 'registry1.example.com/v1,https://registry2.example.com/v2', 'registry-api-versions': 'v2' },
      stream('registry2.example.com/acme/widget', false)
    ],
    [
      'the ImageStream of an insecure registry says so, on the stream and on each tag',
      { 'registry-uri': 'registry.example.com/v2,https://registry2.example.com' },
      stream('registry.example.com/acme/widget', true)
    ]
  ])('%s; no import_image plugin', (_, raw, expected) => {
    const plan = makePlan(raw)
    expect(plan.imageStreamObject).toEqual(expected)
    for (const phase of ['prebuild_plugins', 'postbuild_plugins', 'exit_plugins'] as const) expect(names(plan, phase)).not.toContain('import_image')
  })

  it('a version with a dash is not followed: the ImageStream has latest only', () => {
    const plan = makePlan({ 'registry-uri': 'https://registry.example.com/v2' }, { dockerfile: DOCKERFILE.replace('version="1.0"', 'version="1.0-beta"') })
    expect(plan.imageStreamObject?.spec.tags.map((t) => t.name)).toEqual(['latest'])
  })

  it('build-json-dir is accepted but unused: a warning when it is not the default', () => {
    expect(makePlan({ 'registry-uri': 'https://registry.example.com/v2', 'build-json-dir': '/usr/share/osbs' }).warnings).toEqual([])
    const plan = makePlan({ 'registry-uri': 'https://registry.example.com/v2', 'build-json-dir': 'opt/osbs' })
    expect(plan.warnings).toEqual([{ input: 'build-json-dir', message: expect.stringMatching(/^Input build-json-dir: 'opt\/osbs' is not used and is deprecated: it fed import_image/) }])
    expect(JSON.stringify(plan.plugins)).not.toContain('opt/osbs')
  })

  it('without any server, the plugins use the in-cluster API URL and a notice says so', () => {
    const plan = makePlan({ 'dry-run': 'true', 'openshift-server': '', 'openshift-token': '' })
    expect(plugin(plan, 'exit_plugins', 'store_metadata_in_osv3')?.args).toMatchObject({ url: 'https://kubernetes.default.svc' })
    expect(plan.notices).toEqual([expect.stringMatching(/builder-openshift-url: .*https:\/\/kubernetes\.default\.svc/)])
  })
})

describe('SPEC §5.4 triggers and autorebuild', () => {
  // after the labels: what every build has (osbs-client's prod template, without Koji target and yum repositories)
  const rest = ['add_help', 'add_dockerfile', 'add_yum_repo_by_url', 'inject_yum_repo', 'dockerfile_content', 'distribution_scope']
  const fromImage = ['koji_parent', 'change_from_in_dockerfile', ...rest]
  const withTrigger = ['check_and_set_rebuild', 'stop_autorebuild_if_disabled', 'pull_base_image', 'bump_release', 'add_labels_in_dockerfile', ...fromImage]
  // enabled by the default (no file, section or key): the file is not read in the build (see the §5.2 tests)
  const withDefaultTrigger = withTrigger.filter((p) => p !== 'stop_autorebuild_if_disabled')
  const withoutTrigger = ['pull_base_image', 'bump_release', 'add_labels_in_dockerfile', ...fromImage]

  it.each<[string, RawInputs, { dockerfile?: string; repoConfig?: string | null }, { enabled: boolean; ist: string | null; base: string | null; prebuild: string[]; reason: RegExp }]>([
    ['enabled by default (no file)', {}, {}, { enabled: true, ist: 'fedora:39', base: 'registry.example.com/fedora:39', prebuild: withDefaultTrigger, reason: /ImageStreamTag fedora:39/ }],
    [
      'enabled in the file',
      {},
      { repoConfig: '[autorebuild]\nenabled = true\n' },
      { enabled: true, ist: 'fedora:39', base: 'registry.example.com/fedora:39', prebuild: withTrigger, reason: /enabled = true/ }
    ],
    [
      'disabled in the file',
      {},
      { repoConfig: '[autorebuild]\nenabled = false\n' },
      { enabled: false, ist: 'fedora:39', base: 'registry.example.com/fedora:39', prebuild: withoutTrigger, reason: /autorebuild is disabled \(\.osbs-repo-config:2: enabled = false\)/ }
    ],
    [
      'a base image pinned by digest cannot be tracked',
      {},
      { dockerfile: `FROM fedora@sha256:${'d'.repeat(64)}\nLABEL name=acme/widget version=1\n` },
      { enabled: false, ist: null, base: `fedora@sha256:${'d'.repeat(64)}`, prebuild: withoutTrigger, reason: /pinned by digest/ }
    ],
    [
      'FROM scratch',
      {},
      { dockerfile: 'FROM scratch\nLABEL name=acme/widget version=1\n' },
      { enabled: false, ist: null, base: null, prebuild: ['bump_release', 'add_labels_in_dockerfile', ...rest], reason: /FROM scratch/ }
    ],
    [
      'a multi-stage Dockerfile whose last stage starts from an ARG-named image',
      {},
      { dockerfile: 'ARG RUNTIME=quay.io/acme/runtime:2\nFROM golang:1 AS build\nFROM ${RUNTIME}\nLABEL name=acme/widget version=1\n' },
      { enabled: true, ist: 'acme-runtime:2', base: 'quay.io/acme/runtime:2', prebuild: withDefaultTrigger.filter((p) => p !== 'change_from_in_dockerfile'), reason: /acme-runtime:2/ }
    ]
  ])('%s', (_, raw, files, expected) => {
    const plan = makePlan(raw, files)
    expect(plan.autorebuild.enabled).toBe(expected.enabled)
    expect(plan.autorebuild.reason).toMatch(expected.reason)
    expect(plan.baseImage).toBe(expected.base)
    expect(plan.baseImageStreamTag).toBe(expected.ist)
    expect(names(plan, 'prebuild_plugins')).toEqual(expected.prebuild)
    expect(plan.buildConfig.spec.triggers).toEqual(expected.enabled ? [{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: expected.ist } } }] : [])
    if (!expected.enabled) expect(plan.notices).toEqual(expect.arrayContaining([expect.stringMatching(/^No ImageChange trigger: /)]))
  })

  it('a release label with autorebuild enabled is an error at the label line', () => {
    const messages = problemsOf(() => makePlan({}, { dockerfile: DOCKERFILE + 'LABEL release=3\n' }))
    expect(messages).toEqual([expect.stringMatching(/^Dockerfile Dockerfile: label release="3" is set while autorebuild is enabled/)])
  })

  it.each([
    ['autorebuild disabled', { repoConfig: '[autorebuild]\nenabled = no\n' }],
    ['FROM scratch', { dockerfile: 'FROM scratch\nLABEL name=a/b version=1 Release=2\n' }]
  ])('a release label is fine with %s', (_, files) => {
    const plan = makePlan({}, { dockerfile: DOCKERFILE + 'LABEL release=3\n', ...files })
    expect(plan.autorebuild.enabled).toBe(false)
  })

  it('repo config and Dockerfile problems are reported together', () => {
    const messages = problemsOf(() => makePlan({}, { dockerfile: 'FROM f\nLABEL version=1\n', repoConfig: '[autorebuild]\nenabled = maybe\n' }))
    expect(messages).toEqual([expect.stringMatching(/\.osbs-repo-config:2: .*"maybe" is not a boolean/), expect.stringMatching(/required label 'name'/)])
  })
})

describe('SPEC §5.1 BuildConfig', () => {
  it('renders the whole object', () => {
    const plan = makePlan({ 'registry-uri': 'registry.example.com/v2', 'registry-secret': 'push', 'git-branch': 'feature/x' })
    expect(plan.buildConfigName).toMatch(/^widget-featurex-[0-9a-f]{5}$/)
    expect(plan.buildConfig).toEqual({
      apiVersion: 'build.openshift.io/v1',
      kind: 'BuildConfig',
      metadata: {
        name: plan.buildConfigName,
        namespace: 'builds',
        labels: { is_autorebuild: 'false', 'git-repo-name': 'widget', 'git-branch': 'feature-x' }
      },
      spec: {
        runPolicy: 'Serial',
        source: { type: 'Git', git: { uri: 'https://github.com/acme/widget.git', ref: 'feature/x' } },
        strategy: {
          type: 'Custom',
          customStrategy: {
            from: { kind: 'DockerImage', name: 'buildroot:latest' },
            exposeDockerSocket: true,
            env: [{ name: 'ATOMIC_REACTOR_PLUGINS', value: JSON.stringify(plan.plugins) }],
            secrets: [{ secretSource: { name: 'push' }, mountPath: S('push') }]
          }
        },
        output: { to: { kind: 'DockerImage', name: `registry.example.com/acme/widget-container:${TAG}` } },
        triggers: [{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'fedora:39' } } }]
      }
    })
    expect(JSON.parse(plan.buildConfig.spec.strategy.customStrategy.env[0].value)).toEqual(plan.plugins)
    expect(plan.labels).toEqual({ name: 'acme/widget', version: '1.0', component: 'widget-container' })
    expect(plan.imageStream).toBe('acme-widget')
  })

  it.each<[string, RawInputs, string | undefined, string]>([
    ['component input wins over the label', { component: 'explicit' }, undefined, `acme/explicit:${TAG}`],
    ['BZComponent label', {}, 'FROM f\nLABEL name=a/b version=1 BZComponent=bz-name\n', `acme/bz-name:${TAG}`],
    ['repository name when no label', {}, 'FROM f\nLABEL name=a/b version=1\n', `acme/widget:${TAG}`],
    ['user and target', { user: 'team', target: 'f40' }, undefined, `team/widget-container:f40-55000-${STAMP}`]
  ])('output image: %s', (_, raw, dockerfile, expected) => {
    expect(makePlan(raw, dockerfile ? { dockerfile } : {}).outputImage).toBe(expected)
  })

  it('an invalid component label is an error naming the label', () => {
    expect(problemsOf(() => makePlan({}, { dockerfile: 'FROM f\nLABEL name=a/b version=1 com.redhat.component="My Component"\n' }))).toEqual([
      expect.stringMatching(/label com\.redhat\.component="My Component" cannot be part of an image name/)
    ])
  })

  it('builder from an ImageStreamTag, and an explicit BuildConfig name', () => {
    const plan = makePlan({ 'build-imagestream': 'buildroot:v2', 'build-config-name': 'custom-bc' })
    expect(plan.buildConfig.spec.strategy.customStrategy.from).toEqual({ kind: 'ImageStreamTag', name: 'buildroot:v2' })
    expect(plan.buildConfig.metadata.name).toBe('custom-bc')
    expect(plan.buildConfigName).toBe('custom-bc')
  })
})
