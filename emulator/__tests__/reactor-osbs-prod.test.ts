/**
 * osbs-client 0.43's stock prod plugin list (its prod_inner.json template, rendered by osbs-client itself with
 * /usr/bin/python3) in the build pod: change_from_in_dockerfile, add_dockerfile, add_yum_repo_by_url,
 * inject_yum_repo, distribution_scope, squash, all_rpm_packages, tag_from_config, and the required: false plugins
 * atomic-reactor 1.6.26.3 does not have. Its last post-build plugin, import_image, fails the build: 1.6.26.3's reads
 * the primary tags from the build step's result annotations, which only orchestrate_build gives (this list builds
 * with docker_api), so after the pushes it raises 'Could not find primary images in workflow'; the exit plugins
 * still run and record it.
 */
import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { runReactor } from '../src/reactor/index.js'
import { ImageRegistries } from '../src/images/registries.js'
import { buildConfig } from '../__fixtures__/build-config.js'
import { buildFrom, FakeHost } from '../__fixtures__/fake-host.js'
import { GitRepo } from '../__fixtures__/git-repo.js'
import { describeWithPeers, PYTHON_SHIMS } from '../../__fixtures__/peers.js'

const RENDER = `
import json, sys
from osbs.build.build_request import BuildRequest
br = BuildRequest(sys.argv[1])
br.set_params(git_uri=sys.argv[2], git_ref='main', git_branch='main', user='alice', component='hello',
  base_image='fedora:latest', name_label='alice/hello', registry_uris=['registry.example.com:5000/v2'],
  source_registry_uri=None, openshift_uri='http://127.0.0.1:8443', builder_openshift_url='http://127.0.0.1:8443',
  build_image='buildroot:latest', build_type='prod', use_auth=True, verify_ssl=False, build_json_dir='/usr/share/osbs',
  registry_api_versions=['v1', 'v2'], yum_repourls=sys.argv[3:], platform=None, arrangement_version=None)
out = br.render()
env = out['spec']['strategy']['customStrategy']['env']
print([e for e in env if e['name'] == 'ATOMIC_REACTOR_PLUGINS'][0]['value'])
`

describeWithPeers(['osbs-client', 'dockerfile-parse'], "osbs-client's stock prod build", (peers) => {
  const repos: GitRepo[] = []
  let repoServer: Server
  let repoUrl = ''
  beforeAll(async () => {
    repoServer = createServer((_req, res) => res.end('[local]\nname=local\nbaseurl=http://127.0.0.1/repo\n'))
    await new Promise<void>((resolve) => repoServer.listen(0, '127.0.0.1', resolve))
    repoUrl = `http://127.0.0.1:${(repoServer.address() as AddressInfo).port}/repos/local.repo`
  })
  afterAll(async () => {
    repos.forEach((r) => r.remove())
    await new Promise<void>((resolve) => repoServer.close(() => resolve()))
  })

  const render = (uri: string, repourls: string[]) =>
    new Promise<any>((resolve, reject) =>
      execFile(
        '/usr/bin/python3',
        ['-c', RENDER, `${peers['osbs-client']}/inputs`, uri, ...repourls],
        { env: { ...process.env, PYTHONPATH: [PYTHON_SHIMS, peers['osbs-client'], peers['dockerfile-parse']].join(':') } },
        (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(JSON.parse(stdout)))
      )
    )

  async function build(dockerfile: string, files: Record<string, string>, repourls: string[]) {
    const r = new GitRepo('hello')
    repos.push(r)
    r.commit({ Dockerfile: dockerfile, ...files }, 'initial')
    const plugins = await render(r.uri, repourls)
    const bc = buildConfig({ name: 'hello-main-00000', uri: r.uri, baseImageStreamTag: 'fedora:latest' })
    bc.spec.strategy.customStrategy.env[0].value = JSON.stringify(plugins)
    const host = new FakeHost(buildFrom(bc), new ImageRegistries(), structuredClone(bc))
    const result = await runReactor(host)
    return { plugins, result, host, lines: host.lines.map((l) => l.replace(/^\S+ \S+ platform:- - /, '')) }
  }

  /** import_image, last of the post-build plugins, failed the build as 1.6.26.3's does after docker_api. */
  function failedAtImportImage(plugins: any, host: FakeHost, lines: string[]) {
    expect(plugins.postbuild_plugins.map((p: any) => p.name).pop()).toBe('import_image')
    expect(lines).toContain('atomic_reactor.plugins.import_image - INFO - Creating ImageStream alice-hello for registry.example.com:5000/alice/hello')
    expect(lines).toContain('atomic_reactor.plugins.import_image - ERROR - Unable to read primary repositories annotations')
    expect(host.imageStreams.get('alice-hello')).toEqual({ dockerImageRepository: 'registry.example.com:5000/alice/hello', insecure: false })
    expect(host.imports).toEqual([])
    expect(JSON.parse(host.build.metadata.annotations!['plugins-metadata']!).errors).toEqual({ import_image: "RuntimeError('Could not find primary images in workflow',)" })
    expect(host.lines[host.lines.length - 1]).toBe("atomic_reactor.plugin.PluginFailedException: plugin 'import_image' raised an exception: RuntimeError('Could not find primary images in workflow',)")
  }

  it('runs every plugin of the list up to import_image, which fails the build', async () => {
    const df = 'FROM fedora:latest\nLABEL name="alice/hello" version="1.0" release="3" com.redhat.component="hello" distribution-scope="public"\nUSER 1001\nRUN echo hi\n'
    const { plugins, result, host, lines } = await build(df, { 'additional-tags': 'v1.0\nbad-tag\n' }, [repoUrl])
    expect(plugins.prebuild_plugins.map((p: any) => p.name)).toEqual([
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
    expect(result).toMatchObject({ success: false, reason: 'GenericBuildFailed' })
    failedAtImportImage(plugins, host, lines)
    // build_inside: the input plugin osv3 (logger atomic_reactor.plugins.osv3) runs through its own runner first
    expect(lines.slice(0, 6)).toEqual([
      'atomic_reactor.inner - INFO - log encoding: UTF-8',
      'atomic_reactor.inner - DEBUG - getting build json from input osv3',
      "atomic_reactor.plugin - DEBUG - running plugin 'osv3'",
      'atomic_reactor.plugins.osv3 - INFO - removing dockerfile_content plugin request; please update your osbs-client!',
      "atomic_reactor.plugin - DEBUG - plugin 'osv3' finished in 0s",
      `atomic_reactor.inner - DEBUG - build json was built by osbs-client ${plugins.client_version}`
    ])
    // inner.py announces the pre-build and buildstep phases only
    expect(lines.filter((l) => l.startsWith('atomic_reactor.inner - INFO - running '))).toEqual([
      'atomic_reactor.inner - INFO - running pre-build plugins',
      'atomic_reactor.inner - INFO - running buildstep plugins'
    ])
    expect(lines).toContainEqual(expect.stringMatching(/^atomic_reactor\.plugins\.change_from_in_dockerfile - INFO - changed FROM: 'FROM fedora:latest' -> 'FROM sha256:[0-9a-f]{64}'$/))
    expect(lines).toContain(`atomic_reactor.plugins.add_yum_repo_by_url - INFO - fetched repo from '${repoUrl}'`)
    expect(lines).toContain('atomic_reactor.plugins.add_dockerfile - INFO - added /root/buildinfo/Dockerfile-alice-hello-1.0-3')
    expect(lines).toContain('atomic_reactor.plugins.distribution_scope - DEBUG - no distribution scope set for parent image')
    expect(lines).toContain("atomic_reactor.plugins.tag_from_config - WARNING - tag 'bad-tag' does not match '^[\\w][\\w.-]{0,127}$'or includes dashes, ignoring")
    expect(lines).toContainEqual(expect.stringMatching(/^atomic_reactor\.plugins\.squash - INFO - will squash from base-image: 'sha256:/))
    const dockerfile = host.build.metadata.annotations!['dockerfile']!
    expect(dockerfile).toMatch(/^FROM sha256:[0-9a-f]{64}\nADD atomic-reactor-repos\/\* '\/etc\/yum\.repos\.d\/'\n/)
    expect(dockerfile).toContain('ADD Dockerfile-alice-hello-1.0-3 /root/buildinfo/Dockerfile-alice-hello-1.0-3\n')
    expect(dockerfile).toMatch(/USER root\nRUN rm -f '\/etc\/yum\.repos\.d\/local\.repo'\nUSER 1001\n$/)
    const repositories = JSON.parse(host.build.metadata.annotations!['repositories']!)
    expect(repositories.primary).toEqual([
      'registry.example.com:5000/alice/hello:1.0-3',
      'registry.example.com:5000/alice/hello:1.0',
      'registry.example.com:5000/alice/hello:latest',
      'registry.example.com:5000/alice/hello:v1.0'
    ])
    // compress took the image squash exported
    expect(JSON.parse(host.build.metadata.annotations!['tar_metadata']!)).toMatchObject({ filename: 'compressed.tar.gz' })
    // everything import_image needed was done: the image is in the registry under every primary tag
    expect(host.registries.findRegistry('registry.example.com:5000')!.tags('alice/hello')).toEqual(expect.arrayContaining(['1.0', '1.0-3', 'latest', 'v1.0']))
  })

  it('completes without import_image', async () => {
    const df = 'FROM fedora:latest\nLABEL name="alice/hello" version="1.0" release="3" com.redhat.component="hello" distribution-scope="public"\nRUN echo hi\n'
    const r = new GitRepo('hello')
    repos.push(r)
    r.commit({ Dockerfile: df }, 'initial')
    const plugins = await render(r.uri, [])
    plugins.postbuild_plugins = plugins.postbuild_plugins.filter((p: any) => p.name !== 'import_image')
    const bc = buildConfig({ name: 'hello-main-00000', uri: r.uri, baseImageStreamTag: 'fedora:latest' })
    bc.spec.strategy.customStrategy.env[0].value = JSON.stringify(plugins)
    const host = new FakeHost(buildFrom(bc), new ImageRegistries(), structuredClone(bc))
    expect((await runReactor(host)).success).toBe(true)
    expect(JSON.parse(host.build.metadata.annotations!['plugins-metadata']!).errors).toEqual({})
    expect(host.imageStreams.size).toBe(0)
  })

  it('without Koji there is no release: add_dockerfile fails (it may), tag_by_labels tags version-None', async () => {
    const df = 'FROM fedora:latest\nLABEL name="alice/hello" version="1.0" com.redhat.component="hello" distribution-scope="public"\nRUN echo hi\n'
    const { plugins, result, host, lines } = await build(df, {}, [])
    expect(result.success).toBe(false)
    failedAtImportImage(plugins, host, lines)
    expect(lines).toContain(`atomic_reactor.plugin - WARNING - plugin 'add_dockerfile' raised an exception: ValueError('You have to specify either nvr arg or name/version/release labels.',)`)
    expect(JSON.parse(host.build.metadata.annotations!['repositories']!).primary[0]).toBe('registry.example.com:5000/alice/hello:1.0-None')
  })
})
