/**
 * The in-process atomic-reactor's Koji plugins against the local Koji hub, through the local OpenShift (builds
 * simulated): the same two builds as the real reactor's test (real-koji.test.ts) — a parent image imported and
 * tagged, a layered image waiting for the parent's build — with the real reactor's log lines; then the plugins'
 * failures on a host of their own (FakeHost): a parent build that never comes, a tagging task that fails, a login
 * without the certificates, a failed build not promoted.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { KojiHub } from '../src/koji/hub.js'
import { HOST_ARCH } from '../src/koji/data.js'
import { ImageRegistries } from '../src/images/registries.js'
import { startCluster, type Cluster } from '../src/index.js'
import { runReactor } from '../src/reactor/index.js'
import { buildConfig } from '../__fixtures__/build-config.js'
import { buildFrom, FakeHost } from '../__fixtures__/fake-host.js'
import { dockerfile, GitRepo } from '../__fixtures__/git-repo.js'
import { KOJI_CERTS_PATH, runKojiBuild, withKojiPlugins } from '../__fixtures__/koji-plugins.js'

const NS = 'osbs'
const REGISTRY = 'registry.example.com:5000'
const repos: GitRepo[] = []
afterAll(() => repos.forEach((r) => r.remove()))

/** The log's lines without their time: `logger - LEVEL - message`. */
const messages = (text: string) => text.split('\n').map((l) => l.replace(/^\S+ \S+ platform:- - /, ''))

describe('the Koji plugins through the local OpenShift', () => {
  let cluster: Cluster
  beforeAll(async () => {
    cluster = await startCluster({ namespace: NS, kojiTargets: ['app-candidate'], logWaitSeconds: 1 })
  })
  afterAll(() => cluster?.close())

  async function build(name: string, files: Record<string, string>): Promise<{ phase: string; labels: Record<string, string>; log: string[] }> {
    const repo = new GitRepo()
    repos.push(repo)
    const commit = repo.commit(files, 'initial')
    const { build: b, log } = await runKojiBuild(cluster, NS, { name, commit, uri: repo.uri, registry: REGISTRY, sourceRegistry: REGISTRY, target: 'app-candidate', timeoutMs: 30_000 })
    return { phase: b.status.phase, labels: b.metadata.labels ?? {}, log: messages(log) }
  }

  it('imports the parent image and tags it; the layered image finds the parent build; each recorded once', async () => {
    await cluster.publishImage(NS, 'fedora', 'latest', { from: `${REGISTRY}/fedora:latest` })
    const parent = await build('parent', { Dockerfile: dockerfile({ from: 'fedora:latest', name: 'acme/parent', version: '1.0' }) })
    if (parent.phase !== 'Complete') console.log(parent.log.join('\n'))
    expect(parent.phase).toBe('Complete')
    const koji = cluster.koji!
    const p = koji.builds().find((b) => b.name === 'acme-parent-container')!
    expect(parent.labels['koji-build-id']).toBe(String(p.id))
    expect(p).toMatchObject({ version: '1.0', release: '1', cgName: 'atomic-reactor', owner: 'osbs' })
    expect(p.outputs.map((o) => o.filename)).toEqual(['openshift-final.log', 'build.log', expect.stringMatching(/^docker-image-sha256:[0-9a-f]{64}\.\w+\.tar\.gz$/)])
    for (const o of p.outputs) expect(createHash('md5').update(o.content!).digest('hex')).toBe(o.checksum)
    expect(p.outputs[0]!.content!.toString()).toContain("atomic_reactor.plugin - DEBUG - running plugin 'koji_promote'")
    expect(koji.tagged('app-candidate')).toEqual(['acme-parent-container-1.0-1'])
    const log = parent.log
    const at = (m: string) => log.indexOf(m)
    expect(log).toContain("atomic_reactor.plugins.koji_parent - INFO - Failed to find label 'com.redhat.component' in parent image. Not waiting for Koji build.")
    expect(log).toContain(`atomic_reactor.plugins.koji - INFO - baseurl = '${cluster.kojiRoot}/repos/app-candidate-build/1/$basearch'`)
    expect(log).toContain("atomic_reactor.plugins.koji - INFO - yum repo of koji target: '/etc/yum.repos.d/app-candidate.repo'")
    expect(log).toContain("atomic_reactor.util - INFO - rendering repo 'atomic-reactor-koji-plugin-app-candidate'")
    // the repo's baseurl is served: dnf's first request in the build ($basearch of this machine)
    const repomd = await fetch(`${cluster.kojiRoot}/repos/app-candidate-build/1/${HOST_ARCH}/repodata/repomd.xml`)
    expect(repomd.status).toBe(200)
    expect(await repomd.text()).toContain('<data type="primary">')
    expect(log).toContain('atomic_reactor.plugins.koji_promote - ERROR - all_rpm_packages plugin did not run!')
    expect(log.filter((l) => l === 'atomic_reactor.koji_util - INFO - Using SSL certificates for Koji authentication')).toHaveLength(4)
    expect(log).toContainEqual(expect.stringMatching(/^atomic_reactor\.plugins\.koji_promote - DEBUG - uploading '.*' to 'koji-promote\/\d+\.\d+\.[A-Za-z]{8}' as 'openshift-final\.log'$/))
    expect(log).toContain('atomic_reactor.plugins.koji_promote - DEBUG - using blocksize 10485760')
    expect(log).toContainEqual(expect.stringMatching(/^atomic_reactor\.plugins\.koji_promote - DEBUG - upload: 100% done \(\d+\.\d MiB\/sec\)$/))
    expect(log).toContain('atomic_reactor.plugins.koji_promote - DEBUG - Build information: {')
    expect(log).toContain('    "nvr": "acme-parent-container-1.0-1",')
    const tagging = [
      'atomic_reactor.koji_util - DEBUG - Finding build tag for target app-candidate',
      'atomic_reactor.koji_util - INFO - Tagging build with app-candidate',
      'atomic_reactor.koji_util - DEBUG - waiting for koji task 1 to finish',
      'atomic_reactor.koji_util - DEBUG - koji task is finished, getting info'
    ]
    expect(log.slice(at(tagging[0]!), at(tagging[0]!) + 4)).toEqual(tagging)
    expect(at("atomic_reactor.plugin - DEBUG - running plugin 'koji_tag_build'")).toBeGreaterThan(at("atomic_reactor.plugin - DEBUG - running plugin 'store_metadata_in_osv3'"))

    const child = await build('child', { Dockerfile: dockerfile({ from: 'acme/parent:1.0-1', name: 'acme/child', version: '2.0' }) })
    if (child.phase !== 'Complete') console.log(child.log.join('\n'))
    expect(child.phase).toBe('Complete')
    expect(child.log).toContain('atomic_reactor.plugins.koji_parent - INFO - Waiting for parent image Koji build acme-parent-container-1.0-1')
    expect(child.log).toContain('atomic_reactor.plugins.koji_parent - INFO - Parent image Koji build found')
    expect(koji.tagged('app-candidate')).toEqual(['acme-child-container-2.0-1', 'acme-parent-container-1.0-1'])
    expect(koji.builds().map((b) => `${b.name}-${b.version}-${b.release}`)).toEqual(['acme-parent-container-1.0-1', 'acme-child-container-2.0-1'])
  })
})

describe('the Koji plugins failing as the real ones do', () => {
  let hub: KojiHub
  beforeAll(async () => {
    hub = new KojiHub()
    await hub.start()
    hub.addTarget('app-candidate')
  })
  afterAll(() => hub.close())

  /** A run on a FakeHost with the Koji plugins (and `edit` applied to the list); the koji secret mounted unless `certs` is false. */
  async function run(opts: { edit?: (plugins: any) => void; certs?: boolean; dockerfileText?: string; registries?: ImageRegistries } = {}) {
    const r = new GitRepo()
    repos.push(r)
    r.commit({ Dockerfile: opts.dockerfileText ?? dockerfile() }, 'initial')
    const bc = withKojiPlugins(buildConfig({ name: 'app-main-12345', uri: r.uri, trigger: false, kojiHub: hub.url }), {
      hub: hub.url,
      root: hub.topurl,
      target: 'app-candidate',
      url: 'https://openshift.example.com:8443'
    })
    const env = bc.spec.strategy.customStrategy.env[0]
    const plugins = JSON.parse(env.value)
    opts.edit?.(plugins)
    env.value = JSON.stringify(plugins)
    const host = new FakeHost(buildFrom(bc, 1, { commit: r.head() }), opts.registries, structuredClone(bc))
    if (opts.certs !== false) host.secrets.set(KOJI_CERTS_PATH, Object.fromEntries(Object.entries(hub.sslCerts).map(([k, v]) => [k, Buffer.from(v)])))
    const result = await runReactor(host)
    return { result, lines: messages(host.lines.join('\n')), host }
  }

  it('koji_parent: a parent whose Koji build does not come within poll_timeout is a ValueError', async () => {
    const registries = new ImageRegistries()
    const labels = { 'com.redhat.component': 'orphan-container', version: '1.0', release: '3' }
    registries.push(REGISTRY, 'acme/orphan', '1.0', { imageId: `sha256:${'ab'.repeat(32)}`, labels, layers: [`sha256:${'cd'.repeat(32)}`] })
    const { result, lines } = await run({
      registries,
      dockerfileText: dockerfile({ from: `${REGISTRY}/acme/orphan:1.0`, name: 'acme/waits', version: '1.0' }),
      edit: (p) => (p.prebuild_plugins.find((x: any) => x.name === 'koji_parent').args.poll_timeout = 0)
    })
    expect(result.success).toBe(false)
    expect(lines).toContain('atomic_reactor.plugins.koji_parent - INFO - Waiting for parent image Koji build orphan-container-1.0-3')
    expect(lines).toContain(`atomic_reactor.plugin - ERROR - plugin 'koji_parent' raised an exception: ValueError('Parent image Koji build NOT found!',)`)
  })

  it('koji_promote: an N-V-R Koji already has is refused by CGImport', async () => {
    const existing = hub.recordBuild({ name: 'myproj-app-container', version: '1.0', release: '7' })
    const { result, lines } = await run({ dockerfileText: dockerfile({ release: '7' }) })
    expect(result.success).toBe(false)
    expect(lines).toContain(
      `atomic_reactor.plugin - WARNING - plugin 'koji_promote' raised an exception: GenericError("Build already exists (id=${existing.id}, state=COMPLETE): {'name': 'myproj-app-container', 'version': '1.0', 'release': '7'}",)`
    )
    expect(lines).toContain('atomic_reactor.plugins.koji_tag_build - INFO - Build failed, skipping koji tagging')
  })

  it('koji_tag_build: a tagging task that fails fails the plugin (a locked tag)', async () => {
    hub.addTarget('locked-candidate')
    hub.lockTag('locked-candidate')
    const { result, lines } = await run({ dockerfileText: dockerfile({ release: '8' }), edit: (p) => (p.exit_plugins.find((x: any) => x.name === 'koji_tag_build').args.target = 'locked-candidate') })
    expect(result.success).toBe(false)
    const task = hub.data.tasks[hub.data.tasks.length - 1]!
    expect(lines).toContain(`atomic_reactor.plugin - WARNING - plugin 'koji_tag_build' raised an exception: RuntimeError('Task ${task.id} failed to tag koji build',)`)
    expect(hub.tagged('locked-candidate')).toEqual([])
    expect(hub.builds().find((b) => b.release === '8')).toBeDefined()
  })

  it('koji_promote without the koji_ssl_certs files: the AuthError of koji.ClientSession.ssl_login', async () => {
    const { result, lines } = await run({ certs: false, edit: (p) => (p.prebuild_plugins = p.prebuild_plugins.filter((x: any) => !['koji_parent', 'koji'].includes(x.name))) })
    expect(result.success).toBe(false)
    expect(lines).toContain(`atomic_reactor.plugin - WARNING - plugin 'koji_promote' raised an exception: AuthError("Certificate ${KOJI_CERTS_PATH}/cert doesn't exist or is not accessible",)`)
  })

  it('a failed build is neither promoted nor tagged', async () => {
    const { result, lines } = await run({ dockerfileText: dockerfile({ extra: ['RUN exit 1'] }) })
    expect(result.success).toBe(false)
    expect(lines).toContain('atomic_reactor.plugins.koji_promote - INFO - Not promoting failed build to koji')
    expect(lines).toContain('atomic_reactor.plugins.koji_tag_build - INFO - Build failed, skipping koji tagging')
  })
})
