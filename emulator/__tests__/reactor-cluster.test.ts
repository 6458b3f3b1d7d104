/**
 * The emulated atomic-reactor end to end through the local OpenShift (startCluster): BuildConfigs shaped as
 * SPEC §5.1 written over HTTP, builds instantiated and triggered, results read back over HTTP (builds, logs,
 * buildconfigs, imagestreams, the registry endpoint).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { request } from 'node:http'
import { startCluster, type Cluster } from '../src/index.js'
import { REPOSITORY_CHECK } from '../src/controllers/image-import.js'
import { call, Stream } from '../testing/client.js'
import { buildConfig, type BuildConfigOptions } from '../__fixtures__/build-config.js'
import { dockerfile, GitRepo } from '../__fixtures__/git-repo.js'

const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} platform:- - atomic_reactor\.[a-z_.0-9]+ - (DEBUG|INFO|WARNING|ERROR) - /
const REGISTRY = 'registry.example.com:5000'

let cluster: Cluster
const repos: GitRepo[] = []
const NS = 'osbs'
const buildApi = `/apis/build.openshift.io/v1/namespaces/${NS}`
const imageApi = `/apis/image.openshift.io/v1/namespaces/${NS}`

beforeAll(async () => {
  cluster = await startCluster({ namespace: NS, craneHosts: { prod: 'crane.example.com' }, logWaitSeconds: 1 })
})
afterAll(async () => {
  await cluster?.close()
  repos.forEach((r) => r.remove())
})

function repo(files: Record<string, string>): GitRepo {
  const r = new GitRepo()
  repos.push(r)
  r.commit(files, 'initial')
  return r
}

async function createBuildConfig(opts: BuildConfigOptions): Promise<any> {
  const res = await call(cluster, 'POST', `${buildApi}/buildconfigs`, { body: buildConfig({ kojiHub: cluster.kojiHub, ...opts }) })
  expect(res.status).toBe(201)
  return res.body
}

async function instantiate(bc: string, commit?: string): Promise<string> {
  const res = await call(cluster, 'POST', `${buildApi}/buildconfigs/${bc}/instantiate`, {
    body: {
      kind: 'BuildRequest',
      apiVersion: 'build.openshift.io/v1',
      metadata: { name: bc },
      // as the action pins the commit: revision for the record, SOURCE_REF for the pod (see ../src/pod/env.ts)
      ...(commit ? { revision: { type: 'Git', git: { commit } }, env: [{ name: 'SOURCE_REF', value: commit }] } : {}),
      triggeredBy: [{ message: 'Started by a test' }]
    }
  })
  expect(res.status).toBe(201)
  return res.body.metadata.name
}

async function get(path: string): Promise<any> {
  const res = await call(cluster, 'GET', path)
  return res.status === 200 ? res.body : undefined
}

/** Wait until the build exists and has ended; returns it. */
async function finished(name: string, ms = 20000): Promise<any> {
  const deadline = Date.now() + ms
  for (;;) {
    const b = await get(`${buildApi}/builds/${name}`)
    if (b && ['Complete', 'Failed', 'Error', 'Cancelled'].includes(b.status?.phase)) return b
    if (Date.now() > deadline) throw new Error(`build ${name} did not end (phase ${b?.status?.phase})`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

async function log(name: string): Promise<string[]> {
  const res = await call(cluster, 'GET', `${buildApi}/builds/${name}/log`, { headers: { Accept: 'text/plain' } })
  expect(res.status).toBe(200)
  return res.text.split('\n').filter((l) => l !== '')
}

/**
 * Move an ImageStream to what `repository` serves the way OpenShift does without import_image: create it with
 * spec.dockerImageRepository (osbs-client's create_image_stream), or PUT it back without the repository-check
 * annotation (osbs-client's import_image); the import controller answers. Resolves to the imported stream.
 */
async function importStream(name: string, repository: string): Promise<any> {
  const current = await get(`${imageApi}/imagestreams/${name}`)
  const rv = current?.metadata.resourceVersion ?? String(cluster.store.resourceVersion)
  const w = new Stream(cluster, `${imageApi}/imagestreams?watch=true&fieldSelector=metadata.name=${name}&resourceVersion=${rv}`)
  await w.ready
  try {
    if (current) {
      delete current.metadata.annotations[REPOSITORY_CHECK]
      expect((await call(cluster, 'PUT', `${imageApi}/imagestreams/${name}`, { body: current })).status).toBe(200)
    } else {
      const created = await call(cluster, 'POST', `${imageApi}/imagestreams`, {
        body: { kind: 'ImageStream', apiVersion: 'image.openshift.io/v1', metadata: { name }, spec: { dockerImageRepository: repository } }
      })
      expect(created.status).toBe(201)
    }
    const imported = () => w.events().find((e) => e.type === 'MODIFIED' && e.object.metadata.annotations?.[REPOSITORY_CHECK])
    expect(await w.until(() => !!imported())).toBe(true)
    return imported()!.object
  } finally {
    w.close()
  }
}

const json = (build: any, key: string) => JSON.parse(build.metadata.annotations[key])

describe('emulated atomic-reactor through the cluster', () => {
  it('runs a user build: log format, BuildConfig label, §6.6 annotations, ImageStream, registry endpoint', async () => {
    const r = repo({ Dockerfile: dockerfile({ name: 'myproj/base', extra: ['RUN echo building base'] }) })
    const commit = r.head()
    r.commit({ NEWS: 'a later commit on the branch\n' }, 'later') // the user build still builds `commit`
    await createBuildConfig({ name: 'base-main-00001', uri: r.uri, baseImageStreamTag: 'fedora:latest', commit, nameLabel: 'myproj/base', repoName: 'base' })
    const name = await instantiate('base-main-00001', commit)
    expect(name).toBe('base-main-00001-1')
    const build = await finished(name)
    expect(build.status.phase).toBe('Complete')

    // the log: atomic-reactor's line format from the first line to the last
    const lines = await log(name)
    expect(lines.length).toBeGreaterThan(50)
    for (const l of lines) expect(l).toMatch(LINE)
    expect(lines).toContainEqual(expect.stringMatching(/atomic_reactor\.plugins\.check_and_set_rebuild - INFO - This is a rebuild\? False$/))
    expect(lines).toContainEqual(expect.stringMatching(/atomic_reactor\.util - DEBUG - building base$/))
    expect(lines[lines.length - 1]).toMatch(/atomic_reactor\.inner - INFO - build has finished successfully \\o\/$/)

    // check_and_set_rebuild: is_autorebuild flipped, other labels kept
    const bc = await get(`${buildApi}/buildconfigs/base-main-00001`)
    expect(bc.metadata.labels).toEqual({ is_autorebuild: 'true', 'git-repo-name': 'base', 'git-branch': 'main' })

    // store_metadata_in_osv3: every annotation of SPEC §6.6, in place of OpenShift's own (osbs-client's
    // set_annotations_on_build replaces them); the Build's labels still name its BuildConfig. The build controller
    // writes the pod's name back when the build ends, as 3.11's does (recorded-3.11-node/build-flow.json)
    const a = build.metadata.annotations
    expect(a['openshift.io/build-config.name']).toBeUndefined()
    expect(a['openshift.io/build.number']).toBeUndefined()
    expect(Object.keys(a).filter((k) => k.startsWith('openshift.io/'))).toEqual(['openshift.io/build.pod-name'])
    expect(build.metadata.labels).toMatchObject({ buildconfig: 'base-main-00001', 'openshift.io/build-config.name': 'base-main-00001' })
    expect(a['commit_id']).toBe(commit)
    expect(a['image-id']).toMatch(/^sha256:[0-9a-f]{64}$/)
    // pull_base_image re-tagged the base image as the build's name
    expect(a['base-image-name']).toBe('base-main-00001-1')
    expect(a['base-image-id']).toMatch(/^sha256:[0-9a-f]{64}$/)
    const repositories = json(build, 'repositories')
    expect(repositories.primary).toEqual([`${REGISTRY}/myproj/base:1.0-1`, `${REGISTRY}/myproj/base:1.0`, `${REGISTRY}/myproj/base:latest`])
    expect(repositories.unique).toEqual([`${REGISTRY}/myproj/base:none-12345-20171002184257`])
    const digests = json(build, 'digests')
    expect(digests).toHaveLength(4)
    expect(new Set(digests.map((d: any) => d.digest)).size).toBe(1)
    expect(digests[0]).toEqual({ registry: REGISTRY, repository: 'myproj/base', tag: '1.0-1', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) })
    const meta = json(build, 'plugins-metadata')
    expect(meta.errors).toEqual({})
    expect(Object.keys(meta.durations)).toEqual(expect.arrayContaining(['pull_base_image', 'bump_release', 'tag_and_push']))
    expect(json(build, 'tar_metadata').filename).toBe('compressed.tar.gz')
    expect(build.status.output.to.imageDigest).toBe(digests[0].digest)
    expect(build.status.outputDockerImageReference).toBe(`${REGISTRY}/user/app-container:none-12345-20171002184257`)

    // the build made no ImageStream (no import_image); one of the repository is imported with what was pushed
    expect(await get(`${imageApi}/imagestreams/myproj-base`)).toBeUndefined()
    const is = await importStream('myproj-base', `${REGISTRY}/myproj/base`)
    expect(is.spec.dockerImageRepository).toBe(`${REGISTRY}/myproj/base`)
    const tags = (is.status.tags as any[]).map((t) => t.tag).sort()
    expect(tags).toEqual(['1.0', '1.0-1', 'latest', 'none-12345-20171002184257'])
    const latest = (is.status.tags as any[]).find((t) => t.tag === 'latest').items[0]
    expect(latest.image).toBe(digests[0].digest)

    // the registry endpoint serves what was pushed
    const manifest = await call(cluster, 'GET', `/v2/myproj/base/manifests/1.0-1?registry=${REGISTRY}`, {
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' }
    })
    expect(manifest.status).toBe(200)
    expect(manifest.headers['docker-content-digest']).toBe(digests[0].digest)
    expect(manifest.body.config.digest).toBe(a['image-id'])
    const missing = await call(cluster, 'GET', `/v2/myproj/base/manifests/9.9?registry=${REGISTRY}`)
    expect(missing.status).toBe(404)
    expect(missing.body.errors[0].code).toBe('MANIFEST_UNKNOWN')
  })

  it('rebuilds dependents through triggers; an autorebuild builds the branch head or stops when disabled', async () => {
    // base image on fedora:latest, application on the base image (pulled from the source registry)
    // the base enables its autorebuilds (without .osbs-repo-config, 1.6.26.3 cancels them)
    const base = repo({ Dockerfile: dockerfile({ name: 'chain/base' }), '.osbs-repo-config': '[autorebuild]\nenabled = true\n' })
    const app = repo({ Dockerfile: dockerfile({ name: 'chain/app', from: 'chain/base:latest' }) })
    const appCommit = app.head()
    await createBuildConfig({ name: 'chain-base', uri: base.uri, baseImageStreamTag: 'fedora:f99', commit: base.head(), nameLabel: 'chain/base', repoName: 'base' })
    await createBuildConfig({
      name: 'chain-app',
      uri: app.uri,
      baseImageStreamTag: 'chain-base:latest',
      commit: appCommit,
      nameLabel: 'chain/app',
      sourceRegistry: REGISTRY,
      repoName: 'app'
    })
    // disable autorebuild of the application on its branch after the commit the BuildConfig names
    const disabledHead = app.commit({ '.osbs-repo-config': '[autorebuild]\nenabled = false\n' }, 'disable autorebuild')

    // user build of the base → chain-base imported from the registry (created with its repository) → the app's
    // trigger on chain-base:latest starts chain-app-1
    expect((await finished(await instantiate('chain-base'))).status.phase).toBe('Complete')
    await importStream('chain-base', `${REGISTRY}/chain/base`)
    const app1 = await finished('chain-app-1')
    expect(app1.status.phase).toBe('Complete')
    expect(app1.spec.triggeredBy[0].message).toBe('Image change')
    // started by the trigger, so without the user's SOURCE_REF: the branch head (not an autorebuild yet: the
    // BuildConfig's is_autorebuild label was "false", so the disabled autorebuild does not stop it)
    expect(app1.metadata.annotations['commit_id']).toBe(disabledHead)
    const baseBuild = await get(`${buildApi}/builds/chain-base-1`)
    expect(app1.metadata.annotations['base-image-id']).toBe(baseBuild.metadata.annotations['image-id'])
    expect((await get(`${buildApi}/buildconfigs/chain-app`)).metadata.labels.is_autorebuild).toBe('true')

    // a new commit on the base branch, then a new fedora: the base is rebuilt as an autorebuild of the branch head
    const baseHead = base.commit({ NEWS: 'newer\n' }, 'newer base')
    cluster.publishExternalImage(NS, 'fedora', 'f99', { from: 'fedora:f99' })
    const base2 = await finished('chain-base-2')
    expect(base2.status.phase).toBe('Complete')
    expect(base2.metadata.labels.is_autorebuild).toBe('true')
    expect(base2.metadata.annotations['commit_id']).toBe(baseHead)
    expect(json(base2, 'repositories').primary[0]).toBe(`${REGISTRY}/chain/base:1.0-2`)
    const base2Log = await log('chain-base-2')
    expect(base2Log).toContainEqual(expect.stringMatching(/This is a rebuild\? True$/))
    expect(base2Log).toContainEqual(expect.stringMatching(/atomic_reactor\.plugins\.stop_autorebuild_if_disabled - INFO - autorebuild is enabled in \.osbs-repo-config$/))

    // … whose push is imported into chain-base (PUT without the annotation), which moves chain-base:latest, so the
    // app is rebuilt: an autorebuild of its head, where it is disabled
    const moved = await importStream('chain-base', `${REGISTRY}/chain/base`)
    expect(moved.status.tags.find((t: any) => t.tag === 'latest').items[0].image).toBe(json(base2, 'digests')[0].digest)
    const app2 = await finished('chain-app-2')
    expect(app2.status).toMatchObject({ phase: 'Failed', reason: 'GenericBuildFailed' })
    expect(app2.status.logSnippet).toMatch(/AutoRebuildCanceledException: plugin stop_autorebuild_if_disabled canceled autorebuild: autorebuild is disabled$/)
    const app2Log = await log('chain-app-2')
    expect(app2Log).toContainEqual(expect.stringMatching(/atomic_reactor\.inner - INFO - plugin stop_autorebuild_if_disabled canceled autorebuild: autorebuild is disabled$/))
    expect(app2.metadata.annotations['commit_id']).toBe(disabledHead)
    expect(json(app2, 'plugins-metadata').errors).toEqual({})
    expect(json(app2, 'repositories')).toEqual({ primary: [], unique: [] })
    expect(cluster.registries.findRegistry(REGISTRY)!.tags('chain/app')).not.toContain('1.0-2')
  })

  it('fails a build whose plugin is made to fail, and one whose RUN exits 3', async () => {
    const r = repo({ Dockerfile: dockerfile({ name: 'faulty/app' }) })
    await createBuildConfig({ name: 'faulty', uri: r.uri, trigger: false, commit: r.head(), nameLabel: 'faulty/app' })
    const fault = cluster.faults.failPlugin('tag_and_push', 'registry is read-only', { build: 'faulty-1' })
    const b1 = await finished(await instantiate('faulty'))
    cluster.faults.remove(fault)
    expect(b1.status.phase).toBe('Failed')
    expect(json(b1, 'plugins-metadata').errors).toEqual({ tag_and_push: "RuntimeError('registry is read-only',)" })
    expect(await log('faulty-1')).toContainEqual(expect.stringMatching(/atomic_reactor\.plugin - ERROR - plugin 'tag_and_push' raised an exception: RuntimeError\('registry is read-only',\)$/))
    expect(await get(`${imageApi}/imagestreams/faulty-app`)).toBeUndefined()

    const head = r.commit({ Dockerfile: dockerfile({ name: 'faulty/app', extra: ['RUN exit 3'] }) }, 'broken')
    const bc = buildConfig({ name: 'faulty', uri: r.uri, trigger: false, commit: head, nameLabel: 'faulty/app', kojiHub: cluster.kojiHub })
    const current = await get(`${buildApi}/buildconfigs/faulty`)
    const put = await call(cluster, 'PUT', `${buildApi}/buildconfigs/faulty`, {
      body: { ...bc, metadata: { ...current.metadata }, status: current.status }
    })
    expect(put.status).toBe(200)
    const b2 = await finished(await instantiate('faulty'))
    expect(b2.status.phase).toBe('Failed')
    expect(json(b2, 'plugins-metadata').errors).toEqual({ docker_api: `u"The command '/bin/sh -c exit 3' returned a non-zero code: 3"` })
    expect(b2.metadata.annotations['commit_id']).toBe(head)
  })

  it('pushes through Pulp: crane references for pulp_push and pulp_sync', async () => {
    const r = repo({ Dockerfile: dockerfile({ name: 'pulped/app' }) })
    await createBuildConfig({
      name: 'pulped',
      uri: r.uri,
      trigger: false,
      commit: r.head(),
      nameLabel: 'pulped/app',
      pulpPush: 'prod',
      pulpSync: 'prod',
      v2Registry: `http://${REGISTRY}`,
      sourceRegistry: 'crane.example.com'
    })
    const b = await finished(await instantiate('pulped'))
    expect(b.status.phase).toBe('Complete')
    expect(json(b, 'repositories').primary).toEqual(['crane.example.com/pulped/app:1.0-1', 'crane.example.com/pulped/app:1.0', 'crane.example.com/pulped/app:latest'])
    expect(b.metadata.annotations['v1-image-id']).toMatch(/^[0-9a-f]{64}$/)
    expect(json(b, 'media-types')).toContain('application/json')
    // synced to crane, deleted from the v2 registry, served by the registry endpoint under the crane host
    expect(cluster.registries.findRegistry(REGISTRY)!.tags('pulped/app')).toEqual([])
    const crane = await call(cluster, 'GET', '/v2/pulped/app/manifests/latest?registry=crane.example.com')
    expect(crane.status).toBe(200)
    const is = await importStream('pulped-app', 'crane.example.com/pulped/app')
    expect(is.spec.dockerImageRepository).toBe('crane.example.com/pulped/app')
    expect((is.status.tags as any[]).find((t) => t.tag === 'latest').items[0].image).toBe(crane.headers['docker-content-digest'])
  })
})

/** Follow a build log over HTTP; counts lines and remembers the first and last without keeping the body. */
function follow(c: Cluster, name: string, onLine?: (line: string) => void): Promise<{ status: number; count: number; first: string; last: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(`/apis/build.openshift.io/v1/namespaces/${c.namespace}/builds/${name}/log?follow=true`, c.url)
    const req = request(url, { headers: { Authorization: `Bearer ${c.token}` } }, (res) => {
      let rest = ''
      let count = 0
      let first = ''
      let last = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        rest += chunk
        let i: number
        while ((i = rest.indexOf('\n')) >= 0) {
          const line = rest.slice(0, i)
          rest = rest.slice(i + 1)
          if (!count) first = line
          count++
          last = line
          onLine?.(line)
        }
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, count, first, last }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('emulated atomic-reactor over time', () => {
  it('writes its log over the run time at the configured pace, and RUN seq N makes a big log fast', async () => {
    const paced = await startCluster({ namespace: NS, logPace: 3, logWaitSeconds: 5 })
    try {
      const r = repo({ Dockerfile: dockerfile({ name: 'paced/app', extra: ['RUN seq 30'] }) })
      expect((await call(paced, 'POST', `${buildApi}/buildconfigs`, { body: buildConfig({ name: 'paced', uri: r.uri, trigger: false, commit: r.head(), nameLabel: 'paced/app' }) })).status).toBe(201)
      const res = await call(paced, 'POST', `${buildApi}/buildconfigs/paced/instantiate`, { body: { kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name: 'paced' } } })
      expect(res.status).toBe(201)
      const seen: { at: number; line: string }[] = []
      const started = Date.now()
      const result = await follow(paced, 'paced-1', (line) => seen.push({ at: Date.now() - started, line }))
      expect(result.status).toBe(200)
      expect(result.last).toMatch(/build has finished successfully/)
      // lines arrive spread over the build, not all at the end
      const spread = seen[seen.length - 1]!.at - seen[0]!.at
      expect(spread).toBeGreaterThan(120)
      const seqFirst = seen.find((l) => / - DEBUG - 1$/.test(l.line))!
      const seqLast = seen.find((l) => / - DEBUG - 30$/.test(l.line))!
      expect(seqLast.at - seqFirst.at).toBeGreaterThanOrEqual(29 * 3 * 0.8)
    } finally {
      await paced.close()
    }

    const r = repo({ Dockerfile: dockerfile({ name: 'big/app', extra: ['RUN seq 200000'] }) })
    await createBuildConfig({ name: 'big', uri: r.uri, trigger: false, commit: r.head(), nameLabel: 'big/app' })
    const name = await instantiate('big')
    const started = Date.now()
    const result = await follow(cluster, name)
    expect(result.status).toBe(200)
    expect(result.count).toBeGreaterThan(200000)
    expect(result.first).toMatch(LINE)
    expect(result.last).toMatch(/build has finished successfully/)
    expect(Date.now() - started).toBeLessThan(20000)
    expect((await finished(name)).status.phase).toBe('Complete')
  })
})
