/**
 * The plugins that change what goes into the image, or who hears of the build, run for real: one build with
 * change_from_in_dockerfile, add_help, add_dockerfile, add_yum_repo_by_url + inject_yum_repo (the local OpenShift's
 * yum repository), distribution_scope, all_rpm_packages, tag_from_config and sendmail (the local OpenShift's mail
 * server), built with buildah (the in-process reactor) and with podman (the real atomic-reactor 1.6.26.3). Each
 * image is read back from the registry: the man page, the Dockerfile in /root/buildinfo with its FROM pinned to the
 * base image's id, the `.repo` file seen during the build and gone after, the extra tag; the RPM list is the base
 * image's database; the mail is in the SMTP server. The two reactors' plugin runs, annotations and messages must
 * agree.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describeRealBuilds, skopeoInspect } from '../../__fixtures__/e2e/real-builds.js'
import { logStructure } from '../../__fixtures__/e2e/conformance.js'
import { describeWithReactorTools } from '../../__fixtures__/reactor-tools.js'
import { makeTempDir } from '../../__fixtures__/temp-dirs.js'
import { startCluster, type Cluster } from '../src/index.js'
import { call } from '../testing/client.js'
import { dockerfile, GitRepo } from '../__fixtures__/git-repo.js'
import { fileIn, imageFiles } from '../__fixtures__/image-files.js'

const exec = promisify(execFile)

/** The config digest (the image id) of what the registry serves. */
async function skopeoConfigDigest(pullSpec: string): Promise<string> {
  const raw = JSON.parse((await exec('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${pullSpec}`])).stdout) as { config: { digest: string } }
  return raw.config.digest
}

/** What go-md2man makes of `markdown` here. */
async function manPage(markdown: string): Promise<string> {
  const dir = makeTempDir('man-')
  writeFileSync(join(dir, 'help.md'), markdown)
  await exec('go-md2man', [`-in=${join(dir, 'help.md')}`, `-out=${join(dir, 'help.1')}`])
  return readFileSync(join(dir, 'help.1'), 'utf8')
}
type Mode = 'real' | 'emulated'
const NS = 'osbs'
const B = `/apis/build.openshift.io/v1/namespaces/${NS}`
const HELP = '% APP(1) Container Image Pages\n% Alice\n% May 2017\n# NAME\napp \\- an application\n\n# DESCRIPTION\nIt runs.\n'
const RPM_LINE = /^fedora-release;1;1;noarch;\(none\);0;[0-9a-f]{32};\d+;\(none\);\(none\)$/

/** The plugin list: what osbs-client renders for these plugins, with the cluster's addresses. */
function plugins(cluster: Cluster, registry: string): Record<string, unknown> {
  return {
    client_version: '0.43',
    prebuild_plugins: [
      { name: 'pull_base_image', args: { parent_registry: cluster.sourceRegistryHost, parent_registry_insecure: false } },
      { name: 'add_labels_in_dockerfile', args: { labels: {} } },
      { name: 'change_from_in_dockerfile' },
      { name: 'add_help', args: { help_file: 'help.md' } },
      { name: 'add_dockerfile' },
      { name: 'add_yum_repo_by_url', args: { repourls: [cluster.yum!.repo('local')] } },
      { name: 'inject_yum_repo' },
      { name: 'dockerfile_content', required: false },
      { name: 'distribution_scope' }
    ],
    buildstep_plugins: [{ name: 'docker_api' }],
    prepublish_plugins: [],
    postbuild_plugins: [
      { name: 'all_rpm_packages', args: { image_id: 'BUILT_IMAGE_ID' } },
      { name: 'tag_by_labels' },
      { name: 'tag_from_config' },
      { name: 'tag_and_push', args: { registries: { [registry]: { insecure: false } } } }
    ],
    exit_plugins: [
      { name: 'store_metadata_in_osv3', args: { url: cluster.url, verify_ssl: false, use_auth: true } },
      {
        name: 'sendmail',
        args: { smtp_host: cluster.smtpHost, from_address: 'osbs@example.com', send_on: ['manual_success', 'manual_fail'], additional_addresses: ['alice@example.com'], url: cluster.url }
      },
      { name: 'remove_built_image' }
    ]
  }
}

/** pull_base_image, the build, squash, the pushes and the metadata. */
function squashPlugins(cluster: Cluster, registry: string): Record<string, unknown> {
  return {
    client_version: '0.43',
    prebuild_plugins: [
      { name: 'pull_base_image', args: { parent_registry: cluster.sourceRegistryHost, parent_registry_insecure: false } },
      { name: 'add_labels_in_dockerfile', args: { labels: {} } }
    ],
    buildstep_plugins: [{ name: 'docker_api' }],
    prepublish_plugins: [{ name: 'squash' }],
    postbuild_plugins: [{ name: 'tag_by_labels' }, { name: 'tag_and_push', args: { registries: { [registry]: { insecure: false } } } }],
    exit_plugins: [{ name: 'store_metadata_in_osv3', args: { url: cluster.url, verify_ssl: false, use_auth: true } }, { name: 'remove_built_image' }]
  }
}

describeRealBuilds('the image plugins run for real', () => {
  describeWithReactorTools('with the real atomic-reactor and with the in-process one', () => {
    const clusters: Partial<Record<Mode, Cluster>> = {}
    const seen: Partial<Record<Mode, { annotations: Record<string, string>; log: string; mail: { subject: string; to: string[]; text: string; raw: string } }>> = {}
    const repos: GitRepo[] = []
    beforeAll(async () => {
      for (const mode of ['real', 'emulated'] as Mode[]) {
        const cluster = (clusters[mode] = await startCluster({ namespace: NS, builds: 'real', reactor: mode, registryNames: ['registry', 'source'], sourceRegistry: 'source', logWaitSeconds: 120 }))
        await cluster.publishImage(NS, 'fedora', 'latest', { from: 'fedora:latest' })
      }
    })
    afterAll(async () => {
      for (const c of Object.values(clusters)) await c?.close()
      repos.forEach((r) => r.remove())
    })

    /** A BuildConfig of a new repository with these files and plugins, built once: its name, log and Build. */
    async function runBuild(cluster: Cluster, bcName: string, files: Record<string, string>, pluginList: Record<string, unknown>, output: string) {
      const repo = new GitRepo('app')
      repos.push(repo)
      repo.commit(files, 'initial')
      const bc = {
        apiVersion: 'build.openshift.io/v1',
        kind: 'BuildConfig',
        metadata: { name: bcName },
        spec: {
          source: { type: 'Git', git: { uri: repo.uri, ref: 'main' } },
          strategy: {
            type: 'Custom',
            customStrategy: { from: { kind: 'DockerImage', name: 'buildroot:latest' }, exposeDockerSocket: true, env: [{ name: 'ATOMIC_REACTOR_PLUGINS', value: JSON.stringify(pluginList) }] }
          },
          output: { to: { kind: 'DockerImage', name: output } }
        }
      }
      expect((await call(cluster, 'POST', `${B}/buildconfigs`, { body: bc })).status).toBe(201)
      const started = await call(cluster, 'POST', `${B}/buildconfigs/${bcName}/instantiate`, { body: { kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name: bcName } } })
      expect(started.status).toBe(201)
      const name = started.body.metadata.name as string
      // the followed log ends with the build
      const log = (await call(cluster, 'GET', `${B}/builds/${name}/log?follow=true`, { headers: { Accept: 'text/plain' } })).text
      const build = (await call(cluster, 'GET', `${B}/builds/${name}`)).body
      return { name, log, build }
    }

    for (const mode of ['real', 'emulated'] as Mode[]) {
      it(`the ${mode} reactor`, async () => {
        const cluster = clusters[mode]!
        const registry = cluster.registryHosts['registry']!
        const df = dockerfile({ release: '3', extra: ['LABEL distribution-scope="public"', 'RUN cat /etc/yum.repos.d/local.repo > /repo-seen-in-build'] })
        const { log, build } = await runBuild(
          cluster,
          'app-main',
          { Dockerfile: df, 'help.md': HELP, 'additional-tags': 'stable\n' },
          plugins(cluster, registry),
          `${registry}/myproj/app:main-${mode}`
        )
        if (build.status.phase !== 'Complete') console.log(log)
        expect(build.status.phase).toBe('Complete')
        const annotations = build.metadata.annotations as Record<string, string>

        // the extra tag from additional-tags is in the registry, with the others
        const tags = JSON.parse((await exec('skopeo', ['list-tags', '--tls-verify=false', `docker://${registry}/myproj/app`])).stdout).Tags as string[]
        expect(tags.sort()).toEqual(['1.0', '1.0-3', 'latest', `main-${mode}`, 'stable'])
        const { root, layers } = await imageFiles(`${registry}/myproj/app:stable`)
        // the man page go-md2man made of help.md
        expect(fileIn(root, 'help.1')).toBe(await manPage(HELP))
        expect(fileIn(root, 'help.1')).toMatch(/^\.TH APP\(1\) Container Image Pages$[^]*^\.SH NAME$[^]*^app - an application/m)
        // the Dockerfile as add_dockerfile found it: FROM pinned to the pulled base image's id
        const inImage = fileIn(root, 'root/buildinfo/Dockerfile-myproj-app-1.0-3')!
        expect(inImage.split('\n')[0]).toBe(`FROM ${annotations['base-image-id']}`)
        expect(annotations['base-image-id']).toMatch(/^sha256:[0-9a-f]{64}$/)
        // the .repo file was in /etc/yum.repos.d/ while the build ran (a layer adds it) and is gone from the image
        expect(fileIn(root, 'repo-seen-in-build')).toBe(cluster.yum!.repoFileText('local'))
        expect(layers.some((files) => files.includes('etc/yum.repos.d/local.repo'))).toBe(true)
        expect(fileIn(root, 'etc/yum.repos.d/local.repo')).toBeUndefined()
        expect(annotations.help_file).toBe('"help.md"')
        // 1.6.26.3 keeps the RPM list out of the annotations; the log shows the plugin ran on the base image's rpm
        expect(annotations['rpm-packages']).toBe('')
        // what `rpm -qa` in the image answers (all_rpm_packages' query, read here with this machine's rpm)
        const qf = '%{NAME};%{VERSION};%{RELEASE};%{ARCH};%{EPOCH};%{SIZE};%{SIGMD5};%{BUILDTIME};%{SIGPGP:pgpsig};%{SIGGPG:pgpsig}\\n'
        const rpms = (await exec('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-qa', '--qf', qf])).stdout.split('\n').filter(Boolean)
        expect(rpms).toEqual([expect.stringMatching(RPM_LINE)])
        // all_rpm_packages ran /bin/rpm in a container of the built image, which exited 0
        expect(log).toMatch(/atomic_reactor\.core - INFO - getting stdout of container '[^']+'/)
        if (mode === 'emulated') expect(log).toMatch(/atomic_reactor\.core - DEBUG - container finished with exit code 0\n/)
        const [mail] = await cluster.mail!.waitForMessages(1)
        seen[mode] = { annotations, log, mail: { subject: mail!.subject, to: mail!.to, text: mail!.text, raw: mail!.raw } }
        expect(mail).toMatchObject({ from: 'osbs@example.com', to: ['alice@example.com'], subject: `Succeeded building image myproj/app:main-${mode}` })
        // the logs' URL: Koji's task folder with a koji-task-id label, else url + the Build's selfLink, which the local
        // OpenShift's BUILD variable does not have (so None, from both reactors)
        expect(mail!.text).toContain('Logs: None')
        expect(log).toContain('removing dockerfile_content plugin request; please update your osbs-client!')
      })
    }

    it('squash: the imitation squashes the layers above the base into one, its whiteouts hiding only what the base has', async () => {
      const cluster = clusters.emulated!
      const registry = cluster.registryHosts['registry']!
      const list = squashPlugins(cluster, registry)
      const df = dockerfile({ name: 'myproj/squashed', release: '1', extra: ['RUN echo one > /one && echo temp > /temp', 'RUN rm /temp /etc/base-image', 'RUN echo two > /two'] })
      const { log, build } = await runBuild(cluster, 'squashed-main', { Dockerfile: df }, list, `${registry}/myproj/squashed:unique`)
      if (build.status.phase !== 'Complete') console.log(log)
      expect(build.status.phase).toBe('Complete')
      const pushed = await skopeoInspect(`${registry}/myproj/squashed:1.0-1`)
      const base = await skopeoInspect(`${cluster.sourceRegistryHost}/fedora:latest`)
      expect(pushed.Layers.slice(0, base.Layers.length)).toEqual(base.Layers)
      expect(pushed.Layers).toHaveLength(base.Layers.length + 1)
      // the image id store_metadata_in_osv3 reports is the squashed image's, whose config the registry serves
      expect(build.metadata.annotations['image-id']).toBe(await skopeoConfigDigest(`${registry}/myproj/squashed:1.0-1`))
      const { root, layers } = await imageFiles(`${registry}/myproj/squashed:1.0-1`)
      expect(fileIn(root, 'one')).toBe('one\n')
      expect(fileIn(root, 'two')).toBe('two\n')
      expect(fileIn(root, 'temp')).toBeUndefined()
      expect(fileIn(root, 'etc/base-image')).toBeUndefined()
      const squashed = layers[layers.length - 1]!
      expect(squashed).toContain('etc/.wh.base-image')
      expect(squashed.some((f) => f.includes('.wh.temp'))).toBe(false)
      expect(log).toMatch(/atomic_reactor\.plugins\.squash - INFO - squashed \d+ layers into 2\n/)
    })

    it('squash: the real atomic-reactor cannot load the plugin here (no docker_squash), and says so', async () => {
      const cluster = clusters.real!
      const registry = cluster.registryHosts['registry']!
      const df = dockerfile({ name: 'myproj/squashed', release: '1', extra: ['RUN echo one > /one'] })
      const { log, build } = await runBuild(cluster, 'squashed-main', { Dockerfile: df }, squashPlugins(cluster, registry), `${registry}/myproj/squashed:unique`)
      expect(build.status.phase).toBe('Failed')
      expect(log).toMatch(/atomic_reactor\.plugin - WARNING - can't load module '[^']*\/prepub_squash\.py': ModuleNotFoundError\("No module named 'docker_squash'"\)/)
      expect(log).toContain("atomic_reactor.plugin - ERROR - no such plugin: 'squash', did you set the correct plugin type?")
    })

    it('the two agree: the same plugins ran, the same annotations, the same message', () => {
      const real = seen.real!
      const emulated = seen.emulated!
      expect(logStructure(emulated.log)).toEqual(logStructure(real.log))
      const keys = ['help_file', 'rpm-packages', 'base-image-name']
      for (const k of keys) expect(emulated.annotations[k]).toEqual(real.annotations[k])
      const dockerfileShape = (a: Record<string, string>) =>
        a.dockerfile!.replace(/sha256:[0-9a-f]{64}/g, '<id>').replace(/"build-date"="[^"]*"|"vcs-ref"="[^"]*"|"com\.redhat\.build-host"="[^"]*"/g, '<label>')
      expect(dockerfileShape(emulated.annotations)).toEqual(dockerfileShape(real.annotations))
      expect(emulated.mail.subject.replace(/main-emulated$/, 'main-real')).toBe(real.mail.subject)
      // the message as smtplib sent it, byte for byte (the image's tag aside)
      expect(emulated.mail.raw.replace(/main-emulated/g, 'main-real')).toBe(real.mail.raw)
    })
  })
})
