/**
 * The emulated atomic-reactor against a recording host (no cluster): real git repositories, the plugin list the
 * action renders (SPEC §5.2), and the effects of SPEC §9.4.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { KojiHub } from '../src/koji/hub.js'
import { runReactor as runBuildPod } from '../src/reactor/index.js'
import { ImageRegistries } from '../src/images/registries.js'
import { buildConfig, type BuildConfigOptions } from '../__fixtures__/build-config.js'
import { buildFrom, FakeHost } from '../__fixtures__/fake-host.js'
import { dockerfile, GitRepo } from '../__fixtures__/git-repo.js'

const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} platform:- - (atomic_reactor\.[a-z_.0-9]+) - (DEBUG|INFO|WARNING|ERROR) - (.*)$/

const repos: GitRepo[] = []
afterAll(() => repos.forEach((r) => r.remove()))

// a Koji hub per test (bump_release asks it for the next release)
let koji: KojiHub
beforeEach(async () => {
  koji = new KojiHub()
  await koji.start()
})
afterEach(() => koji.close())

/** One build pod, then what the local OpenShift does after it: a completed build's N-V-R goes into Koji. */
async function runReactor(host: FakeHost) {
  const result = await runBuildPod(host)
  if (result.success && result.kojiBuild) koji.recordBuild(result.kojiBuild)
  return result
}

function repo(files: Record<string, string>): GitRepo {
  const r = new GitRepo()
  repos.push(r)
  r.commit(files, 'initial')
  return r
}

function setup(r: GitRepo, opts: Partial<BuildConfigOptions> = {}, registries = new ImageRegistries()) {
  const bc = buildConfig({ name: 'app-main-12345', uri: r.uri, baseImageStreamTag: 'fedora:latest', commit: r.head(), kojiHub: koji.url, ...opts })
  const commit = 'commit' in opts ? opts.commit : r.head()
  const host = new FakeHost(buildFrom(bc, 1, { commit }), registries, JSON.parse(JSON.stringify({ ...bc, metadata: { ...bc.metadata } })))
  return { bc, host }
}

const annotation = (host: FakeHost, key: string) => JSON.parse(host.build.metadata.annotations![key]!)

describe('runReactor', () => {
  it('builds, pushes and annotates a user build', async () => {
    const r = repo({ Dockerfile: dockerfile() })
    const commit = r.head()
    // a later commit on the branch: a user build still builds the commit bump_release names
    r.commit({ 'README.md': 'later\n' }, 'later')
    const { host } = setup(r, { commit })
    const result = await runReactor(host)
    expect(result).toMatchObject({ success: true, outputDockerImageReference: 'registry.example.com:5000/user/app-container:none-12345-20171002184257' })
    expect(result.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/)

    // every line (but a traceback) has atomic-reactor's format
    for (const line of host.lines) expect(line).toMatch(LINE)
    expect(host.lines.some((l) => / atomic_reactor\.plugins\.check_and_set_rebuild - INFO - This is a rebuild\? False$/.test(l))).toBe(true)
    expect(host.lines[host.lines.length - 1]).toMatch(/atomic_reactor\.inner - INFO - build has finished successfully \\o\/$/)

    // check_and_set_rebuild flipped the BuildConfig label, others kept
    expect(host.buildConfig!.metadata.labels).toEqual({ is_autorebuild: 'true', 'git-repo-name': 'app', 'git-branch': 'main' })

    const a = host.build.metadata.annotations!
    expect(a['commit_id']).toBe(commit)
    // osbs-client's set_annotations_on_build replaces the Build's annotations: OpenShift's own are gone
    expect(a['openshift.io/build.number']).toBeUndefined()
    expect(a['openshift.io/build-config.name']).toBeUndefined()
    expect(Object.keys(a).filter((k) => k.startsWith('openshift.io/'))).toEqual([])
    expect(annotation(host, 'repositories')).toEqual({
      primary: ['registry.example.com:5000/myproj/app:1.0-1', 'registry.example.com:5000/myproj/app:1.0', 'registry.example.com:5000/myproj/app:latest'],
      unique: ['registry.example.com:5000/myproj/app:none-12345-20171002184257']
    })
    const digests = annotation(host, 'digests')
    expect(digests).toHaveLength(4)
    expect(digests[0]).toEqual({ registry: 'registry.example.com:5000', repository: 'myproj/app', tag: '1.0-1', digest: result.imageDigest })
    expect(a['image-id']).toMatch(/^sha256:[0-9a-f]{64}$/)
    // pull_base_image re-tagged the base image as the build's name and made that the builder's base image
    expect(a['base-image-name']).toBe(host.build.metadata.name)
    expect(a['base-image-name']).toBe('app-main-12345-1')
    expect(a['base-image-id']).toBe(host.registries.resolveImage('fedora:latest').image.imageId)
    const meta = annotation(host, 'plugins-metadata')
    expect(meta.errors).toEqual({})
    expect(Object.keys(meta.timestamps)).toEqual(expect.arrayContaining(['check_and_set_rebuild', 'bump_release', 'docker_api', 'tag_and_push', 'store_metadata_in_osv3']))
    expect(meta.durations.store_metadata_in_osv3).toBeUndefined()
    expect(typeof meta.durations.tag_and_push).toBe('number')
    expect(annotation(host, 'tar_metadata')).toMatchObject({ filename: 'compressed.tar.gz', size: expect.any(Number) })
    expect(a['dockerfile']).toContain('LABEL release=1')
    // add_labels_in_dockerfile appends '\n' + 'LABEL …' + '\n': a blank line after a Dockerfile ending with a newline
    expect(a['dockerfile']).toMatch(/\nLABEL release=1\n\nLABEL "build-date"=[^\n]+\n$/)
    expect(a['dockerfile']).toContain(`"vcs-ref"="${commit}"`)
    // Python json.dumps separators
    expect(a['repositories']).toContain('", "')

    // the registry holds every tag; without import_image the build leaves the ImageStreams alone (OpenShift's
    // import controller imports what the registry serves)
    const reg = host.registries.findRegistry('registry.example.com:5000')!
    expect(reg.tags('myproj/app')).toEqual(['1.0', '1.0-1', 'latest', 'none-12345-20171002184257'])
    expect(reg.get('myproj/app', 'latest')!.digest).toBe(result.imageDigest)
    expect(host.imports).toEqual([])
    expect(host.imageStreams.size).toBe(0)
  })

  it('import_image as 1.6.26.3 has it: creates the missing ImageStream, then fails without primary images from orchestrate_build', async () => {
    const r = repo({ Dockerfile: dockerfile() })
    const { host } = setup(r, { importImage: true, registries: { 'registry.example.com:5000': true } })
    const plugins = JSON.parse(host.build.spec.strategy.customStrategy.env[0].value)
    plugins.postbuild_plugins.find((p: any) => p.name === 'import_image').args.insecure_registry = true
    host.build.spec.strategy.customStrategy.env[0].value = JSON.stringify(plugins)
    const result = await runReactor(host)
    expect(result).toMatchObject({ success: false, reason: 'GenericBuildFailed' })

    // get_image_stream failed: create_image_stream with the repository and the insecure annotation
    expect(host.imageStreams.get('myproj-app')).toEqual({ dockerImageRepository: 'registry.example.com:5000/myproj/app', insecure: true })
    // no tag is imported by the plugin: it fails before ensure_image_stream_tag
    expect(host.imports).toEqual([])
    const at = host.lines.findIndex((l) => l.endsWith('atomic_reactor.plugins.import_image - INFO - Creating ImageStream myproj-app for registry.example.com:5000/myproj/app'))
    expect(at).toBeGreaterThan(0)
    expect(host.lines[at + 1]).toMatch(/ - atomic_reactor\.plugins\.import_image - INFO - Importing new tags for myproj-app$/)
    // build_result.annotations is None after docker_api: log.exception with the TypeError's traceback
    expect(host.lines[at + 2]).toMatch(/ - atomic_reactor\.plugins\.import_image - ERROR - Unable to read primary repositories annotations$/)
    expect(host.lines.slice(at + 3, at + 7)).toEqual([
      'Traceback (most recent call last):',
      '  File "/usr/lib/python2.7/site-packages/atomic_reactor/plugins/post_import_image.py", line 87, in run',
      "    primaries = self.workflow.build_result.annotations['repositories']['primary']",
      "TypeError: 'NoneType' object has no attribute '__getitem__'"
    ])
    expect(host.lines).toContainEqual(
      expect.stringMatching(/atomic_reactor\.plugin - ERROR - plugin 'import_image' raised an exception: RuntimeError\('Could not find primary images in workflow',\)$/)
    )
    // the pushes happened before it; the exit plugins still run and record the error
    expect(host.registries.findRegistry('registry.example.com:5000')!.tags('myproj/app')).toEqual(['1.0', '1.0-1', 'latest', 'none-12345-20171002184257'])
    const meta = annotation(host, 'plugins-metadata')
    expect(meta.errors).toEqual({ import_image: "RuntimeError('Could not find primary images in workflow',)" })
    expect(meta.timestamps.import_image).toBeDefined()
    expect(meta.timestamps.store_metadata_in_osv3).toBeDefined()
    expect(host.lines[host.lines.length - 1]).toBe("atomic_reactor.plugin.PluginFailedException: plugin 'import_image' raised an exception: RuntimeError('Could not find primary images in workflow',)")

    // an ImageStream that exists is not created again (get_image_stream answers), and the plugin fails the same way
    const { host: again } = setup(r, { importImage: true })
    again.imageStreams.set('myproj-app', { dockerImageRepository: 'registry.example.com:5000/myproj/app', insecure: false })
    expect((await runReactor(again)).success).toBe(false)
    expect(again.lines.some((l) => l.includes('Creating ImageStream'))).toBe(false)
    expect(again.lines).toContainEqual(expect.stringMatching(/ - atomic_reactor\.plugins\.import_image - INFO - Importing new tags for myproj-app$/))
    expect(annotation(again, 'plugins-metadata').errors).toEqual({ import_image: "RuntimeError('Could not find primary images in workflow',)" })
  })

  it('builds the branch head for an autorebuild and leaves the BuildConfig alone', async () => {
    const r = repo({ Dockerfile: dockerfile(), '.osbs-repo-config': '[autorebuild]\nenabled = true\n' })
    const first = r.head()
    const head = r.commit({ 'README.md': 'newer\n' }, 'newer')
    const { bc } = setup(r, { commit: first })
    const bcState = { ...bc, metadata: { ...bc.metadata, labels: { ...bc.metadata.labels, is_autorebuild: 'true' } } }
    const host = new FakeHost(buildFrom(bcState, 2), new ImageRegistries(), JSON.parse(JSON.stringify(bcState)))
    const result = await runReactor(host)
    expect(result.success).toBe(true)
    expect(host.build.metadata.annotations!['commit_id']).toBe(head)
    expect(host.lines.some((l) => l.endsWith('This is a rebuild? True'))).toBe(true)
    expect(host.lines.some((l) => l.endsWith('autorebuild is enabled in .osbs-repo-config'))).toBe(true)
    expect(host.buildConfig!.metadata.labels!['is_autorebuild']).toBe('true')
  })

  it("builds the BuildConfig's branch, not the default branch", async () => {
    const r = repo({ Dockerfile: dockerfile({ version: '1.0' }) })
    r.branch('release-2')
    r.checkout('release-2')
    // the branch enables autorebuilds (main has no .osbs-repo-config, which would disable them)
    const userCommit = r.commit({ Dockerfile: dockerfile({ version: '2.0' }), '.osbs-repo-config': '[autorebuild]\nenabled = true\n' }, 'version 2.0 on its branch')
    const branchHead = r.commit({ CHANGES: '2.0.1\n' }, 'later on the branch')
    r.checkout('main')
    r.commit({ Dockerfile: dockerfile({ version: '9.9' }) }, 'main moves on')

    const { host } = setup(r, { branch: 'release-2', commit: userCommit })
    expect((await runReactor(host)).success).toBe(true)
    expect(host.build.metadata.annotations!['commit_id']).toBe(userCommit)
    expect(annotation(host, 'repositories').primary[0]).toBe('registry.example.com:5000/myproj/app:2.0-1')

    const { bc } = setup(r, { branch: 'release-2', commit: userCommit })
    const rebuild = new FakeHost(buildFrom(bc, 2, { labels: { is_autorebuild: 'true' } }), host.registries, bc)
    expect((await runReactor(rebuild)).success).toBe(true)
    expect(rebuild.build.metadata.annotations!['commit_id']).toBe(branchHead)
    expect(annotation(rebuild, 'repositories').primary[0]).toBe('registry.example.com:5000/myproj/app:2.0-2')

    // without a ref there is no SOURCE_REF: atomic-reactor's clone_git_repo checks out 'master' (not the remote's
    // default branch), which this repository does not have
    const { bc: noRef } = setup(r, { commit: undefined })
    delete noRef.spec.source.git.ref
    const defaultBranch = new FakeHost(buildFrom(noRef), new ImageRegistries(), noRef)
    expect((await runReactor(defaultBranch)).success).toBe(false)
    expect(defaultBranch.lines).toContainEqual(expect.stringMatching(/atomic_reactor\.util - DEBUG - url = '.*', dir = '.*', commit = 'master'$/))
    expect(defaultBranch.lines).toContainEqual(expect.stringMatching(/atomic_reactor\.source - ERROR - failed to clone the source: /))
  })

  it('cancels an autorebuild without .osbs-repo-config or without [autorebuild] enabled, as 1.6.26.3 does', async () => {
    // _is_rebuild_enabled starts from False: a missing file (INFO) or configparser's NoSectionError / NoOptionError
    // (ERROR) leave it so; SPEC §9.4's "missing means enabled" is the action's rule, not the engine's
    const PLUGIN = ' - atomic_reactor.plugins.stop_autorebuild_if_disabled - '
    const cases: { files: Record<string, string>; line: string }[] = [
      { files: {}, line: `${PLUGIN}INFO - no ".osbs-repo-config", assuming autorebuild is disabled` },
      { files: { '.osbs-repo-config': '' }, line: `${PLUGIN}ERROR - can't parse ".osbs-repo-config", assuming autorebuild is disabled` },
      { files: { '.osbs-repo-config': '[other]\nenabled = true\n' }, line: `${PLUGIN}ERROR - can't parse ".osbs-repo-config", assuming autorebuild is disabled` },
      { files: { '.osbs-repo-config': '[autorebuild]\nother = true\n' }, line: `${PLUGIN}ERROR - can't parse ".osbs-repo-config", assuming autorebuild is disabled` }
    ]
    for (const { files, line } of cases) {
      const r = repo({ Dockerfile: dockerfile(), ...files })
      const { bc } = setup(r)
      const host = new FakeHost(buildFrom(bc, 3, { labels: { is_autorebuild: 'true' } }), new ImageRegistries(), bc)
      const result = await runReactor(host)
      expect(result).toMatchObject({ success: false, reason: 'GenericBuildFailed' })
      expect(host.lines.filter((l) => l.includes(PLUGIN)).map((l) => l.slice(l.indexOf(PLUGIN)))).toEqual([
        `${PLUGIN}INFO - this is an autorebuild, determining whether to skip it`,
        `${PLUGIN}INFO - reading autorebuild config from ".osbs-repo-config"`,
        line,
        `${PLUGIN}INFO - autorebuild is disabled, stop_autorebuild_if_disabled is interrupting the build`
      ])
      expect(host.lines).toContainEqual(expect.stringMatching(/ - atomic_reactor\.inner - INFO - plugin stop_autorebuild_if_disabled canceled autorebuild: autorebuild is disabled$/))
      expect(host.lines[host.lines.length - 1]).toBe('atomic_reactor.plugin.AutoRebuildCanceledException: plugin stop_autorebuild_if_disabled canceled autorebuild: autorebuild is disabled')
      // a cancel, not an error: nothing built or pushed
      expect(annotation(host, 'plugins-metadata').errors).toEqual({})
      expect(annotation(host, 'repositories')).toEqual({ primary: [], unique: [] })
      expect(host.registries.registries.size).toBe(0)
    }
  })

  it('cancels a disabled autorebuild: Failed, exit plugins run, no error recorded', async () => {
    const r = repo({ Dockerfile: dockerfile(), '.osbs-repo-config': '[autorebuild]\nenabled = false\n' })
    const { bc } = setup(r)
    const host = new FakeHost(buildFrom(bc, 2, { labels: { is_autorebuild: 'true' } }), new ImageRegistries(), bc)
    const result = await runReactor(host)
    expect(result).toMatchObject({ success: false, reason: 'GenericBuildFailed' })
    expect(host.lines).toContainEqual(expect.stringMatching(/ - atomic_reactor\.inner - INFO - plugin stop_autorebuild_if_disabled canceled autorebuild: autorebuild is disabled$/))
    expect(host.lines[host.lines.length - 1]).toBe('atomic_reactor.plugin.AutoRebuildCanceledException: plugin stop_autorebuild_if_disabled canceled autorebuild: autorebuild is disabled')
    // exit plugins ran: metadata stored, the cancel is not an error, nothing built or pushed
    const meta = annotation(host, 'plugins-metadata')
    expect(meta.errors).toEqual({})
    expect(meta.timestamps.stop_autorebuild_if_disabled).toBeDefined()
    expect(meta.durations.stop_autorebuild_if_disabled).toBeUndefined()
    expect(meta.timestamps.docker_api).toBeUndefined()
    expect(annotation(host, 'repositories')).toEqual({ primary: [], unique: [] })
    expect(host.build.metadata.annotations!['image-id']).toBe('')
    expect(host.registries.registries.size).toBe(0)
    expect(host.imports).toEqual([])
  })

  it('fails the build step on RUN exit 3 and records it in plugins-metadata.errors', async () => {
    const r = repo({ Dockerfile: dockerfile({ extra: ['RUN echo before', 'RUN exit 3', 'RUN echo never'] }) })
    const { host } = setup(r)
    const result = await runReactor(host)
    expect(result.success).toBe(false)
    const meta = annotation(host, 'plugins-metadata')
    expect(meta.errors).toEqual({ docker_api: `u"The command '/bin/sh -c exit 3' returned a non-zero code: 3"` })
    expect(host.lines).toContainEqual(expect.stringMatching(/atomic_reactor\.plugin - ERROR - Build step plugin docker_api failed: The command '\/bin\/sh -c exit 3' returned a non-zero code: 3$/))
    expect(host.lines.some((l) => l.endsWith('Step 6/6 : RUN echo never'))).toBe(false)
    expect(host.lines[host.lines.length - 1]).toBe("atomic_reactor.plugin.PluginFailedException: The command '/bin/sh -c exit 3' returned a non-zero code: 3")
    expect(host.registries.registries.size).toBe(0)
    // JSON form too
    const r2 = repo({ Dockerfile: dockerfile({ extra: ['RUN ["/bin/sh", "-c", "exit 7"]'] }) })
    const second = setup(r2).host
    expect((await runReactor(second)).success).toBe(false)
    expect(annotation(second, 'plugins-metadata').errors.docker_api).toBe(`u"The command '/bin/sh -c exit 7' returned a non-zero code: 7"`)
  })

  it('fails the build step for a Dockerfile without FROM', async () => {
    const r = repo({ Dockerfile: 'LABEL name="x" version="1"\nRUN echo\n' })
    const { bc } = setup(r)
    const plugins = JSON.parse(bc.spec.strategy.customStrategy.env[0].value)
    plugins.prebuild_plugins = plugins.prebuild_plugins.filter((p: any) => p.name !== 'bump_release')
    bc.spec.strategy.customStrategy.env[0].value = JSON.stringify(plugins)
    const host = new FakeHost(buildFrom(bc), new ImageRegistries(), bc)
    expect((await runReactor(host)).success).toBe(false)
    expect(annotation(host, 'plugins-metadata').errors).toEqual({ docker_api: "u'Dockerfile parse error: no build stage in current context'" })
  })

  it('injected plugin faults follow atomic-reactor failure rules', async () => {
    const r = repo({ Dockerfile: dockerfile() })
    // a fatal prebuild plugin: stops the build, exit plugins run
    const fatal = setup(r).host
    fatal.faults.set('bump_release', 'koji is down')
    expect((await runReactor(fatal)).success).toBe(false)
    expect(fatal.lines).toContainEqual(expect.stringMatching(/atomic_reactor\.plugin - ERROR - plugin 'bump_release' raised an exception: RuntimeError\('koji is down',\)$/))
    expect(fatal.lines).toContainEqual(expect.stringMatching(/atomic_reactor\.inner - ERROR - one or more prebuild plugins failed: plugin 'bump_release' raised/))
    const meta = annotation(fatal, 'plugins-metadata')
    expect(meta.errors).toEqual({ bump_release: "RuntimeError('koji is down',)" })
    expect(meta.durations.bump_release).toBeUndefined()
    expect(meta.timestamps.add_labels_in_dockerfile).toBeUndefined()
    expect(fatal.registries.registries.size).toBe(0)

    // an allowed-to-fail exit plugin: a warning, the build succeeds
    const allowed = setup(r).host
    allowed.faults.set('remove_built_image', 'device busy')
    expect((await runReactor(allowed)).success).toBe(true)
    expect(allowed.lines).toContainEqual(expect.stringMatching(/WARNING - plugin 'remove_built_image' raised an exception: RuntimeError\('device busy',\)$/))
    expect(allowed.lines).toContainEqual(expect.stringMatching(/INFO - error is not fatal, continuing\.\.\.$/))

    // a not-allowed exit plugin fails an otherwise good build, after the other exit plugins ran
    const exit = setup(r).host
    exit.faults.set('store_metadata_in_osv3', 'conflict')
    expect((await runReactor(exit)).success).toBe(false)
    expect(exit.build.metadata.annotations!['plugins-metadata']).toBeUndefined()
    expect(exit.lines).toContainEqual(expect.stringMatching(/WARNING - plugin 'store_metadata_in_osv3' raised an exception/))
    expect(exit.lines).toContainEqual(expect.stringMatching(/running plugin 'remove_built_image'$/))
    expect(exit.lines).toContainEqual(expect.stringMatching(/atomic_reactor\.inner - ERROR - one or more exit plugins failed: plugin 'store_metadata_in_osv3'/))

    // is_allowed_to_fail in the entry overrides the plugin's default
    const { bc } = setup(r)
    const plugins = JSON.parse(bc.spec.strategy.customStrategy.env[0].value)
    plugins.postbuild_plugins.find((p: any) => p.name === 'compress').is_allowed_to_fail = true
    plugins.postbuild_plugins.push({ name: 'no_such_thing', required: false })
    bc.spec.strategy.customStrategy.env[0].value = JSON.stringify(plugins)
    const overridden = new FakeHost(buildFrom(bc), new ImageRegistries(), bc)
    overridden.faults.set('compress', 'disk full')
    expect((await runReactor(overridden)).success).toBe(true)
    expect(annotation(overridden, 'plugins-metadata').errors).toEqual({})
    expect(overridden.lines).toContainEqual(expect.stringMatching(/WARNING - plugin 'no_such_thing' requested but not available$/))
    expect(overridden.build.metadata.annotations!['tar_metadata']).toBeUndefined()
  })

  it('fails on an unknown required plugin and on a missing plugin configuration', async () => {
    const r = repo({ Dockerfile: dockerfile() })
    const { bc } = setup(r)
    const plugins = JSON.parse(bc.spec.strategy.customStrategy.env[0].value)
    plugins.prebuild_plugins.unshift({ name: 'resolve_module_compose' })
    bc.spec.strategy.customStrategy.env[0].value = JSON.stringify(plugins)
    const host = new FakeHost(buildFrom(bc), new ImageRegistries(), bc)
    expect((await runReactor(host)).success).toBe(false)
    expect(host.lines).toContainEqual(expect.stringMatching(/ERROR - one or more prebuild plugins failed: no such plugin: 'resolve_module_compose', did you set the correct plugin type\?$/))

    bc.spec.strategy.customStrategy.env = []
    const none = new FakeHost(buildFrom(bc), new ImageRegistries(), bc)
    expect((await runReactor(none)).success).toBe(false)
    expect(none.lines[none.lines.length - 1]).toBe('RuntimeError: No plugin configuration found!')
  })

  it('fails before any plugin when the clone or the Dockerfile is missing', async () => {
    const r = repo({ 'README.md': 'no Dockerfile\n' })
    const { host } = setup(r)
    expect((await runReactor(host)).success).toBe(false)
    expect(host.lines.some((l) => /IOError: Dockerfile '.*\/Dockerfile' doesn't exist\.$/.test(l))).toBe(true)
    expect(host.build.metadata.annotations!['plugins-metadata']).toBeUndefined()

    const { host: bad } = setup(r, { uri: r.uri + '-missing' })
    expect((await runReactor(bad)).success).toBe(false)
    expect(bad.lines).toContainEqual(expect.stringMatching(/atomic_reactor\.source - ERROR - failed to clone the source/))
    expect(bad.build.metadata.annotations!['plugins-metadata']).toBeUndefined()

    const { host: badRef } = setup(r, { branch: 'no-such-branch' })
    expect((await runReactor(badRef)).success).toBe(false)
  })

  it('bumps the release with the Koji hub (getNextRelease, then getBuild until unused), and keeps an explicit one', async () => {
    const registries = new ImageRegistries()
    const r = repo({ Dockerfile: dockerfile() })
    for (const expected of ['1', '2', '3']) {
      const { host } = setup(r, {}, registries)
      expect((await runReactor(host)).success).toBe(true)
      expect(annotation(host, 'repositories').primary[0]).toBe(`registry.example.com:5000/myproj/app:1.0-${expected}`)
    }
    expect(koji.list().map((b) => `${b.name}-${b.version}-${b.release}`)).toEqual(['myproj-app-container-1.0-1', 'myproj-app-container-1.0-2', 'myproj-app-container-1.0-3'])
    // a failed (or deleted) build Koji already has: getNextRelease answers 4 from the last, getBuild says 4 exists
    koji.recordBuild({ name: 'myproj-app-container', version: '1.0', release: '4', state: 3 })
    const { host: next } = setup(r, {}, registries)
    await runReactor(next)
    expect(next.lines.some((l) => l.endsWith(`checking that the build does not exist: {u'name': u'myproj-app-container', u'version': u'1.0', u'release': u'4'}`))).toBe(true)
    expect(annotation(next, 'repositories').primary[0]).toBe('registry.example.com:5000/myproj/app:1.0-5')

    const fixed = repo({ Dockerfile: dockerfile({ release: '42' }) })
    const { host } = setup(fixed, {}, registries)
    expect((await runReactor(host)).success).toBe(true)
    expect(annotation(host, 'repositories').primary[0]).toBe('registry.example.com:5000/myproj/app:1.0-42')
    expect(host.lines.some((l) => l.endsWith('release set explicitly so not incrementing'))).toBe(true)
  })

  it('gives a deterministic image id from content and commit', async () => {
    const r = repo({ Dockerfile: dockerfile({ release: '1' }) })
    const ids: string[] = []
    for (let i = 0; i < 2; i++) {
      const { host } = setup(r)
      await runReactor(host)
      ids.push(host.build.metadata.annotations!['image-id']!)
    }
    expect(ids[0]).toBe(ids[1])
    r.commit({ 'other.txt': 'x' }, 'another commit')
    const { host } = setup(r, { commit: r.head() })
    await runReactor(host)
    expect(host.build.metadata.annotations!['image-id']).not.toBe(ids[0])
  })

  it('pulp_push and pulp_sync give crane references; delete_from_registry empties the v2 registry', async () => {
    const r = repo({ Dockerfile: dockerfile() })
    const registries = new ImageRegistries({ craneHosts: { prod: 'https://crane.example.com' } })
    const { host } = setup(r, { pulpPush: 'prod', pulpSync: 'prod', pulpPull: true, registries: { 'registry.example.com:5000': true } }, registries)
    const result = await runReactor(host)
    expect(result.success).toBe(true)
    expect(annotation(host, 'repositories')).toEqual({
      primary: ['crane.example.com/myproj/app:1.0-1', 'crane.example.com/myproj/app:1.0', 'crane.example.com/myproj/app:latest'],
      unique: ['crane.example.com/myproj/app:none-12345-20171002184257']
    })
    expect(annotation(host, 'digests')).toEqual([]) // only docker registries supply digests (atomic-reactor)
    expect(host.build.metadata.annotations!['v1-image-id']).toMatch(/^[0-9a-f]{64}$/)
    expect(annotation(host, 'media-types')).toEqual(['application/json', 'application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'])
    expect(host.lines.some((l) => l.endsWith('image available at crane.example.com/myproj/app:1.0-1'))).toBe(true)
    expect(registries.findRegistry('registry.example.com:5000')!.tags('myproj/app')).toEqual([])
    const crane = registries.pulpEnvironment('prod').repository('myproj/app')!
    expect([...crane.tags.keys()].sort()).toEqual(['1.0', '1.0-1', 'latest', 'none-12345-20171002184257'])
    expect(crane.tags.get('latest')!.digest).toBe(result.imageDigest)
  })

  it("pulp_sync without pulp_pull: no v1/v2 media types (1.6.26.3 takes them from pulp_pull's result); pulp_pull reads the v2 digest back from crane", async () => {
    const r = repo({ Dockerfile: dockerfile() })
    const registries = new ImageRegistries({ craneHosts: { prod: 'https://crane.example.com' } })
    const { host } = setup(r, { pulpPush: 'prod', pulpSync: 'prod', registries: { 'registry.example.com:5000': true } }, registries)
    expect((await runReactor(host)).success).toBe(true)
    expect(annotation(host, 'media-types')).toEqual(['application/json'])
    const { host: pulled } = setup(
      r,
      { pulpSync: 'prod', pulpPull: true, registries: { 'registry.example.com:5000': true } },
      new ImageRegistries({ craneHosts: { prod: 'https://crane.example.com' } })
    )
    expect((await runReactor(pulled)).success).toBe(true)
    const lines = pulled.lines.map((l) => l.replace(/^\S+ \S+ platform:- - /, ''))
    const imageId = pulled.build.metadata.annotations!['image-id']!
    expect(lines).toContain(`atomic_reactor.plugins.pulp_pull - INFO - V2 schema 2 digest found, returning ${imageId}`)
    expect(annotation(pulled, 'media-types')).toEqual(['application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'])
  })

  it('pulp_pull after pulp_push alone pulls the schema 1 image: its id replaces the built one', async () => {
    const r = repo({ Dockerfile: dockerfile() })
    const { host } = setup(r, { pulpPush: 'stage', pulpPull: true })
    expect((await runReactor(host)).success).toBe(true)
    const v1 = host.build.metadata.annotations!['v1-image-id']!
    expect(host.build.metadata.annotations!['image-id']).toBe(`sha256:${v1}`)
    expect(host.lines.some((l) => / - atomic_reactor\.plugins\.pulp_pull - DEBUG - image ID changed from sha256:[0-9a-f]{64} to sha256:[0-9a-f]{64}$/.test(l))).toBe(true)
    expect(annotation(host, 'media-types')).toEqual(['application/json'])
  })

  it('pulp_push alone keeps the docker registry and lists crane after it', async () => {
    const r = repo({ Dockerfile: dockerfile() })
    const { host } = setup(r, { pulpPush: 'stage' })
    expect((await runReactor(host)).success).toBe(true)
    const repos = annotation(host, 'repositories')
    expect(repos.primary).toEqual([
      'registry.example.com:5000/myproj/app:1.0-1',
      'registry.example.com:5000/myproj/app:1.0',
      'registry.example.com:5000/myproj/app:latest',
      'crane-stage.example.com/myproj/app:1.0-1',
      'crane-stage.example.com/myproj/app:1.0',
      'crane-stage.example.com/myproj/app:latest'
    ])
    const digests = annotation(host, 'digests')
    expect(digests).toHaveLength(8)
    expect(digests[4]).toMatchObject({ registry: 'crane-stage.example.com', tag: '1.0-1', digest: digests[0].digest })
    expect(annotation(host, 'media-types')).toEqual(['application/json'])
    expect(host.registries.pulpEnvironment('stage').repository('myproj/app')!.tags.get('1.0')!.v1ImageId).toBe(host.build.metadata.annotations!['v1-image-id'])
  })

  it('pulls the base image from the source registry and inherits its labels', async () => {
    const registries = new ImageRegistries()
    const base = repo({ Dockerfile: dockerfile({ name: 'myproj/base', extra: ['LABEL vendor="Base Corp"'] }) })
    const { host: baseHost } = setup(base, { nameLabel: 'myproj/base' }, registries)
    expect((await runReactor(baseHost)).success).toBe(true)

    const app = repo({
      Dockerfile: ['ARG BASE=myproj/base', 'FROM ${BASE}:1.0 AS builder', 'RUN echo build', 'FROM builder', 'LABEL name="myproj/app" version="2.0" com.redhat.component="app"', 'RUN echo app'].join(
        '\n'
      )
    })
    const { host } = setup(app, { sourceRegistry: 'registry.example.com:5000' }, registries)
    expect((await runReactor(host)).success).toBe(true)
    const a = host.build.metadata.annotations!
    // the pulled myproj/base:1.0, re-tagged as the build's name by pull_base_image
    expect(a['base-image-name']).toBe(host.build.metadata.name)
    expect(a['base-image-id']).toBe(baseHost.build.metadata.annotations!['image-id'])
    expect(host.lines.some((l) => l.endsWith("pulling image 'registry.example.com:5000/myproj/base:1.0' from registry"))).toBe(true)
    const built = registries.findRegistry('registry.example.com:5000')!.get('myproj/app', '2.0-1')!
    expect(built.image.labels['vendor']).toBe('Base Corp')
    expect(built.image.labels['release']).toBe('1')
    expect(annotation(host, 'repositories').primary[0]).toBe('registry.example.com:5000/myproj/app:2.0-1')

    const mismatch = repo({ Dockerfile: dockerfile({ from: 'other.example.com/x:1' }) })
    const { host: bad } = setup(mismatch, { sourceRegistry: 'registry.example.com:5000' }, registries)
    expect((await runReactor(bad)).success).toBe(false)
    expect(annotation(bad, 'plugins-metadata').errors.pull_base_image).toBe(
      `RuntimeError("Registry specified in dockerfile doesn't match provided one. Dockerfile: 'other.example.com', Provided: 'registry.example.com:5000'",)`
    )
  })

  it('stops promptly when the build is cancelled', async () => {
    const r = repo({ Dockerfile: dockerfile({ extra: ['RUN seq 100000'] }) })
    const { host } = setup(r)
    host.paceMs = 50
    host.onLine = (line) => {
      if (/Step \d+\/\d+ : RUN seq 100000$/.test(line)) host.controller.abort()
    }
    const result = await runReactor(host)
    expect(result).toMatchObject({ success: false, reason: 'CancelledBuild' })
    // the step is paced (5 s in all): it was stopped in the middle, not waited for
    expect(host.lines.filter((l) => / - DEBUG - \d+$/.test(l)).length).toBeLessThanOrEqual(1000)
    expect(host.lines.some((l) => l.endsWith('DEBUG - 100000'))).toBe(false)
    expect(host.build.metadata.annotations!['plugins-metadata']).toBeUndefined()
  })

  it('paces its steps through the host', async () => {
    const r = repo({ Dockerfile: dockerfile({ extra: ['RUN seq 20'] }) })
    const { host } = setup(r)
    host.paceMs = 5
    const started = Date.now()
    expect((await runReactor(host)).success).toBe(true)
    expect(host.paces).toBeGreaterThan(40)
    expect(Date.now() - started).toBeGreaterThanOrEqual(host.paces * 5 * 0.9)
  })

  it('emits many extra log lines quickly with RUN seq N, one host.log call per line', async () => {
    const r = repo({ Dockerfile: dockerfile({ extra: ['RUN seq 300000'] }) })
    const { host } = setup(r)
    let count = 0
    let last = ''
    const lines = host.lines
    host.log = (line: string) => {
      count++
      last = line
      if (lines.length < 200) lines.push(line)
    }
    expect((await runReactor(host)).success).toBe(true)
    expect(count).toBeGreaterThan(300000)
    expect(last).toMatch(/build has finished successfully/)
  })
})
