/**
 * rpm-count from the Koji hub: the image archives of the Build's Koji build and their RPM components, asked as koji's
 * ClientSession asks anonymously, of the local OpenShift's Koji hub (which imports as kojihub's CGImport does); a hub
 * that cannot answer is a warning and an empty output.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { KojiHub } from '../emulator/src/koji/hub.js'
import { imageRpms } from '../src/koji/image-rpms.js'
import { kojiCall } from '../src/koji/hub.js'
import { decodeResponse, encodeCall } from '../src/koji/xmlrpc.js'
import { withHubRpmCount } from '../src/flow/koji-rpms.js'
import { outputsFrom, readBuild } from '../src/report/outputs.js'
import { renderSummary } from '../src/report/summary.js'
import { RecordingReporter } from '../__fixtures__/e2e/plan.js'
import { startForwardProxy } from '../__fixtures__/forward-proxy.js'
import { describeWithPeers } from '../__fixtures__/peers.js'

let hub: KojiHub
let buildId: number
beforeAll(async () => {
  hub = new KojiHub()
  await hub.start()
  // the packages a base image's RPM database lists, known to Koji as a site builds them there
  for (const name of ['fedora-release', 'bash']) hub.importRpm({ name, version: '39', release: '1', epoch: null, arch: 'noarch', payloadhash: 'a'.repeat(32), size: 1, buildtime: 1 })
  const image = Buffer.from('the image')
  const md5 = createHash('md5').update(image).digest('hex')
  hub.call('uploadFile', ['koji-promote/1.x', 'docker-image-1.x86_64.tar.gz', image.length, ['md5', md5], 0, image.toString('base64')], 'osbs')
  // koji_promote's image output: its components are all_rpm_packages' lines (one RPM Koji does not know)
  const rpm = (name: string) => ({ type: 'rpm', name, version: '39', release: '1', epoch: null, arch: 'noarch', sigmd5: 'a'.repeat(32), signature: null })
  const output = {
    filename: 'docker-image-1.x86_64.tar.gz',
    filesize: image.length,
    checksum: md5,
    checksum_type: 'md5',
    type: 'docker-image',
    arch: 'x86_64',
    buildroot_id: 1,
    components: [rpm('fedora-release'), rpm('bash'), rpm('built-here-only')]
  }
  const metadata = {
    metadata_version: 0,
    build: { name: 'widget-container', version: '1.0', release: '3', source: 'git#x', start_time: 1, end_time: 2, extra: {} },
    buildroots: [{ id: 1, content_generator: { name: 'atomic-reactor', version: '1.6.26.3' } }],
    output: [output]
  }
  buildId = (hub.call('CGImport', [metadata, 'koji-promote/1.x'], 'osbs') as { id: number }).id
})
afterAll(() => hub.close())

/** A Complete Build after koji_promote, as atomic-reactor 1.6.26.3 leaves it: the label, an empty rpm-packages. */
function finished(labels: Record<string, string>, rpmPackages = '') {
  return readBuild(
    {
      metadata: { name: 'widget-main-1', labels, annotations: { 'rpm-packages': rpmPackages, dockerfile: 'FROM f\nLABEL com.redhat.component=widget-container version=1.0 release=3\n' } },
      status: { phase: 'Complete' }
    },
    { buildConfig: 'widget-main', registries: [], buildUrl: 'https://console.example.com/b/1' }
  )
}

describe('XML-RPC as Koji speaks it', () => {
  it("sends keyword arguments as koji.encode_args does (read back by Python's xmlrpc.client)", () => {
    const call = encodeCall('listArchives', [], { buildID: 7, type: 'image' })
    const parsed = execFileSync('/usr/bin/python3', ['-c', 'import sys, json, xmlrpc.client; print(json.dumps(xmlrpc.client.loads(sys.stdin.read())))'], { input: call, encoding: 'utf8' })
    expect(JSON.parse(parsed)).toEqual([[{ buildID: 7, type: 'image', __starstar: true }], 'listArchives'])
  })
})

describeWithPeers(['koji'], "XML-RPC as Koji's hub writes it", ({ koji }) => {
  it("reads koji.xmlrpcplus's answers: nil (None), i8 (ids past 2^31), escapes, empty structs and lists", () => {
    const value = [{ id: 2 ** 40, epoch: null, name: 'a<b & "c"', ok: true, size: 1.5, extra: {}, none: [] }]
    const answer = execFileSync('/usr/bin/python3', ['-c', 'import sys, json, koji.xmlrpcplus as x; print(x.dumps((json.load(sys.stdin),), methodresponse=True))'], {
      input: JSON.stringify(value),
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: koji! }
    })
    expect(answer).toContain('<nil/>')
    expect(answer).toContain('<i8>')
    expect(decodeResponse(answer)).toEqual(value)
  })
})

describe("the Koji build's image RPMs", () => {
  it("counts the RPM components the hub kept of the image archive (listArchives(type='image'), listRPMs(imageID))", async () => {
    const archives = (await kojiCall(hub.url, 'listArchives', [], { buildID: buildId, type: 'image' })) as { id: number }[]
    expect(archives).toHaveLength(1)
    expect(await imageRpms(hub.url, buildId)).toEqual({ archives: [archives[0]!.id], rpms: 2 })
  })

  it("goes through the runner's proxy (HTTP_PROXY) as the cluster's requests do", async () => {
    const proxy = await startForwardProxy()
    try {
      expect((await imageRpms(hub.url, buildId, { env: { HTTP_PROXY: proxy.url } })).rpms).toBe(2)
      expect(proxy.requests).toContain(new URL(hub.url).host)
    } finally {
      await proxy.close()
    }
  })

  it('a fault of the hub names the call and the fault', async () => {
    await expect(kojiCall(hub.url, 'noSuchCall', [])).rejects.toThrow('noSuchCall: the hub answered with fault 1000: Invalid method: noSuchCall')
  })
})

describe('rpm-count and the summary', () => {
  it("come from the hub when the Build names its Koji build and rpm-packages is empty (1.6.26.3's annotation)", async () => {
    const reporter = new RecordingReporter()
    const facts = await withHubRpmCount(finished({ 'koji-build-id': String(buildId) }), { kojiHub: hub.url }, reporter)
    expect(facts.koji).toMatchObject({ buildId: String(buildId), nvr: 'widget-container-1.0-3', rpmCount: 2 })
    expect(outputsFrom(facts, { autorebuild: false })['rpm-count']).toBe('2')
    expect(renderSummary({ facts, autorebuild: { enabled: false, reason: 'r' } })).toContain('| RPMs | 2 |')
    expect(reporter.events.filter((e) => e.kind === 'warning')).toEqual([])
  })

  it('an rpm-packages annotation that lists RPMs is kept; without koji-hub or the label the hub is not asked', async () => {
    const reporter = new RecordingReporter()
    const gone = 'http://127.0.0.1:1/kojihub'
    expect((await withHubRpmCount(finished({ 'koji-build-id': '5' }, 'a;1;1;noarch;(none);1;x;1;(none);(none)\n'), { kojiHub: gone }, reporter)).koji.rpmCount).toBe(1)
    expect((await withHubRpmCount(finished({ 'koji-build-id': '5' }), {}, reporter)).koji.rpmCount).toBeUndefined()
    expect((await withHubRpmCount(finished({}), { kojiHub: gone }, reporter)).koji.rpmCount).toBeUndefined()
    expect(reporter.events.filter((e) => e.kind === 'warning')).toEqual([])
  })

  it('a hub that cannot answer is a warning naming the hub and the call; rpm-count stays empty', async () => {
    const down = new KojiHub()
    const url = await down.start()
    await down.close()
    const reporter = new RecordingReporter()
    const facts = await withHubRpmCount(finished({ 'koji-build-id': String(buildId) }), { kojiHub: url }, reporter)
    expect(outputsFrom(facts, { autorebuild: false })['rpm-count']).toBe('')
    expect(renderSummary({ facts, autorebuild: { enabled: false, reason: 'r' } })).not.toContain('| RPMs |')
    const warnings = reporter.events.filter((e) => e.kind === 'warning').map((e) => e.text)
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^The RPM count of Koji build ${buildId} could not be read from the Koji hub ${url.replace(/[.]/g, '\\.')}: listArchives: .*ECONNREFUSED`))
    ])
  })

  it('an HTTP error and an answer that is not XML-RPC are warnings too', async () => {
    let status = 503
    const server: Server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/html' })
      res.end('<html><body>gateway</body></html>')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/kojihub`
    try {
      const reporter = new RecordingReporter()
      await withHubRpmCount(finished({ 'koji-build-id': '9' }), { kojiHub: url }, reporter)
      status = 200
      await withHubRpmCount(finished({ 'koji-build-id': '9' }), { kojiHub: url }, reporter)
      const warnings = reporter.events.filter((e) => e.kind === 'warning').map((e) => e.text)
      expect(warnings[0]).toContain(': listArchives: HTTP 503 Service Unavailable.')
      expect(warnings[1]).toContain(': listArchives: the answer is not XML-RPC (not XML-RPC: <html> where <methodResponse> was expected).')
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('a build the hub holds no image archive of is a warning, not a count of 0', async () => {
    const reporter = new RecordingReporter()
    const facts = await withHubRpmCount(finished({ 'koji-build-id': '999' }), { kojiHub: hub.url }, reporter)
    expect(facts.koji.rpmCount).toBeUndefined()
    expect(reporter.events.filter((e) => e.kind === 'warning').map((e) => e.text)).toEqual([
      `The Koji hub ${hub.url} holds no image archive for Koji build 999, so it lists no RPMs for it; the rpm-count output is left empty`
    ])
  })
})
