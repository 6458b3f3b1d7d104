/**
 * The local Koji hub: XML-RPC on 127.0.0.1 with Koji's answers to the calls atomic-reactor 1.6.26.3 makes;
 * checked with the build pod's client and with Koji's own Python client library (../shared/peers/koji).
 */
import { execFile } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { incrementRelease, KojiHub } from '../src/koji/hub.js'
import { decodeCall, decodeResponse, encodeCall, encodeResponse, XmlRpcFault } from '../src/koji/xmlrpc.js'
import { kojiCall } from '../src/reactor/util/koji.js'
import { describeWithPeers } from '../../__fixtures__/peers.js'

let hub: KojiHub
beforeAll(async () => {
  hub = new KojiHub()
  await hub.start()
})
afterAll(() => hub.close())

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
