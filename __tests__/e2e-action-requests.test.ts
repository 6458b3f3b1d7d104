/**
 * End to end: the requests a run sends, as the local OpenShift saw them (its request log: the order in which
 * requests came and were answered, no clock). Independent reads go out together, nothing is asked twice, no GET
 * goes before a log stream whose answer the stream gives, and after a normal end of the log only the build's final
 * state is read.
 */
import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { sequentialRoundTrips, type RequestEntry } from '../emulator/src/index.js'
import { runAction } from '../__fixtures__/e2e/action.js'
import { dockerfile, makeRepo } from '../__fixtures__/e2e/git.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const local = useLocalOpenShift({ logWaitSeconds: 2 })
const tmp = makeTempDir('osbs-e2e-requests-')

/** `GET builds/app-1/log?follow`: the path after the API group and namespace, and the query's keys. */
function short(entry: RequestEntry): string {
  const url = new URL(entry.url, 'http://local')
  const where = decodeURIComponent(url.pathname.replace(/^\/apis?\/([^/]+\/)?v1\/(namespaces\/[^/]+\/)?/, ''))
  const keys = [...url.searchParams.keys()].filter((k) => k !== 'timestamps' && k !== 'allowWatchBookmarks')
  return `${entry.method} ${where}${keys.length ? '?' + keys.join('&') : ''}`
}

/** The requests up to the one that started the build (included), and the ones after it. */
function aroundStart(entries: RequestEntry[]): { before: RequestEntry[]; after: RequestEntry[] } {
  const start = entries.find((e) => e.method === 'POST' && e.url.endsWith('/instantiate'))
  expect(start).toBeDefined()
  return { before: entries.filter((e) => e.sent <= start!.sent), after: entries.filter((e) => e.sent > start!.sent) }
}

/**
 * Run the action with every answer held back a little: the emulator answers at once otherwise, so that requests a
 * client sends together would look one after another. Only the order is asserted, never a time.
 */
async function runAndLog(checkout: ReturnType<typeof makeRepo>): Promise<RequestEntry[]> {
  local.emulator.requests.clear()
  const slow = local.emulator.faults.delay({}, 250, { count: Infinity })
  try {
    const run = await runAction({ checkout, inputs: { ...local.inputs(), 'registry-secret': 'push-creds' } })
    expect(run.code).toBe(0)
  } finally {
    local.emulator.faults.remove(slow)
  }
  return local.emulator.requests.list()
}

describe('the requests of a run', () => {
  let checkout: ReturnType<typeof makeRepo>
  const bc = 'app-main-a8805'

  it('first run: one round of reads, the create, the instantiate; after it the log, the watch and one last read', async () => {
    await local.api.request({
      verb: 'POST',
      group: 'core',
      resource: 'secrets',
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'push-creds' }, data: { token: Buffer.from('x').toString('base64') } }
    })
    checkout = makeRepo(path.join(tmp, 'app'), { Dockerfile: dockerfile('fedora:latest', 'acme/app', '1.0', 'RUN seq 3\n') })
    const entries = await runAndLog(checkout)
    const { before, after } = aroundStart(entries)
    const firstRound = [
      'GET /apis/build.openshift.io/v1',
      'POST selfsubjectaccessreviews',
      'GET secrets/kojisecret',
      'GET secrets/push-creds',
      'GET imagestreams/fedora',
      `GET buildconfigs/${bc}`,
      'GET imagestreamtags/fedora:latest',
      'GET configmaps/console-public'
    ]
    expect(before.map(short).sort()).toEqual([...firstRound, 'POST buildconfigs', `POST buildconfigs/${bc}/instantiate`].sort())
    // the first round went out before any of it was answered
    const firstAnswer = Math.min(...before.slice(0, firstRound.length).map((e) => e.answered!))
    expect(before.slice(0, firstRound.length).every((e) => e.sent < firstAnswer)).toBe(true)
    expect(sequentialRoundTrips(before)).toBe(3)

    const build = `${bc}-1`
    expect(after.map(short).sort()).toEqual(
      [`GET builds/${build}`, `GET builds/${build}/log?follow`, 'GET builds?watch&fieldSelector&resourceVersion&timeoutSeconds', 'GET imagestreams/acme-app', 'POST imagestreams'].sort()
    )
    // the last read of the build comes after the log and the watch ended: the build's final state, nothing else
    const [last] = after.filter((e) => short(e) === `GET builds/${build}`)
    const streams = after.filter((e) => /log\?follow|watch/.test(short(e)))
    for (const stream of streams) expect(stream.answered!).toBeLessThan(last.sent)
    // then the image's ImageStream: looked for, then created (this server imports it within the write: no watch)
    const images = after.filter((e) => short(e).includes('imagestreams'))
    expect(images.map(short)).toEqual(['GET imagestreams/acme-app', 'POST imagestreams'])
    expect(images[0].sent).toBeGreaterThan(last.answered!)
  })

  it('second run: the running-build lists (together) between the reads and the update', async () => {
    const entries = await runAndLog(checkout)
    const { before, after } = aroundStart(entries)
    expect(before.map(short).sort()).toEqual(
      [
        'GET /apis/build.openshift.io/v1',
        'POST selfsubjectaccessreviews',
        'GET secrets/kojisecret',
        'GET secrets/push-creds',
        'GET imagestreams/fedora',
        `GET buildconfigs/${bc}`,
        'GET imagestreamtags/fedora:latest',
        'GET configmaps/console-public',
        'GET builds?labelSelector',
        'GET builds?labelSelector',
        `PUT buildconfigs/${bc}`,
        `POST buildconfigs/${bc}/instantiate`
      ].sort()
    )
    expect(sequentialRoundTrips(before)).toBe(4)
    expect(after.map(short).filter((r) => !r.includes('watch') && !r.includes('log'))).toEqual([`GET builds/${bc}-2`, 'GET imagestreams/acme-app', 'PUT imagestreams/acme-app'])
    // nothing asked twice in the whole run
    const urls = entries.map((e) => `${e.method} ${e.url}`)
    expect(new Set(urls).size).toBe(urls.length)
  })
})
