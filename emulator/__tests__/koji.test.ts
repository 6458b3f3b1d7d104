/**
 * The local Koji hub: XML-RPC on 127.0.0.1 with Koji's answers to the calls atomic-reactor 1.6.26.3 makes;
 * checked with the build pod's client and with Koji's own Python client library (../shared/peers/koji).
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { incrementRelease, KojiHub, TASK_STATES } from '../src/koji/hub.js'
import { adler32 } from '../src/koji/calls.js'
import { minimalRepodata } from '../src/koji/yum-repo.js'
import { parseArgs } from '../src/cluster/cli.js'
import { makeTempDir } from '../../__fixtures__/temp-dirs.js'
import { decodeCall, decodeResponse, encodeCall, encodeResponse, XmlRpcFault, type XmlRpcValue } from '../src/koji/xmlrpc.js'
import { kojiCall } from '../src/reactor/util/koji.js'
import { describeWithPeers } from '../../__fixtures__/peers.js'

let hub: KojiHub
let dir: string
beforeAll(async () => {
  hub = new KojiHub()
  await hub.start()
  hub.addTarget('app-candidate')
  dir = makeTempDir('koji-test-')
})
afterAll(() => hub.close())

/** The hub's koji_ssl_certs folder, as a build pod mounts it. */
function certsDir(): string {
  const certs = join(dir, 'certs')
  mkdirSync(certs, { recursive: true })
  for (const [name, content] of Object.entries(hub.sslCerts)) writeFileSync(join(certs, name), content)
  return certs
}

/** A Python script run with the peers on PYTHONPATH; its stdout. */
function python(pythonPath: string, script: string, ...args: string[]): Promise<string> {
  return new Promise<string>((resolve, reject) =>
    execFile('/usr/bin/python3', ['-c', script, ...args], { env: { ...process.env, PYTHONPATH: pythonPath } }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)
    )
  )
}

describe('XML-RPC', () => {
  it('round-trips calls and responses', () => {
    const params = [{ name: 'a&b <c>', version: '1.0', n: 3, ok: true, none: null, list: ['x', 2.5] }]
    expect(decodeCall(encodeCall('getBuild', params))).toEqual({ method: 'getBuild', params })
    expect(decodeResponse(encodeResponse(['1', null]))).toEqual(['1', null])
    expect(decodeResponse("<?xml version='1.0'?><methodResponse><params><param><value>plain</value></param></params></methodResponse>")).toBe('plain')
    expect(() =>
      decodeResponse(
        '<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1000</int></value></member><member><name>faultString</name><value><string>x</string></value></member></struct></value></fault></methodResponse>'
      )
    ).toThrow(XmlRpcFault)
  })
})

describe('the hub', () => {
  it("answers getNextRelease and getBuild from its build table, as Koji's get_next_release", async () => {
    expect(await kojiCall(hub.url, 'getNextRelease', [{ name: 'app-container', version: '1.0' }])).toBe('1')
    hub.recordBuild({ name: 'app-container', version: '1.0', release: '1' })
    expect(await kojiCall(hub.url, 'getNextRelease', [{ name: 'app-container', version: '1.0' }])).toBe('2')
    expect(await kojiCall(hub.url, 'getBuild', [{ name: 'app-container', version: '1.0', release: '2' }])).toBeNull()
    expect(await kojiCall(hub.url, 'getBuild', ['app-container-1.0-1'])).toMatchObject({ nvr: 'app-container-1.0-1', state: 1 })
    expect(incrementRelease('7')).toBe('8')
    expect(incrementRelease('el7.3')).toBe('el7.4')
    expect(() => incrementRelease('abc')).toThrow('Unable to increment release value: abc')
  })

  it('answers an unknown method with a koji.GenericError fault', async () => {
    await expect(kojiCall(hub.url, 'noSuchCall', [])).rejects.toMatchObject({ pyType: 'GenericError', message: 'Invalid method: noSuchCall' })
  })

  it('an unreachable hub is the ConnectionError of python-requests', async () => {
    const gone = new KojiHub()
    const url = await gone.start()
    await gone.close()
    await expect(kojiCall(url, 'getNextRelease', [{ name: 'a', version: '1' }])).rejects.toMatchObject({
      pyType: 'ConnectionError',
      message: expect.stringMatching(/^HTTPConnectionPool\(host='127\.0\.0\.1', port=\d+\): Max retries exceeded with url: \/kojihub .*Connection refused/)
    })
  })
})

describe('the hub as content generators use it', () => {
  const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex')
  const metadata = (release: string, output: Record<string, XmlRpcValue>[]): XmlRpcValue => ({
    metadata_version: 0,
    build: { name: 'cg-container', version: '1', release, source: 'git://x#abc', start_time: 1, end_time: 2, extra: { image: { autorebuild: false } } },
    buildroots: [{ id: 1, content_generator: { name: 'atomic-reactor', version: '1.6.26.3' } }],
    output
  })

  it('CGImport needs a login and every output uploaded with its size and checksum', () => {
    const log = Buffer.from('the log\n')
    const out = { filename: 'build.log', filesize: log.length, checksum: md5(log), checksum_type: 'md5', type: 'log', arch: 'noarch', buildroot_id: 1 }
    expect(() => hub.call('CGImport', [metadata('1', [out]), 'up/1'])).toThrow('you must be logged in for this operation')
    expect(() => hub.call('CGImport', [metadata('1', [out]), 'up/1'], 'osbs')).toThrow('No such file: up/1/build.log (upload it to the hub first)')
    hub.call('uploadFile', ['up/1', 'build.log', log.length, ['sha256', createHash('sha256').update(log).digest('hex')], 0, log.toString('base64')], 'osbs')
    expect(() => hub.call('CGImport', [metadata('1', [{ ...out, filesize: 3 }]), 'up/1'], 'osbs')).toThrow("File size 8 for build.log (expected 3) doesn't match. Corrupted upload?")
    expect(() => hub.call('CGImport', [metadata('1', [{ ...out, checksum: md5(Buffer.from('x')) }]), 'up/1'], 'osbs')).toThrow(
      `File checksum mismatch for build.log: ${md5(Buffer.from('x'))} != ${md5(log)}`
    )
    const build = hub.call('CGImport', [JSON.stringify(metadata('1', [out])), 'up/1'], 'osbs') as Record<string, unknown>
    expect(build).toMatchObject({ nvr: 'cg-container-1-1', state: 1, cg_name: 'atomic-reactor', owner_name: 'osbs', source: 'git://x#abc' })
    expect(
      hub
        .builds()
        .find((b) => b.id === build.id)
        ?.outputs[0]?.content?.toString()
    ).toBe('the log\n')
    expect(() => hub.call('CGImport', [metadata('1', [{ ...out, metadata_only: true }]), 'up/1'], 'osbs')).toThrow(/^Build already exists \(id=\d+, state=COMPLETE\)/)
  })

  /** An image build imported as koji_promote does: a docker-image output whose `rpm` components are what `rpm -qa` listed. */
  function importImage(release: string, components: Record<string, XmlRpcValue>[]): Record<string, any> {
    const image = Buffer.from(`image ${release}`)
    hub.call('uploadFile', [`img/${release}`, 'docker-image-1.x86_64.tar.gz', image.length, ['md5', md5(image)], 0, image.toString('base64')], 'osbs')
    const out = { filename: 'docker-image-1.x86_64.tar.gz', filesize: image.length, checksum: md5(image), checksum_type: 'md5', type: 'docker-image', arch: 'x86_64', buildroot_id: 1, components }
    return hub.call('CGImport', [{ ...(metadata(release, [out]) as Record<string, XmlRpcValue>), build: { name: 'rpms-container', version: '1', release } }, `img/${release}`], 'osbs') as Record<
      string,
      any
    >
  }
  const rpmComponent = (name: string, sigmd5: string) => ({ type: 'rpm', name, version: '3', release: '1', epoch: null, arch: 'noarch', sigmd5, signature: null })

  it("CGImport records an image's RPM components the hub knows (match_rpm), and listArchives(type='image') and listRPMs(imageID) give them", () => {
    hub.importRpm({ name: 'fedora-release', version: '3', release: '1', epoch: null, arch: 'noarch', payloadhash: 'a'.repeat(32), size: 10, buildtime: 1700000000 })
    // an unknown RPM is ignored (kojihub: "IGNORING unmatched rpm component"), a different sigmd5 is kept
    const build = importImage('1', [rpmComponent('fedora-release', 'b'.repeat(32)), rpmComponent('not-in-koji', 'c'.repeat(32))])
    const archives = hub.call('listArchives', [{ buildID: build.id, type: 'image', __starstar: true }]) as Record<string, any>[]
    expect(archives).toEqual([expect.objectContaining({ build_id: build.id, filename: 'docker-image-1.x86_64.tar.gz', btype: 'image', arch: 'x86_64' })])
    expect(hub.call('listArchives', [{ buildID: build.id, type: 'maven', __starstar: true }])).toEqual([])
    expect(() => hub.call('listArchives', [{ buildID: build.id, type: 'nope', __starstar: true }])).toThrow('unsupported archive type: nope')
    expect(hub.call('listRPMs', [{ imageID: archives[0].id, __starstar: true }])).toEqual([
      expect.objectContaining({ name: 'fedora-release', nvr: 'fedora-release-3-1', arch: 'noarch', payloadhash: 'a'.repeat(32), epoch: null })
    ])
    // the RPMs of the build itself: an image build has none
    expect(hub.call('listRPMs', [build.id])).toEqual([])
    expect(() => importImage('2', [{ ...rpmComponent('x', 'd'), location: 'ext' }])).toThrow('External rpms not allowed')
  })

  it('tagBuild is a task that tags the build into the tag; a second tagging fails the task', () => {
    hub.recordBuild({ name: 'tag-me', version: '1', release: '1' })
    const task = hub.call('tagBuild', ['app-candidate', 'tag-me-1-1'], 'osbs') as number
    expect(hub.call('taskFinished', [task])).toBe(true)
    expect(hub.call('getTaskInfo', [task, { request: true, __starstar: true }])).toMatchObject({
      id: task,
      method: 'tagBuild',
      state: TASK_STATES.CLOSED,
      request: [2, expect.any(Number), false, null, true]
    })
    expect(hub.tagged('app-candidate')).toContain('tag-me-1-1')
    const again = hub.call('tagBuild', ['app-candidate', 'tag-me-1-1'], 'osbs') as number
    expect(hub.call('getTaskInfo', [again])).toMatchObject({ state: TASK_STATES.FAILED })
    expect(() => hub.call('tagBuild', ['no-such-tag', 'tag-me-1-1'], 'osbs')).toThrow('No such tagInfo: "no-such-tag"')
  })

  it('the build tag has a ready repo; the topurl serves its repodata and the imported files', async () => {
    const target = hub.call('getBuildTarget', ['app-candidate']) as Record<string, any>
    expect(target).toMatchObject({ name: 'app-candidate', build_tag_name: 'app-candidate-build', dest_tag_name: 'app-candidate' })
    const tag = hub.call('getTag', [target.build_tag_name]) as Record<string, any>
    const repo = hub.call('getRepo', [tag.id]) as Record<string, any>
    expect(repo).toMatchObject({ state: 1 })
    const base = `${hub.topurl}/repos/${tag.name}/${repo.id}/${tag.arches}`
    const repomd = await (await fetch(`${base}/repodata/repomd.xml`)).text()
    const primary = /<location href="(repodata\/[^"]+-primary\.xml\.gz)"/.exec(repomd)?.[1]
    expect(primary).toBeDefined()
    expect((await fetch(`${base}/${primary}`)).status).toBe(200)
    expect((await fetch(`${hub.topurl}/repos/${tag.name}/999/${tag.arches}/repodata/repomd.xml`)).status).toBe(404)
    expect(await (await fetch(`${hub.topurl}/packages/cg-container/1/1/data/logs/noarch/build.log`)).text()).toBe('the log\n')
  })

  it('the minimal repodata (without createrepo_c) names each file with its checksums', () => {
    const files = minimalRepodata(1700000000)
    const repomd = files.get('repomd.xml')!.toString()
    for (const [name, gz] of files) {
      if (name === 'repomd.xml') continue
      expect(repomd).toContain(`<checksum type="sha256">${createHash('sha256').update(gz).digest('hex')}</checksum>`)
      expect(repomd).toContain(`<location href="repodata/${name}"/>`)
    }
  })

  it('npm run cluster -- --koji-target NAME (repeated) gives the hub its build targets', () => {
    expect(parseArgs(['--koji-target', 'f99-candidate', '--koji-target=app-candidate']).kojiTargets).toEqual(['f99-candidate', 'app-candidate'])
  })

  it("adler32 is zlib's (koji.util.adler32_constructor)", () => {
    expect(adler32(Buffer.from('Wikipedia'))).toBe('11e60398')
    expect(adler32(Buffer.alloc(0))).toBe('00000001')
  })
})

describeWithPeers(['koji'], "Koji's Python client against the hub", ({ koji }) => {
  it('koji.ClientSession calls getNextRelease and getBuild as bump_release does', async () => {
    hub.recordBuild({ name: 'py-container', version: '2', release: '5' })
    const script = [
      'import json, sys, koji',
      "s = koji.ClientSession(sys.argv[1], opts={'krb_rdns': False})",
      "print(json.dumps([s.getNextRelease({'name': 'py-container', 'version': '2'}), s.getBuild({'name': 'py-container', 'version': '2', 'release': '5'})['nvr'], s.getBuild({'name': 'py-container', 'version': '2', 'release': '6'})]))",
      'try:',
      '    s.noSuchCall()',
      'except koji.GenericError as e:',
      '    print(type(e).__name__, e)'
    ].join('\n')
    const out = await new Promise<string>((resolve, reject) =>
      execFile('/usr/bin/python3', ['-c', script, hub.url], { env: { ...process.env, PYTHONPATH: koji! } }, (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)))
    )
    expect(out.split('\n')).toEqual(['["6", "py-container-2-5", null]', 'GenericError Invalid method: noSuchCall', ''])
  })
})

describeWithPeers(['koji'], "Koji's Python client: an image build's RPMs", ({ koji }) => {
  it("listArchives(buildID=..., type='image') and listRPMs(imageID=...) as koji's ClientSession sends them", async () => {
    hub.importRpm({ name: 'py-release', version: '7', release: '1', epoch: null, arch: 'noarch', payloadhash: 'e'.repeat(32), size: 1, buildtime: 1 })
    const image = Buffer.from('py image')
    hub.call('uploadFile', ['py/1', 'docker-image-2.x86_64.tar.gz', image.length, ['md5', createHash('md5').update(image).digest('hex')], 0, image.toString('base64')], 'osbs')
    const out = {
      filename: 'docker-image-2.x86_64.tar.gz',
      filesize: image.length,
      checksum: createHash('md5').update(image).digest('hex'),
      checksum_type: 'md5',
      type: 'docker-image',
      arch: 'x86_64',
      buildroot_id: 1,
      components: [{ type: 'rpm', name: 'py-release', version: '7', release: '1', epoch: null, arch: 'noarch', sigmd5: 'e'.repeat(32), signature: null }]
    }
    const meta = {
      metadata_version: 0,
      build: { name: 'py-image', version: '1', release: '1', source: 's', start_time: 1, end_time: 2, extra: {} },
      buildroots: [{ id: 1, content_generator: { name: 'atomic-reactor', version: '1.6.26.3' } }],
      output: [out]
    }
    const build = hub.call('CGImport', [meta, 'py/1'], 'osbs') as { id: number }
    const script = [
      'import json, sys, koji',
      "s = koji.ClientSession(sys.argv[1], opts={'krb_rdns': False})",
      "archives = s.listArchives(buildID=int(sys.argv[2]), type='image')",
      "print(json.dumps([[a['filename'], a['arch']] for a in archives]))",
      "print(json.dumps([r['nvr'] + '.' + r['arch'] for a in archives for r in s.listRPMs(imageID=a['id'])]))"
    ].join('\n')
    const printed = await python(koji!, script, hub.url, String(build.id))
    expect(printed.split('\n')).toEqual(['[["docker-image-2.x86_64.tar.gz", "x86_64"]]', '["py-release-7-1.noarch"]', ''])
  })
})

describeWithPeers(['koji', 'atomic-reactor'], "atomic-reactor's koji_util against the hub", (peers) => {
  it('logs in with the koji_ssl_certs folder, uploads as koji_promote does, imports, and tags as koji_tag_build does', async () => {
    const certs = certsDir()
    const file = join(dir, 'image.tar')
    writeFileSync(file, Buffer.alloc(3 * 1024 * 1024 + 17, 7))
    const script = [
      'import json, sys, hashlib, os, koji',
      'from atomic_reactor.koji_util import create_koji_session, tag_koji_build',
      'hub, certs, path = sys.argv[1:]',
      "s = create_koji_session(hub, {'proxyuser': None, 'ssl_certs_dir': certs, 'krb_principal': 'None', 'krb_keytab': 'None'})",
      "s.uploadWrapper(path, 'koji-promote/1.ab', name='docker-image-1.x86_64.tar')",
      "data = open(path, 'rb').read()",
      "out = {'filename': 'docker-image-1.x86_64.tar', 'filesize': len(data), 'checksum': hashlib.md5(data).hexdigest(), 'checksum_type': 'md5', 'type': 'docker-image', 'arch': 'x86_64', 'buildroot_id': 1}",
      "meta = {'metadata_version': 0, 'build': {'name': 'ar-container', 'version': '1', 'release': '1', 'source': 'git#x', 'start_time': 1, 'end_time': 2, 'extra': {}}, 'buildroots': [{'id': 1, 'content_generator': {'name': 'atomic-reactor', 'version': '1.6.26.3'}}], 'output': [out]}",
      "b = s.CGImport(meta, 'koji-promote/1.ab')",
      "print(json.dumps([b['nvr'], tag_koji_build(s, b['id'], 'app-candidate', poll_interval=0)]))",
      'anonymous = create_koji_session(hub)',
      'try:',
      "    anonymous.CGImport(meta, 'koji-promote/1.ab')",
      'except koji.GenericError as e:',
      '    print(type(e).__name__, e)',
      "bad = os.path.join(os.path.dirname(certs), 'bad')",
      'os.makedirs(bad, exist_ok=True)',
      "for name in ('cert', 'ca'): open(os.path.join(bad, name), 'w').write(open(os.path.join(certs, 'serverca')).read())",
      "open(os.path.join(bad, 'serverca'), 'w').write(open(os.path.join(certs, 'serverca')).read())",
      'try:',
      "    create_koji_session(hub, {'ssl_certs_dir': bad})",
      'except Exception as e:',
      '    print(type(e).__name__)'
    ].join('\n')
    const out = await python([peers['atomic-reactor'], peers.koji].join(':'), script, hub.url, certs, file)
    expect(out.split('\n')).toEqual(['["ar-container-1-1", "app-candidate"]', 'ActionNotAllowed you must be logged in for this operation', 'AuthError', ''])
    const build = hub.builds().find((b) => b.name === 'ar-container')!
    expect(build.outputs[0]).toMatchObject({ filename: 'docker-image-1.x86_64.tar', type: 'docker-image', filesize: 3 * 1024 * 1024 + 17 })
    expect(hub.tagged('app-candidate')).toContain('ar-container-1-1')
  })
})
