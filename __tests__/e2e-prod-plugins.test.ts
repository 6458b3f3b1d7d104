/**
 * osbs-client's prod plugins, each from its input to its effect: the bundled action against a local OpenShift with
 * real builds (buildah, a real registry), its Koji hub, mail server and yum repository. For each run the test reads
 * the plugin list the action wrote, then what the plugin did: the extra tag of `additional-tags` in the registry,
 * the `.repo` file of `yum-repourls` (or of the Koji target) seen during the build and gone from the image, the
 * Dockerfile in `/root/buildinfo/` with its FROM pinned to the pulled base image, the man page of `help.md`, the
 * build imported into Koji and tagged into the target's tag (the outputs name it, rpm-count counts the RPMs the hub
 * holds for its image), and the mail of `sendmail`.
 * Run alone: `npx jest __tests__/e2e-prod-plugins.test.ts`.
 */
import { beforeAll, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { runAction, type ActionRun } from '../__fixtures__/e2e/action.js'
import { dockerfile, makeRepo } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { describeRealBuilds, skopeoInspect } from '../__fixtures__/e2e/real-builds.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'
import { imageFiles } from '../emulator/__fixtures__/image-files.js'

const TARGET = 'acme-1.0-container'
const HELP = '% WIDGET(1) Container Image Pages\n% Acme\n% December 2026\n\n# NAME\nwidget - the widget service\n'
/** Every `.repo` file the build saw, kept in the image by a RUN step. */
const SEE_REPOS = 'RUN cat /etc/yum.repos.d/*.repo > /repos-seen.txt\n'

type Plugins = Record<'prebuild_plugins' | 'prepublish_plugins' | 'postbuild_plugins' | 'exit_plugins', { name: string; args?: Record<string, unknown> }[]>

function pluginsOf(run: ActionRun): Plugins {
  const bc = JSON.parse(run.outputs['build-config-json']!)
  return JSON.parse(bc.spec.strategy.customStrategy.env.find((e: { name: string }) => e.name === 'ATOMIC_REACTOR_PLUGINS').value)
}

const PHASES = ['prebuild_plugins', 'prepublish_plugins', 'postbuild_plugins', 'exit_plugins'] as const
const names = (plugins: Plugins) => PHASES.flatMap((phase) => plugins[phase].map((p) => p.name))
const fileIn = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8')

describeRealBuilds('the prod plugins, each from its input to its effect', () => {
  const local = useLocalOpenShift({ builds: 'real', registryNames: ['registry', 'source'], sourceRegistry: 'source', kojiTargets: [TARGET] })
  let tmp: string
  let registry: string
  let source: string
  beforeAll(async () => {
    tmp = makeTempDir('osbs-e2e-prod-')
    registry = local.emulator.registryHosts['registry']!
    source = local.emulator.registryHosts['source']!
    await local.emulator.publishImage(local.emulator.namespace, 'fedora', 'latest', { from: 'fedora:latest' })
  })
  const inputs = (extra: Record<string, string> = {}) => local.inputs({ 'registry-uri': `${registry}/v2`, 'source-registry-uri': source, 'registry-api-versions': 'v2', ...extra })

  it('yum-repourls, additional-tags, help.md, smtp-*: the repo in the build, the extra tag, the man page, the pinned FROM, the Koji build, the mail', async () => {
    const repo = makeRepo(path.join(tmp, 'widget'), {
      Dockerfile: dockerfile('fedora:latest', 'acme/widget', '1.0', SEE_REPOS),
      'additional-tags': 'stable\n',
      'help.md': HELP
    })
    const yumRepo = local.emulator.yum!.repo('local')
    const run = await runAction({
      checkout: repo,
      repository: 'acme/widget',
      inputs: inputs({
        target: TARGET,
        'yum-repourls': yumRepo,
        'smtp-host': local.emulator.smtpHost,
        'smtp-from': 'osbs@example.com',
        'smtp-additional-addresses': 'release@example.com',
        'smtp-send-on': 'manual_success,manual_fail'
      })
    })
    if (run.code !== 0) console.log(run.stdout)
    expect(run.code).toBe(0)

    // the inputs rendered the plugins: yum-repourls replaces the target's repository (no koji plugin)
    const plugins = pluginsOf(run)
    expect(plugins.prebuild_plugins.find((p) => p.name === 'add_yum_repo_by_url')?.args).toEqual({ repourls: [yumRepo] })
    expect(names(plugins)).toEqual(
      expect.arrayContaining(['change_from_in_dockerfile', 'add_help', 'add_dockerfile', 'inject_yum_repo', 'tag_from_config', 'koji_promote', 'koji_tag_build', 'sendmail'])
    )
    expect(names(plugins)).not.toContain('koji')

    // tag_from_config: the tag of additional-tags is in the registry, the same image as the primary tag
    const primary = await skopeoInspect(run.outputs.image!)
    expect((await skopeoInspect(`${registry}/acme/widget:stable`)).Digest).toBe(primary.Digest)
    expect(run.outputs['primary-images']!.split('\n')).toContain(`${registry}/acme/widget:stable`)

    const { root } = await imageFiles(run.outputs.image!)
    // inject_yum_repo: the build saw the .repo file of yum-repourls; the image does not keep it
    expect(fileIn(root, 'repos-seen.txt')).toBe(local.emulator.yum!.repoFileText('local'))
    expect(() => fileIn(root, 'etc/yum.repos.d/local.repo')).toThrow()
    // add_dockerfile and change_from_in_dockerfile: the Dockerfile in the image, FROM pinned to the base pulled
    const nvr = run.outputs['koji-nvr']!
    expect(nvr).toBe('widget-1.0-1')
    // add_dockerfile names it by the name label (slashes as dashes), Koji by the component
    const inImage = fileIn(root, 'root/buildinfo/Dockerfile-acme-widget-1.0-1')
    const baseImageId = local.buildsOf(run.outputs['build-config']!)[0]!.metadata.annotations!['base-image-id']!
    expect(baseImageId).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(inImage.split('\n')[0]).toBe(`FROM ${baseImageId}`)
    // add_help: help.md as a man page
    expect(fileIn(root, 'help.1')).toMatch(/^\.TH WIDGET\(1\) Container Image Pages/m)

    // koji_promote and koji_tag_build: the build in Koji with its outputs, tagged; the outputs name it
    const build = local.emulator.koji!.builds().find((b) => `${b.name}-${b.version}-${b.release}` === nvr)
    expect(build).toBeDefined()
    expect(run.outputs['koji-build-id']).toBe(String(build!.id))
    expect(build!.outputs.map((o) => o.type)).toEqual(expect.arrayContaining(['docker-image', 'log']))
    for (const output of build!.outputs.filter((o) => o.content)) expect(output.filesize).toBe(output.content!.length)
    expect(local.emulator.koji!.tagged(TARGET)).toContain(nvr)
    expect(run.summary).toContain(nvr)
    // rpm-count: the RPM components the hub holds for the build's image archives (all_rpm_packages' list, as
    // koji_promote sent it; 1.6.26.3's rpm-packages annotation is empty): the base image's package among them
    const koji = local.emulator.koji!
    const archives = koji.call('listArchives', [{ buildID: build!.id, type: 'image', __starstar: true }]) as { id: number }[]
    const rpms = archives.flatMap((a) => koji.call('listRPMs', [{ imageID: a.id, __starstar: true }]) as { id: number; name: string }[])
    expect(rpms.map((r) => r.name)).toContain('fedora-release')
    expect(rpms.length).toBeGreaterThan(0)
    expect(run.outputs['rpm-count']).toBe(String(new Set(rpms.map((r) => r.id)).size))
    expect(run.summary).toContain(`| RPMs | ${run.outputs['rpm-count']} |`)

    // sendmail: the message of a manual build that succeeded
    const [mail] = await local.emulator.mail!.waitForMessages(1)
    expect(mail).toMatchObject({ from: 'osbs@example.com', to: ['release@example.com'] })
    expect(mail!.subject).toMatch(/^Succeeded building image acme\/widget:/)
  })

  it("koji-root and target without yum-repourls: the Koji target's repository in the build", async () => {
    const repo = makeRepo(path.join(tmp, 'gadget'), { Dockerfile: dockerfile('fedora:latest', 'acme/gadget', '2.0', SEE_REPOS) })
    const run = await runAction({ checkout: repo, repository: 'acme/gadget', inputs: inputs({ target: TARGET, 'koji-root': local.emulator.kojiRoot }) })
    if (run.code !== 0) console.log(run.stdout)
    expect(run.code).toBe(0)
    expect(pluginsOf(run).prebuild_plugins.find((p) => p.name === 'koji')?.args).toMatchObject({ target: TARGET, root: local.emulator.kojiRoot, hub: local.emulator.kojiHub })
    const { root } = await imageFiles(run.outputs.image!)
    // the koji plugin's repo file: the build tag's repository the hub serves under its topurl
    const seen = fileIn(root, 'repos-seen.txt')
    const baseurl = /^baseurl=(.*)$/m.exec(seen)?.[1]
    expect(baseurl).toMatch(new RegExp(`^${local.emulator.kojiRoot}/repos/${TARGET}-build/\\d+/\\$basearch$`))
    const served = await fetch(`${baseurl!.replace('$basearch', 'x86_64')}/repodata/repomd.xml`)
    expect(served.status).toBe(200)
  })

  it('rpm-packages: false leaves all_rpm_packages out; squash: false keeps the layers', async () => {
    const repo = makeRepo(path.join(tmp, 'plain'), { Dockerfile: dockerfile('fedora:latest', 'acme/plain', '1.0', 'RUN echo one > /one\nRUN echo two > /two\n') })
    const run = await runAction({ checkout: repo, repository: 'acme/plain', inputs: inputs({ 'rpm-packages': 'false', squash: 'false' }) })
    expect(run.code).toBe(0)
    expect(names(pluginsOf(run))).not.toContain('all_rpm_packages')
    expect(names(pluginsOf(run))).not.toContain('squash')
    const base = await skopeoInspect(`${source}/fedora:latest`)
    // a layer for each RUN and for add_dockerfile's ADD of the Dockerfile, as docker builds them
    expect((await skopeoInspect(run.outputs.image!)).Layers).toHaveLength(base.Layers.length + 3)
  })
})
