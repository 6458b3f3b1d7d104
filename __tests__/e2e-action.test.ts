/**
 * End to end: `node dist/index.js` as a runner starts it, against the local OpenShift.
 * Checks 1, 2, 3, 5 and 7 of the build flow (first run, update, v1+v2+Pulp, adoption, failing plugin).
 */
import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { errorAnnotations, runAction } from '../__fixtures__/e2e/action.js'
import { commitFiles, dockerfile, makeRepo } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'
import { readJobLog } from '../__fixtures__/runner-model.js'

const local = useLocalOpenShift({ logWaitSeconds: 2, craneHosts: { 'pulp-prod': 'crane.example.com' } })
const tmp = makeTempDir('osbs-e2e-')

/** Digest the emulated registry serves for host/repository:tag. */
function registryDigest(pullSpec: string): string | undefined {
  const [host, ...rest] = pullSpec.split('/')
  const [repository, tag] = rest.join('/').split(':')
  return local.emulator.registries.findRegistry(host)?.repository(repository)?.tags.get(tag)
}

describe('the action against the local OpenShift', () => {
  let app: ReturnType<typeof makeRepo>
  let bcName: string

  it('1. first run: creates the BuildConfig, builds, sets every output and the summary', async () => {
    app = makeRepo(path.join(tmp, 'app'), { Dockerfile: dockerfile('fedora:latest', 'acme/app', '1.0', 'RUN echo building app\n') })
    const run = await runAction({
      checkout: app,
      inputs: { ...local.inputs(), 'registry-uri': 'registry.example.com:5000/v2' }
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const out = run.outputs
    bcName = out['build-config']
    expect(bcName).toMatch(/^app-main-[0-9a-f]{5}$/)

    // The BuildConfig as SPEC §5.1 describes it
    const bc = local.emulator.store.get('buildconfigs', local.emulator.namespace, bcName)!
    expect(bc.metadata.labels).toMatchObject({ 'git-repo-name': 'app', 'git-branch': 'main' })
    expect(bc.metadata.labels?.is_autorebuild).toBe('true') // written "false", set by check_and_set_rebuild
    expect(bc.spec.runPolicy).toBe('Serial')
    expect(bc.spec.source).toMatchObject({ type: 'Git', git: { uri: app.uri, ref: 'main' } })
    expect(bc.spec.strategy.type).toBe('Custom')
    expect(bc.spec.strategy.customStrategy.from).toEqual({ kind: 'DockerImage', name: 'buildroot:latest' })
    const plugins = JSON.parse(bc.spec.strategy.customStrategy.env.find((e: any) => e.name === 'ATOMIC_REACTOR_PLUGINS').value)
    expect(plugins.prebuild_plugins.find((p: any) => p.name === 'bump_release').args).toEqual({ hub: local.emulator.kojiHub, koji_ssl_certs_dir: '/var/run/secrets/atomic-reactor/kojisecret' })
    // the first build builds the pushed commit: SOURCE_REF from the BuildRequest's env, after the BuildConfig's ref
    const build1 = local.buildsOf(bcName)[0]!
    expect(build1.spec.source.git.ref).toBe('main')
    expect(build1.spec.strategy.customStrategy.env.filter((e: any) => e.name === 'SOURCE_REF')).toEqual([{ name: 'SOURCE_REF', value: app.commit }])
    expect(bc.spec.output.to).toEqual({ kind: 'DockerImage', name: expect.stringMatching(/^registry\.example\.com:5000\/acme\/app:none-\d{5}-\d{14}$/) })
    expect(bc.spec.triggers).toEqual([{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'fedora:latest' } } }])
    // build-config-json: the BuildConfig as the run rendered and wrote it
    expect(JSON.parse(out['build-config-json']!)).toMatchObject({
      kind: 'BuildConfig',
      metadata: { name: bcName, labels: { 'git-repo-name': 'app', 'git-branch': 'main' } },
      spec: { source: bc.spec.source, strategy: bc.spec.strategy, output: bc.spec.output, triggers: bc.spec.triggers }
    })

    // The build and every output of SPEC §6.6
    const all = local.buildsOf(bcName)
    expect(all).toHaveLength(1)
    const build = all[0]
    expect(build.status.phase).toBe('Complete')
    // the run's annotations were on the Build until store_metadata_in_osv3 replaced them all, as 1.6.26.3 does
    expect(build.metadata.annotations?.['osbs-build-action/run-url']).toBeUndefined()
    expect(build.metadata.annotations?.['commit_id']).toBe(app.commit)
    expect(out['build-name']).toBe(build.metadata.name)
    expect(out['build-number']).toBe('1')
    expect(out['build-status']).toBe('Complete')
    expect(out['build-url']).toBe(`${local.emulator.url}/apis/build.openshift.io/v1/namespaces/${local.emulator.namespace}/builds/${build.metadata.name}`)
    const repositories = JSON.parse(build.metadata.annotations!.repositories)
    expect(out.image).toBe(repositories.primary[0])
    expect(out.image).toBe('registry.example.com:5000/acme/app:1.0-1')
    expect(JSON.parse(out.images)).toEqual([...repositories.primary, ...repositories.unique])
    expect(out['primary-images'].split('\n')).toEqual(['registry.example.com:5000/acme/app:1.0-1', 'registry.example.com:5000/acme/app:1.0', 'registry.example.com:5000/acme/app:latest'])
    expect(out['unique-images']).toBe(bc.spec.output.to.name)
    expect(out['v2-images'].split('\n')).toEqual(JSON.parse(out.images))
    expect(out['v1-images']).toBe('')
    expect(out['pulp-images']).toBe('')
    expect(out['image-digest']).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(out['image-digest']).toBe(registryDigest(out.image))
    expect(JSON.parse(out.digests)).toEqual(JSON.parse(build.metadata.annotations!.digests))
    expect(out['image-id']).toBe(build.metadata.annotations!['image-id'])
    expect(out['commit-id']).toBe(app.commit)
    // the Dockerfile's base image; the base-image-name annotation is the build's own name (pull_base_image re-tags)
    expect(out['base-image']).toBe('fedora:latest')
    expect(build.metadata.annotations!['base-image-name']).toBe(build.metadata.name)
    expect(out['base-image-stream-tag']).toBe('fedora:latest')
    expect(out.autorebuild).toBe('true')

    // The job log: the build log grouped per plugin; the summary's table of images
    expect(readJobLog(run.stdout).shown).toContain('##[group]plugin tag_and_push')
    expect(run.stdout).toMatch(/atomic_reactor\.inner - INFO - build has finished successfully/)
    expect(run.summary).toContain('| Kind | Pull spec | Digest |')
    for (const image of JSON.parse(out.images)) expect(run.summary).toContain(`| v2 registry | \`${image}\` |`)
    expect(run.summary).toContain(out['image-digest'])
    expect(run.state['build-name']).toBe(build.metadata.name)
    expect(run.state['build-finished']).toBe('true')

    // No import_image in the plugins: the action wrote the ImageStream, and OpenShift imported the pushed digests
    expect(plugins.postbuild_plugins.map((p: any) => p.name)).not.toContain('import_image')
    const stream = local.emulator.store.get('imagestreams', local.emulator.namespace, 'acme-app')!
    expect(stream.metadata.annotations).toMatchObject({ 'openshift.io/image.insecureRepository': 'true', 'openshift.io/image.dockerRepositoryCheck': expect.any(String) })
    expect(stream.spec.dockerImageRepository).toBeUndefined()
    expect(stream.spec.tags).toEqual(
      ['1.0', 'latest'].map((tag) =>
        expect.objectContaining({ name: tag, from: { kind: 'DockerImage', name: `registry.example.com:5000/acme/app:${tag}` }, importPolicy: { scheduled: true, insecure: true } })
      )
    )
    const imported = (tag: string) => stream.status.tags.find((t: any) => t.tag === tag)?.items?.[0]?.image
    expect(imported('latest')).toBe(out['image-digest'])
    expect(imported('1.0')).toBe(out['image-digest'])
    expect(run.stdout).toContain("Created ImageStream acme-app: 1.0, latest from registry.example.com:5000/acme/app, imported now and on OpenShift's schedule")
    expect(run.stdout).toContain(`ImageStream acme-app imported 1.0 (${out['image-digest']}), latest (${out['image-digest']})`)
    expect(run.summary).toContain('| ImageStream | `acme-app` created: 1.0, latest from `registry.example.com:5000/acme/app`, imported |')
  })

  it('2. a second run on a new commit updates the BuildConfig, keeps labels others set, builds the new commit', async () => {
    await local.api.request({
      verb: 'PATCH',
      group: 'build',
      resource: 'buildconfigs',
      name: bcName,
      body: { metadata: { labels: { team: 'platform' }, annotations: { 'example.com/owner': 'ops' } } },
      contentType: 'application/merge-patch+json'
    })
    app = commitFiles(app, { Dockerfile: dockerfile('fedora:latest', 'acme/app', '1.0', 'RUN echo building app again\n') }, 'second')
    const run = await runAction({ checkout: app, inputs: { ...local.inputs(), 'registry-uri': 'registry.example.com:5000/v2' } })
    expect(run.code).toBe(0)
    const bc = local.emulator.store.get('buildconfigs', local.emulator.namespace, bcName)!
    expect(bc.metadata.labels?.team).toBe('platform')
    expect(bc.metadata.annotations?.['example.com/owner']).toBe('ops')
    const plugins = JSON.parse(bc.spec.strategy.customStrategy.env.find((e: any) => e.name === 'ATOMIC_REACTOR_PLUGINS').value)
    expect(plugins.prebuild_plugins.find((p: any) => p.name === 'bump_release').args).toEqual({ hub: local.emulator.kojiHub, koji_ssl_certs_dir: '/var/run/secrets/atomic-reactor/kojisecret' })
    expect(run.outputs['build-name']).toBe(`${bcName}-2`)
    expect(run.outputs['commit-id']).toBe(app.commit)
    expect(run.outputs.image).toBe('registry.example.com:5000/acme/app:1.0-2')
    expect(local.buildsOf(bcName)).toHaveLength(2)
    expect(run.stdout).toContain(`Updated BuildConfig ${bcName}`)
    // the stream existed: updated, and imported again with the second build's digest
    expect(run.stdout).toContain('Updated ImageStream acme-app: 1.0, latest')
    const stream = local.emulator.store.get('imagestreams', local.emulator.namespace, 'acme-app')!
    expect(stream.status.tags.find((t: any) => t.tag === 'latest').items[0].image).toBe(run.outputs['image-digest'])
  })

  it('3. v1 + v2 + Pulp: v1-images, v2-images, pulp-images and image-digest', async () => {
    for (const name of ['pulp-creds', 'v1-creds', 'v2-creds'])
      await local.api.request({
        verb: 'POST',
        group: 'core',
        resource: 'secrets',
        body: { apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: { token: Buffer.from('x').toString('base64') } }
      })
    const repo = makeRepo(path.join(tmp, 'multi'), { Dockerfile: dockerfile('fedora:latest', 'acme/multi', '2.0') })
    const run = await runAction({
      checkout: repo,
      repository: 'acme/multi',
      inputs: {
        ...local.inputs(),
        'registry-uri': 'registry-v1.example.com:5000/v1\nhttps://registry.example.com/v2',
        'registry-secret': 'v1-creds,v2-creds',
        'pulp-registry-name': 'pulp-prod',
        'pulp-secret': 'pulp-creds'
      }
    })
    if (run.code !== 0) console.log(run.stdout)
    expect(run.code).toBe(0)
    const out = run.outputs
    if (process.env.E2E_SHOW) console.log(out)
    const all: string[] = JSON.parse(out.images)
    const byHost = (host: string) => all.filter((p) => p.startsWith(host + '/'))
    expect(byHost('registry-v1.example.com:5000').length).toBeGreaterThan(0)
    expect(byHost('crane.example.com').length).toBeGreaterThan(0)
    expect(out['v1-images'].split('\n')).toEqual(byHost('registry-v1.example.com:5000'))
    // pulp_sync copied the v2 tags to crane and delete_from_registry removed them from the v2 registry
    expect(out['v2-images']).toBe('')
    expect(byHost('registry.example.com')).toEqual([])
    expect(local.emulator.registries.findRegistry('registry.example.com')?.tags('acme/multi') ?? []).toEqual([])
    expect(out['pulp-images'].split('\n')).toEqual(byHost('crane.example.com'))
    expect(all.length).toBe(byHost('registry-v1.example.com:5000').length + byHost('registry.example.com').length + byHost('crane.example.com').length)
    // image-digest is the v2 digest of image, as recorded by the build
    const digests = JSON.parse(out.digests) as { registry: string; repository: string; tag: string; digest: string; version?: string }[]
    const [host, ...rest] = out.image.split('/')
    const [repository, tag] = rest.join('/').split(':')
    const recorded = digests.filter((d) => d.registry === host && d.repository === repository && d.tag === tag)
    const v2 = recorded.find((d) => d.version === 'v2') ?? recorded.find((d) => !d.version)
    expect(out['image-digest']).toBe(v2?.digest ?? '')
    if (host !== 'registry-v1.example.com:5000') expect(out['image-digest']).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(run.summary).toContain('| v1 registry |')
    expect(run.summary).toContain('| Pulp |')
  })

  it('5. a trigger on a tag that already has an image: the build OpenShift starts is adopted, one build in all', async () => {
    local.emulator.publishExternalImage(local.emulator.namespace, 'centos', '7', { from: 'docker.io/library/centos:7' })
    const repo = makeRepo(path.join(tmp, 'adopt'), { Dockerfile: dockerfile('centos:7', 'acme/adopt', '1.0') })
    const run = await runAction({ checkout: repo, repository: 'acme/adopt', inputs: { ...local.inputs(), 'registry-uri': 'registry.example.com:5000/v2' } })
    expect(run.code).toBe(0)
    const bc = run.outputs['build-config']
    const all = local.buildsOf(bc)
    expect(all).toHaveLength(1)
    expect(run.outputs['build-name']).toBe(all[0].metadata.name)
    expect(JSON.stringify(all[0].spec.triggeredBy)).toMatch(/[Ii]mage change/)
    expect(run.stdout).toContain(`OpenShift started build ${all[0].metadata.name} (image change)`)
    expect(run.summary).toContain('adopted by this run')
    expect(run.outputs['build-status']).toBe('Complete')
  })

  it('7. a failing plugin: exit code 1, "Error in plugin <name>: <message>" annotation, and the summary says so', async () => {
    const fault = local.emulator.faults.failPlugin('tag_and_push', 'registry refused the push')
    try {
      const repo = makeRepo(path.join(tmp, 'failing'), { Dockerfile: dockerfile('fedora:latest', 'acme/failing', '1.0') })
      const run = await runAction({ checkout: repo, repository: 'acme/failing', inputs: { ...local.inputs(), 'registry-uri': 'registry.example.com:5000/v2' } })
      expect(run.code).toBe(1)
      expect(run.outputs['build-status']).toBe('Failed')
      const errors = errorAnnotations(run.stdout)
      const pluginError = errors.find((e) => e.startsWith('Error in plugin tag_and_push: '))
      expect(pluginError).toBeDefined()
      expect(pluginError).toContain('registry refused the push')
      expect(run.summary).toContain('Failed')
      expect(run.summary).toContain(pluginError!)
    } finally {
      local.emulator.faults.remove(fault)
    }
  })
})
