/**
 * Imports from the real registries of images the local OpenShift did not push itself (RealImages.refresh): the real
 * atomic-reactor pushes through podman, here `skopeo copy` of an image made by hand stands for it. An ImageStream
 * of the repository is imported with the digest the registry serves and the labels of the image's configuration,
 * and a scheduled tag follows the registry when the tag is moved there.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { execFile, execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { describeRealBuilds } from '../../__fixtures__/e2e/real-builds.js'
import { makeTempDir } from '../../__fixtures__/temp-dirs.js'
import { startCluster, type Cluster } from '../src/index.js'
import { REPOSITORY_CHECK } from '../src/controllers/image-import.js'
import { call, Stream } from '../testing/client.js'

const exec = promisify(execFile)
const I = '/apis/image.openshift.io/v1/namespaces/osbs'
const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`

/**
 * An image in skopeo's `dir:` layout, made without any image tool: one layer holding `/hello` with `text`, a
 * configuration with `labels`, a schema 2 manifest. Returns the layout's directory.
 */
function handMadeImage(labels: Record<string, string>, text: string): string {
  const dir = makeTempDir('hand-made-image-')
  const files = join(dir, 'files')
  mkdirSync(files)
  writeFileSync(join(files, 'hello'), text)
  const tar = execFileSync('tar', ['-C', files, '--owner=0', '--group=0', '--mtime=@0', '-cf', '-', 'hello'])
  const layer = gzipSync(tar)
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: '2017-10-02T18:42:57Z',
      config: { Labels: labels, Cmd: ['/hello'] },
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      history: [{ created: '2017-10-02T18:42:57Z', created_by: 'by hand' }]
    })
  )
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: sha256(config) },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: sha256(layer) }]
  })
  const layout = join(dir, 'layout')
  mkdirSync(layout)
  writeFileSync(join(layout, 'version'), 'Directory Transport Version: 1.1\n')
  writeFileSync(join(layout, 'manifest.json'), manifest)
  writeFileSync(join(layout, sha256(config).slice(7)), config)
  writeFileSync(join(layout, sha256(layer).slice(7)), layer)
  return layout
}

describeRealBuilds('imports of images pushed to the real registries by others', () => {
  let cluster: Cluster
  let host: string
  let certDir: string

  beforeAll(async () => {
    cluster = await startCluster({ port: 0, kubeconfig: false, builds: 'real', scheduledImportIntervalSeconds: 0.2 })
    host = cluster.registryHosts['registry']!
    certDir = dirname(cluster.registryCAFile!)
  })
  afterAll(async () => {
    await cluster?.close()
  })

  /** `skopeo copy` of a hand-made image to `<registry>/<repositoryTag>`; the digest the registry serves. */
  async function pushByHand(repositoryTag: string, labels: Record<string, string>, text: string): Promise<string> {
    const layout = handMadeImage(labels, text)
    await exec('skopeo', ['copy', '--quiet', '--dest-cert-dir', certDir, `dir:${layout}`, `docker://${host}/${repositoryTag}`])
    const { stdout } = await exec('skopeo', ['inspect', '--cert-dir', certDir, `docker://${host}/${repositoryTag}`])
    return JSON.parse(stdout).Digest as string
  }

  /** Watch ImageStream `name` from `rv` until `pred` holds for one of its events; that event's object. */
  async function watchUntil(name: string, rv: string, pred: (is: any) => boolean): Promise<any> {
    const w = new Stream(cluster, `${I}/imagestreams?watch=true&fieldSelector=metadata.name=${name}&resourceVersion=${rv}`)
    await w.ready
    try {
      const hit = () => w.events().find((e) => pred(e.object))
      expect(await w.until(() => !!hit(), 30000)).toBe(true)
      return hit()!.object
    } finally {
      w.close()
    }
  }

  const tagImage = (is: any, tag: string) => (is.status?.tags ?? []).find((t: any) => t.tag === tag)?.items?.[0]

  it('an ImageStream of the repository imports the tags the registry serves, with its digests and labels', async () => {
    const d1 = await pushByHand('alice/pushed:1.0', { name: 'alice/pushed', version: '1.0', 'pushed-by': 'skopeo' }, 'one\n')
    const d2 = await pushByHand('alice/pushed:latest', { name: 'alice/pushed', version: '2.0', 'pushed-by': 'skopeo' }, 'two\n')
    expect(d1).not.toBe(d2)
    // the cluster has not seen them: nothing pushed them through it
    expect(cluster.registries.findRegistry(host)?.get('alice/pushed', '1.0')).toBeUndefined()

    const rv = String(cluster.store.resourceVersion)
    const created = await call(cluster, 'POST', `${I}/imagestreams`, {
      body: { kind: 'ImageStream', apiVersion: 'image.openshift.io/v1', metadata: { name: 'pushed' }, spec: { dockerImageRepository: `${host}/alice/pushed` } }
    })
    expect(created.status).toBe(201)
    const is = await watchUntil('pushed', rv, (o) => !!o.metadata.annotations?.[REPOSITORY_CHECK])
    expect((is.status.tags as any[]).map((t) => t.tag).sort()).toEqual(['1.0', 'latest'])
    expect(tagImage(is, '1.0')).toMatchObject({ image: d1, dockerImageReference: `${host}/alice/pushed@${d1}` })
    expect(tagImage(is, 'latest')).toMatchObject({ image: d2, dockerImageReference: `${host}/alice/pushed@${d2}` })
    // what the registry serves is recorded: the labels of its configuration (what pull_base_image inherits)
    const latest = cluster.registries.resolveImage(`${host}/alice/pushed:latest`)
    expect(latest.digest).toBe(d2)
    expect(latest.image.labels).toEqual({ name: 'alice/pushed', version: '2.0', 'pushed-by': 'skopeo' })
    expect(cluster.registries.resolveImage(`${host}/alice/pushed:1.0`).image.labels['version']).toBe('1.0')
    const ist = await call(cluster, 'GET', `${I}/imagestreamtags/pushed:latest`)
    expect(ist.status).toBe(200)
    expect(ist.body.image.metadata.name).toBe(d2)
  })

  it('an explicit ImageStreamImport (oc import-image) asks the registry each time: a tag pushed again by hand is imported with its new digest', async () => {
    const post = (to: string) =>
      call(cluster, 'POST', `${I}/imagestreamimports`, {
        body: {
          kind: 'ImageStreamImport',
          apiVersion: 'image.openshift.io/v1',
          metadata: { name: 'again' },
          spec: { import: true, images: [{ from: { kind: 'DockerImage', name: `${host}/alice/again:${to}` }, to: { name: to } }] }
        }
      })
    const d1 = await pushByHand('alice/again:1', { version: '1' }, 'first\n')
    const first = await post('1')
    expect(first.status).toBe(201)
    expect(first.body.status.images[0].image.metadata.name).toBe(d1)
    const d2 = await pushByHand('alice/again:1', { version: '2' }, 'second\n')
    expect(d2).not.toBe(d1)
    const second = await post('1')
    expect(second.status).toBe(201)
    expect(second.body.status.images[0].image.metadata.name).toBe(d2)
    expect(tagImage(second.body.status.import, '1')).toMatchObject({ image: d2, dockerImageReference: `${host}/alice/again@${d2}` })
    expect(second.body.status.import.status.tags[0].items.map((i: any) => i.image)).toEqual([d2, d1])
  })

  it('a scheduled tag follows its registry when the tag is moved there by someone else', async () => {
    const d1 = await pushByHand('alice/sched:1', { version: '1' }, 'first\n')
    const rv = String(cluster.store.resourceVersion)
    const created = await call(cluster, 'POST', `${I}/imagestreams`, {
      body: {
        kind: 'ImageStream',
        apiVersion: 'image.openshift.io/v1',
        metadata: { name: 'sched' },
        spec: { tags: [{ name: '1', from: { kind: 'DockerImage', name: `${host}/alice/sched:1` }, importPolicy: { scheduled: true } }] }
      }
    })
    expect(created.status).toBe(201)
    const first = await watchUntil('sched', rv, (o) => tagImage(o, '1')?.image === d1)
    const d2 = await pushByHand('alice/sched:1', { version: '2' }, 'second\n')
    const moved = await watchUntil('sched', first.metadata.resourceVersion, (o) => tagImage(o, '1')?.image === d2)
    expect(moved.status.tags[0].items.map((i: any) => i.image)).toEqual([d2, d1])
    expect(cluster.registries.resolveImage(`${host}/alice/sched:1`).image.labels).toEqual({ version: '2' })
  })
})
