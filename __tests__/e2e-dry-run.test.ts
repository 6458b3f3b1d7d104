/**
 * dry-run end to end: the committed bundle, spawned as a runner spawns it, on a checkout made by the test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import net from 'node:net'
import type { AtomicReactorPlugins, BuildConfigObject, PluginEntry } from '../src/render/types.js'
import { runBundle, type BundleRun } from '../__fixtures__/dry-run/run-bundle.js'

const DOCKERFILE = 'FROM registry.example.com/fedora:39\nLABEL name="acme/widget" version="1.0" com.redhat.component="widget"\n'
const S = (name: string) => `/var/run/secrets/atomic-reactor/${name}`

/** Every connection attempt made to this server: the API server and the proxy of every run point here. */
let server: net.Server
let port = 0
const connections: string[] = []

beforeAll(async () => {
  server = net.createServer((socket) => {
    connections.push(`${socket.remoteAddress}`)
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as net.AddressInfo).port
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

async function dryRun(inputs: Record<string, string>, files: Record<string, string> = { Dockerfile: DOCKERFILE }, ref?: string): Promise<BundleRun> {
  return runBundle({
    files,
    inputs: { 'dry-run': 'true', namespace: 'builds', 'openshift-server': `http://127.0.0.1:${port}`, 'openshift-token': 'sha256~dry-run-token', ...inputs },
    ref,
    env: { HTTP_PROXY: `http://127.0.0.1:${port}`, HTTPS_PROXY: `http://127.0.0.1:${port}` }
  })
}

interface Rendered {
  bc: BuildConfigObject
  plugins: AtomicReactorPlugins
  find(phase: keyof Omit<AtomicReactorPlugins, 'client_version'>, name: string): PluginEntry | undefined
}

function rendered(run: BundleRun): Rendered {
  expect(run.errors).toEqual([])
  expect(run.code).toBe(0)
  const bc = JSON.parse(run.outputs['build-config-json']) as BuildConfigObject
  const value = bc.spec.strategy.customStrategy.env.find((e: { name: string }) => e.name === 'ATOMIC_REACTOR_PLUGINS').value
  expect(typeof value).toBe('string')
  const plugins = JSON.parse(value) as AtomicReactorPlugins
  return { bc, plugins, find: (phase, name) => plugins[phase]?.find((p) => p.name === name) }
}

/** The ImageStream the dry run shows (the group of its log), parsed. */
function imageStreamOf(run: BundleRun, name: string): any {
  const start = run.stdout.indexOf(`::group::ImageStream ${name} (written after a Complete build)\n`)
  if (start < 0) return undefined
  const body = run.stdout.slice(run.stdout.indexOf('\n', start) + 1)
  return JSON.parse(body.slice(0, body.indexOf('::endgroup::')))
}

/** What every build has after the labels: osbs-client's prod template without Koji target and yum repositories. */
const ALWAYS_PREBUILD = ['add_help', 'add_dockerfile', 'add_yum_repo_by_url', 'inject_yum_repo', 'dockerfile_content', 'distribution_scope']

function pluginNames(r: Rendered): Record<string, string[]> {
  return {
    prebuild: r.plugins.prebuild_plugins.map((p) => p.name),
    prepublish: r.plugins.prepublish_plugins.map((p) => p.name),
    postbuild: r.plugins.postbuild_plugins.map((p) => p.name),
    exit: r.plugins.exit_plugins.map((p) => p.name)
  }
}

describe('dry-run renders everything from the bundle', () => {
  it('(a) one v1 registry, no Pulp', async () => {
    const run = await dryRun({ 'registry-uri': 'registry.example.com:5000', 'registry-api-versions': 'v1' })
    const r = rendered(run)
    expect(run.outputs['build-config']).toMatch(/^widget-main-[0-9a-f]{5}$/)
    expect(run.outputs).toMatchObject({ autorebuild: 'true', 'base-image': 'registry.example.com/fedora:39', 'base-image-stream-tag': 'fedora:39' })
    expect(r.bc.metadata).toEqual({
      name: run.outputs['build-config'],
      namespace: 'builds',
      labels: { is_autorebuild: 'false', 'git-repo-name': 'widget', 'git-branch': 'main' }
    })
    expect(r.bc.spec).toMatchObject({
      runPolicy: 'Serial',
      source: { type: 'Git', git: { uri: 'https://github.com/acme/widget.git', ref: 'main' } },
      strategy: { type: 'Custom', customStrategy: { from: { kind: 'DockerImage', name: 'buildroot:latest' }, exposeDockerSocket: true, secrets: [] } },
      triggers: [{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'fedora:39' } } }]
    })
    expect(r.bc.spec.output.to.name).toMatch(/^registry\.example\.com:5000\/acme\/widget:none-\d{5}-\d{14}$/)
    expect(pluginNames(r)).toEqual({
      // no .osbs-repo-config: enabled by default, and stop_autorebuild_if_disabled (which would read it as disabled) left out
      prebuild: ['check_and_set_rebuild', 'pull_base_image', 'add_labels_in_dockerfile', 'change_from_in_dockerfile', ...ALWAYS_PREBUILD],
      prepublish: ['squash'],
      postbuild: ['all_rpm_packages', 'tag_by_labels', 'tag_from_config', 'tag_and_push', 'compress'],
      exit: ['store_metadata_in_osv3', 'remove_built_image']
    })
    expect(r.find('prebuild_plugins', 'check_and_set_rebuild')?.args).toEqual({
      label_key: 'is_autorebuild',
      label_value: 'true',
      url: `http://127.0.0.1:${port}`,
      verify_ssl: true,
      use_auth: true
    })
    // no koji-hub: no bump_release (atomic-reactor 1.6.26.3's needs a Koji hub), and a warning says what follows
    expect(r.find('prebuild_plugins', 'bump_release')).toBeUndefined()
    expect(run.stdout).toMatch(/::warning file=Dockerfile::Dockerfile Dockerfile has no release label and koji-hub is not set: .* tags the image acme\/widget:1\.0-None/)
    expect(r.find('postbuild_plugins', 'tag_and_push')?.args).toEqual({ registries: { 'registry.example.com:5000': { insecure: true } } })
    // no import_image (1.6.26.3's works only in an orchestrated build): the ImageStream the run writes instead
    expect(imageStreamOf(run, 'acme-widget')).toEqual({
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name: 'acme-widget', annotations: { 'openshift.io/image.insecureRepository': 'true' } },
      spec: {
        tags: ['1.0', 'latest'].map((tag) => ({ name: tag, from: { kind: 'DockerImage', name: `registry.example.com:5000/acme/widget:${tag}` }, importPolicy: { scheduled: true, insecure: true } }))
      }
    })
    // the log: notice about the suffix, the BuildConfig and the decoded plugins in groups
    expect(run.stdout).toMatch(/::notice::registry-uri: registry\.example\.com:5000 has no \/v1 or \/v2 suffix, so it is a v1 registry/)
    expect(run.stdout).toContain(`::group::BuildConfig ${run.outputs['build-config']}`)
    expect(run.stdout).toContain('::group::ATOMIC_REACTOR_PLUGINS (decoded)\n{\n  "client_version"')
    expect(run.summary).toContain(`Dry run: BuildConfig ${run.outputs['build-config']}`)
    expect(run.summary).toContain('check_and_set_rebuild')
    // the token is masked at once and appears nowhere else
    expect(run.stdout.split('\n').filter((l) => l.includes('dry-run-token'))).toEqual(['::add-mask::sha256~dry-run-token'])
    expect(run.summary + JSON.stringify(run.outputs)).not.toContain('dry-run-token')
  })

  it('(b) https v2 registry with a secret, versions v2, Pulp sync with its secret', async () => {
    const r = rendered(
      await dryRun({
        'registry-uri': 'https://registry.example.com/v2',
        'registry-secret': 'registry-push',
        'registry-api-versions': 'v2',
        'pulp-sync-registry-name': 'crane',
        'pulp-sync-secret': 'crane-secret'
      })
    )
    expect(r.find('postbuild_plugins', 'tag_and_push')?.args).toEqual({ registries: { 'registry.example.com': { insecure: false, secret: S('registry-push') } } })
    expect(r.find('postbuild_plugins', 'pulp_push')).toBeUndefined()
    expect(r.find('postbuild_plugins', 'pulp_sync')?.args).toEqual({
      pulp_registry_name: 'crane',
      docker_registry: 'https://registry.example.com',
      pulp_secret_path: S('crane-secret'),
      registry_secret_path: S('registry-push'),
      publish: true
    })
    expect(r.find('exit_plugins', 'delete_from_registry')?.args).toEqual({ registries: { 'https://registry.example.com': { secret: S('registry-push') } } })
    expect(r.bc.spec.strategy.customStrategy.secrets).toEqual([
      { secretSource: { name: 'registry-push' }, mountPath: S('registry-push') },
      { secretSource: { name: 'crane-secret' }, mountPath: S('crane-secret') }
    ])
    expect(r.bc.spec.output.to.name).toMatch(/^acme\/widget:none-\d{5}-\d{14}$/)
    expect(pluginNames(r).exit).toEqual(['delete_from_registry', 'store_metadata_in_osv3', 'remove_built_image'])
  })

  it('(c) a v1 and a v2 registry, both versions, Pulp push and sync, the source registry equal to the v2 registry', async () => {
    const run = await dryRun({
      'registry-uri': 'registry.example.com:5000/v1\nhttps://registry2.example.com/v2',
      'registry-api-versions': 'v1, v2',
      'source-registry-uri': 'https://registry2.example.com',
      'pulp-registry-name': 'pulp-prod',
      'pulp-secret': 'pulp-secret'
    })
    const r = rendered(run)
    expect(pluginNames(r).postbuild).toEqual(['all_rpm_packages', 'tag_by_labels', 'tag_from_config', 'tag_and_push', 'pulp_push', 'pulp_sync', 'compress'])
    expect(r.find('postbuild_plugins', 'tag_and_push')?.args).toEqual({
      registries: { 'registry.example.com:5000': { insecure: true }, 'registry2.example.com': { insecure: false } }
    })
    expect(r.find('postbuild_plugins', 'pulp_push')?.args).toEqual({ pulp_registry_name: 'pulp-prod', pulp_secret_path: S('pulp-secret'), load_exported_image: true, publish: false })
    expect(r.find('postbuild_plugins', 'pulp_sync')?.args).toEqual({
      pulp_registry_name: 'pulp-prod',
      docker_registry: 'https://registry2.example.com',
      pulp_secret_path: S('pulp-secret'),
      publish: true
    })
    expect(r.find('exit_plugins', 'delete_from_registry')).toBeUndefined()
    expect(r.find('prebuild_plugins', 'pull_base_image')?.args).toEqual({ parent_registry: 'registry2.example.com', parent_registry_insecure: false })
    const stream = imageStreamOf(run, 'acme-widget')
    expect(stream.spec.tags.map((t: any) => t.from.name)).toEqual(['registry2.example.com/acme/widget:1.0', 'registry2.example.com/acme/widget:latest'])
    expect(stream.metadata).toEqual({ name: 'acme-widget' })
    expect(r.bc.spec.strategy.customStrategy.secrets).toEqual([{ secretSource: { name: 'pulp-secret' }, mountPath: S('pulp-secret') }])
  })

  it('(d) autorebuild disabled in .osbs-repo-config', async () => {
    const run = await dryRun({ 'registry-uri': 'registry.example.com/v2' }, { Dockerfile: DOCKERFILE, '.osbs-repo-config': '[autorebuild]\nenabled = false\n' })
    const r = rendered(run)
    expect(run.outputs.autorebuild).toBe('false')
    expect(run.outputs['base-image-stream-tag']).toBe('fedora:39')
    expect(r.bc.spec.triggers).toEqual([])
    expect(pluginNames(r).prebuild).toEqual(['pull_base_image', 'add_labels_in_dockerfile', 'change_from_in_dockerfile', ...ALWAYS_PREBUILD])
    expect(run.stdout).toMatch(/::notice::No ImageChange trigger: autorebuild is disabled \(\.osbs-repo-config:2: enabled = false\)/)
  })

  it('(e) FROM scratch', async () => {
    const run = await dryRun({}, { Dockerfile: 'FROM scratch\nCOPY app /app\nLABEL name=acme/static version=2\n' })
    const r = rendered(run)
    expect(run.outputs).toMatchObject({ autorebuild: 'false', 'base-image': '', 'base-image-stream-tag': '' })
    expect(r.bc.spec.triggers).toEqual([])
    expect(pluginNames(r).prebuild).toEqual(['add_labels_in_dockerfile', ...ALWAYS_PREBUILD])
    expect(r.plugins.prepublish_plugins).toEqual([{ name: 'squash', args: { from_base: false } }])
    expect(r.bc.spec.output.to.name).toMatch(/^acme\/widget:none-/)
  })

  it('(f) a multi-stage Dockerfile whose last stage starts from an ARG-named image', async () => {
    const dockerfile = [
      '# syntax=docker/dockerfile:1',
      'ARG GO=golang:1.22',
      'ARG RUNTIME_REGISTRY=registry.example.com',
      'ARG RUNTIME=${RUNTIME_REGISTRY}/ubi9/ubi-minimal:9.4',
      'FROM ${GO} AS build',
      'RUN go build -o /app \\',
      '    ./cmd/app',
      'FROM --platform=linux/amd64 $RUNTIME AS runtime',
      'FROM runtime',
      'COPY --from=build /app /app',
      'LABEL name="acme/app" \\',
      '      version="3.1" \\',
      '      com.redhat.component="app-container"',
      'CMD ["/app"]',
      ''
    ].join('\n')
    const run = await dryRun({ 'registry-uri': 'registry.example.com/v2', target: 'rhel-9' }, { 'images/app/Containerfile': dockerfile })
    // the Dockerfile is not at the default path: that is an error naming the path
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([expect.stringContaining('Dockerfile Dockerfile does not exist in the checkout')])
    const okRun = await dryRun({ 'registry-uri': 'registry.example.com/v2', target: 'rhel-9', dockerfile: 'images/app/Containerfile' }, { 'images/app/Containerfile': dockerfile })
    const ok = rendered(okRun)
    expect(ok.bc.spec.triggers).toEqual([{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'ubi9-ubi-minimal:9.4' } } }])
    expect(imageStreamOf(okRun, 'acme-app')?.spec.tags[0].from.name).toMatch(/^registry\.example\.com\/acme\/app:/)
    expect(ok.bc.spec.output.to.name).toMatch(/^registry\.example\.com\/acme\/app-container:rhel-9-\d{5}-\d{14}$/)
  })

  it("(g) every input set: 29 of osbs-client's 37 prod plugins, koji-certs-secret mounted, the Koji and mail arguments", async () => {
    const run = await dryRun(
      {
        'registry-uri': 'registry.example.com:5000/v1\nhttps://registry2.example.com/v2',
        'pulp-registry-name': 'pulp-prod',
        'pulp-secret': 'pulp-secret',
        'koji-hub': 'https://koji.example.com/kojihub',
        'koji-root': 'https://koji.example.com/kojifiles',
        'koji-certs-secret': 'koji-certs',
        'koji-kerberos-principal': 'osbs@EXAMPLE.COM',
        'koji-kerberos-keytab': 'FILE:/etc/osbs.keytab',
        'koji-web-url': 'https://koji.example.com/koji',
        target: 'f39-container-candidate',
        'smtp-host': 'smtp.example.com:25',
        'smtp-from': 'osbs@example.com',
        'smtp-additional-addresses': 'team@example.com',
        'smtp-to-submitter': 'true'
      },
      { Dockerfile: DOCKERFILE, '.osbs-repo-config': '[autorebuild]\nenabled = true\n', 'additional-tags': 'stable\n', 'help.md': '% widget(1)\n' }
    )
    const r = rendered(run)
    expect(pluginNames(r)).toEqual({
      prebuild: [
        'check_and_set_rebuild',
        'stop_autorebuild_if_disabled',
        'pull_base_image',
        'bump_release',
        'add_labels_in_dockerfile',
        'koji_parent',
        'change_from_in_dockerfile',
        'add_help',
        'add_dockerfile',
        'koji',
        'add_yum_repo_by_url',
        'inject_yum_repo',
        'dockerfile_content',
        'distribution_scope'
      ],
      prepublish: ['squash'],
      postbuild: ['all_rpm_packages', 'tag_by_labels', 'tag_from_config', 'tag_and_push', 'pulp_push', 'pulp_sync', 'compress', 'pulp_pull'],
      exit: ['koji_promote', 'delete_from_registry', 'store_metadata_in_osv3', 'koji_tag_build', 'remove_built_image', 'sendmail']
    })
    expect(Object.values(pluginNames(r)).flat()).toHaveLength(29)
    expect(r.find('prebuild_plugins', 'koji')?.args).toEqual({
      target: 'f39-container-candidate',
      root: 'https://koji.example.com/kojifiles',
      hub: 'https://koji.example.com/kojihub',
      koji_ssl_certs_dir: S('koji-certs')
    })
    expect(r.find('exit_plugins', 'koji_tag_build')?.args).toEqual({
      kojihub: 'https://koji.example.com/kojihub',
      target: 'f39-container-candidate',
      koji_ssl_certs: S('koji-certs'),
      koji_principal: 'osbs@EXAMPLE.COM',
      koji_keytab: 'FILE:/etc/osbs.keytab'
    })
    expect(r.find('exit_plugins', 'sendmail')?.args).toMatchObject({
      smtp_host: 'smtp.example.com:25',
      from_address: 'osbs@example.com',
      to_koji_submitter: true,
      additional_addresses: ['team@example.com']
    })
    expect(r.bc.spec.strategy.customStrategy.secrets).toEqual([
      { secretSource: { name: 'koji-certs' }, mountPath: S('koji-certs') },
      { secretSource: { name: 'pulp-secret' }, mountPath: S('pulp-secret') }
    ])
    expect(run.summary).toContain('| exit_plugins | `koji_promote`, `delete_from_registry`, `store_metadata_in_osv3`, `koji_tag_build`, `remove_built_image`, `sendmail` |')
    expect(run.stdout).not.toContain('::warning')
  })

  it('namespace and server come from a kubeconfig, whose credentials are masked', async () => {
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: c',
      '  cluster: {server: "https://api.cluster.example.com:6443"}',
      'contexts:',
      '- name: x',
      '  context: {cluster: c, user: u, namespace: team-builds}',
      'current-context: x',
      'users:',
      '- name: u',
      '  user: {token: sha256~kube-token}',
      ''
    ].join('\n')
    const run = await runBundle({
      files: { Dockerfile: DOCKERFILE, 'ci/kubeconfig': kubeconfig },
      inputs: { 'dry-run': 'true', kubeconfig: 'ci/kubeconfig' }
    })
    const r = rendered(run)
    expect(r.bc.metadata.namespace).toBe('team-builds')
    expect(r.find('exit_plugins', 'store_metadata_in_osv3')?.args).toMatchObject({ url: 'https://api.cluster.example.com:6443' })
    expect(run.stdout.split('\n').filter((l) => l.includes('kube-token'))).toEqual(['::add-mask::sha256~kube-token'])
    expect(run.stdout).toContain("::notice::namespace: team-builds, from the kubeconfig's current context")
  })

  it('dry-run without server or token renders with the in-cluster URL and a notice', async () => {
    const run = await runBundle({ files: { Dockerfile: DOCKERFILE }, inputs: { 'dry-run': 'true', namespace: 'builds' } })
    const r = rendered(run)
    expect(r.find('exit_plugins', 'store_metadata_in_osv3')?.args).toMatchObject({ url: 'https://kubernetes.default.svc' })
    expect(run.stdout).toMatch(/::notice::builder-openshift-url: /)
  })
})

describe('each invalid value ends the step with exit code 1 and one clear message', () => {
  it.each<[string, Record<string, string>, Record<string, string> | undefined, string | undefined, RegExp]>([
    [
      'a malformed registry URI',
      { 'registry-uri': 'registry.example.com/library' },
      undefined,
      undefined,
      /^::error::Input registry-uri: 'registry\.example\.com\/library' is not valid: expected \[http\[s\]:\/\/\]host\[:port\]\[\/v1\|\/v2\]/
    ],
    ['an unknown API version', { 'registry-api-versions': 'v1,v3' }, undefined, undefined, /^::error::Input registry-api-versions: 'v3' is not valid\. Accepted: v1, v2, or both/],
    [
      'more registry secrets than registries',
      { 'registry-uri': 'r.example.com/v2', 'registry-secret': 's1,s2' },
      undefined,
      undefined,
      /^::error::Input registry-secret: 2 secrets \(s1, s2\) for 1 registry in registry-uri/
    ],
    [
      'a Pulp registry without a secret',
      { 'registry-uri': 'r.example.com/v1, r2.example.com/v2', 'pulp-registry-name': 'pulp' },
      undefined,
      undefined,
      /^::error::Input pulp-secret: \(empty\) is not valid: pulp_push .* and pulp_sync .* need a Pulp secret/
    ],
    [
      'enabled = maybe',
      {},
      { Dockerfile: DOCKERFILE, '.osbs-repo-config': '# autorebuild\n[autorebuild]\nenabled = maybe\n' },
      undefined,
      /^::error file=\.osbs-repo-config,line=3::\.osbs-repo-config:3: \[autorebuild\] enabled = "maybe" is not a boolean/
    ],
    [
      'a missing name label',
      {},
      { Dockerfile: 'FROM fedora\nLABEL version=1\n' },
      undefined,
      /^::error file=Dockerfile,line=1::Dockerfile Dockerfile: the required label 'name' \(or 'Name'\) is missing/
    ],
    [
      'a missing version label',
      {},
      { Dockerfile: 'FROM fedora\nLABEL name=a/b\n' },
      undefined,
      /^::error file=Dockerfile,line=1::Dockerfile Dockerfile: the required label 'version' \(or 'Version'\) is missing/
    ],
    ['no Dockerfile', { dockerfile: 'build/Dockerfile' }, { 'README.md': 'x' }, undefined, /^::error::Dockerfile build\/Dockerfile does not exist in the checkout/],
    [
      'a Dockerfile path that is a directory',
      { dockerfile: 'images' },
      { 'images/Dockerfile': DOCKERFILE },
      undefined,
      /^::error::Input dockerfile: 'images' is a directory in the checkout\. Accepted: the path of a file/
    ],
    ['a Dockerfile without FROM', {}, { Dockerfile: '# empty\nRUN true\n' }, undefined, /^::error file=Dockerfile,line=1::Dockerfile Dockerfile has no FROM instruction/],
    ['a tag ref with no git-branch', {}, undefined, 'refs/tags/v1.0', /^::error::Input git-branch: \(empty\) is not valid, and GITHUB_REF 'refs\/tags\/v1\.0' is not a branch/],
    ['an invalid namespace name', { namespace: 'Image_Builds' }, undefined, undefined, /^::error::Input namespace: 'Image_Builds' is not valid\. Accepted: a DNS-1123 label/],
    [
      'build-image together with build-imagestream',
      { 'build-image': 'buildroot:1', 'build-imagestream': 'buildroot:2' },
      undefined,
      undefined,
      /^::error::Inputs build-image \('buildroot:1'\) and build-imagestream \('buildroot:2'\) are both set\. Accepted: only one of them/
    ]
  ])('%s', async (_, inputs, files, ref, message) => {
    const run = await dryRun(inputs, files, ref)
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(message)
    expect(run.outputs).toEqual({})
    expect(run.stderr).toBe('')
  })

  it('several problems are all reported, one message each', async () => {
    const run = await dryRun({ namespace: 'Bad', 'registry-uri': 'x/v7', 'registry-api-versions': 'v9' })
    expect(run.code).toBe(1)
    expect(run.errors.map((e) => e.replace(/^::error::Input ([a-z-]+):.*$/, '$1'))).toEqual(['namespace', 'registry-uri', 'registry-api-versions'])
  })

  it('without dry-run the step needs a cluster: inputs are still validated first', async () => {
    const run = await runBundle({ files: { Dockerfile: DOCKERFILE }, inputs: { namespace: 'builds' } })
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([expect.stringMatching(/^::error::Input openshift-server: \(empty\)/), expect.stringMatching(/^::error::Input openshift-token: \(empty\)/)])
  })
})

describe('a runner without job summaries', () => {
  it('a dry run still succeeds and sets its outputs; a warning says the summary could not be written', async () => {
    const run = await runBundle({
      files: { Dockerfile: DOCKERFILE },
      inputs: { 'dry-run': 'true', namespace: 'builds', 'openshift-server': `http://127.0.0.1:${port}`, 'openshift-token': 't' },
      env: { GITHUB_STEP_SUMMARY: '' }
    })
    expect(run.errors).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs['build-config']).toMatch(/^widget-main-[0-9a-f]{5}$/)
    expect(run.stdout).toMatch(/^::warning::The job summary could not be written: /m)
  })
})

describe('post step', () => {
  it('does nothing when the main step started no build', async () => {
    const run = await runBundle({ files: {}, inputs: {}, env: { STATE_isPost: 'true' } })
    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.outputs).toEqual({})
  })

  it('the main step marks the state so that the same bundle runs as the post step', async () => {
    const run = await dryRun({})
    expect(run.state.isPost).toBe('true')
  })
})

describe('no network', () => {
  it('no run above connected to the API server or the proxy', () => {
    expect(connections).toEqual([])
  })
})
