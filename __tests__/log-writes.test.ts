/**
 * The build log reaches the job log one chunk at a time: every complete line of a chunk in one write, none held
 * back for the next chunk; and a stream that ended normally is not asked for again once the build is seen ended.
 */
import { describe, expect, it } from '@jest/globals'
import * as core from '@actions/core'
import type { Cluster, LogQuery } from '../src/cluster/index.js'
import { BuildEnd } from '../src/flow/builds.js'
import { followLog } from '../src/flow/index.js'
import { JobLog } from '../src/action/job-log.js'
import type { Reporter } from '../src/shared/reporter.js'
import { RecordingReporter } from '../__fixtures__/e2e/plan.js'

/** Every write to stdout while `fn` runs. */
function stdoutWrites(fn: () => void): string[] {
  const writes: string[] = []
  const write = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array) => {
    writes.push(String(chunk))
    return true
  }) as typeof process.stdout.write
  try {
    fn()
  } finally {
    process.stdout.write = write
  }
  return writes
}

const report = (): void => {
  core.info('first line')
  core.startGroup('plugin tag_and_push')
  core.error('push refused: 50% done\nnext', { title: 'Build log: plugin tag_and_push' })
  core.info('::stop-commands::token')
  core.endGroup()
}
const inOneWrite = (report: () => void): void => new JobLog().batch(report)

describe('one write per chunk', () => {
  it('a batch writes what the toolkit printed, byte for byte, in one write', () => {
    const separate = stdoutWrites(report)
    expect(separate.length).toBe(5)
    const batched = stdoutWrites(() => inOneWrite(report))
    expect(batched).toEqual([separate.join('')])
    expect(stdoutWrites(() => inOneWrite(() => {}))).toEqual([])
  })

  it('a batch gives stdout back when the report throws, and writes what was printed before', () => {
    const writes = stdoutWrites(() => {
      expect(() =>
        inOneWrite(() => {
          core.info('before')
          throw new Error('boom')
        })
      ).toThrow('boom')
      core.info('after')
    })
    expect(writes).toEqual(['before\n', 'after\n'])
  })
})

/** A client whose log streams are the given chunk lists, one list per request. */
function fakeLog(streams: string[][], onRequest?: (count: number) => void): { client: Cluster; queries: LogQuery[] } {
  const queries: LogQuery[] = []
  const client = {
    async buildLog(_name: string, query: LogQuery) {
      queries.push(query)
      onRequest?.(queries.length)
      const chunks = streams.shift() ?? []
      return (async function* () {
        for (const chunk of chunks) yield new TextEncoder().encode(chunk)
      })()
    },
    async getBuild() {
      throw new Error('no GET is expected')
    }
  } as unknown as Cluster
  return { client, queries }
}

/** A RecordingReporter that also records which events came in which batch. */
class BatchingReporter extends RecordingReporter implements Reporter {
  readonly batches: string[][] = []
  batch(fn: () => void): void {
    const start = this.events.length
    fn()
    this.batches.push(this.events.slice(start).map((e) => `${e.kind}:${e.text}`))
  }
}

const t = (s: number): string => `2026-01-01T00:00:0${s}.000000000Z`

describe('following a log in chunks', () => {
  it('prints each chunk in one batch, never holding a complete line for the next chunk', async () => {
    const { client } = fakeLog([
      [
        `${t(1)} one\n${t(2)} two\n${t(3)} thr`,
        `ee\n${t(4)} 2026-01-01 00:00:04,000 platform:- - atomic_reactor.plugin - DEBUG - running plugin 'tag_and_push'\n`,
        `${t(5)} ::set-output name=x::y\n${t(6)} last`
      ]
    ])
    const reporter = new BatchingReporter()
    const result = await followLog(client, 'app-1', reporter, { build: new BuildEnd({ metadata: { name: 'app-1' }, status: { phase: 'Complete' } }) })
    expect(result).toEqual({ lines: 6, streams: 1 })
    expect(reporter.batches).toEqual([
      ['info:one', 'info:two'],
      ['info:three', 'group:plugin tag_and_push', "info:2026-01-01 00:00:04,000 platform:- - atomic_reactor.plugin - DEBUG - running plugin 'tag_and_push'"],
      ['info:::set-output name=x::y']
    ])
    // the last line (no newline) of an ended build, then the group's end
    expect(reporter.events.slice(-2).map((e) => `${e.kind}:${e.text}`)).toEqual(['info:last', 'endgroup:'])
  })

  it('a stream that ended normally is not followed again once the build is seen ended', async () => {
    const { client, queries } = fakeLog([[`${t(1)} one\n${t(2)} two\n`]])
    const end = new BuildEnd({ metadata: { name: 'app-1' }, status: { phase: 'Running' } })
    const reporter = new RecordingReporter()
    const following = followLog(client, 'app-1', reporter, { build: end, endGraceMs: 60_000 })
    // the watch sees the end after the stream ended
    await new Promise((resolve) => setImmediate(resolve))
    end.seen({ metadata: { name: 'app-1' }, status: { phase: 'Complete' } })
    expect(await following).toEqual({ lines: 2, streams: 1 })
    expect(queries).toEqual([{ follow: true, timestamps: true }])
  })

  it('resumes with sinceTime when the build is not seen ended after a normal end of the stream', async () => {
    const end = new BuildEnd({ metadata: { name: 'app-1' }, status: { phase: 'Running' } })
    // seen ended only once the second stream is asked for
    const { client, queries } = fakeLog([[`${t(1)} one\n`], [`${t(1)} one\n${t(2)} two\n`]], (count) => {
      if (count === 2) end.seen({ metadata: { name: 'app-1' }, status: { phase: 'Complete' } })
    })
    const reporter = new RecordingReporter()
    expect(await followLog(client, 'app-1', reporter, { build: end, endGraceMs: 1, retryDelayMs: 1 })).toEqual({ lines: 2, streams: 2 })
    expect(queries).toEqual([
      { follow: true, timestamps: true },
      { follow: true, timestamps: true, sinceTime: '2026-01-01T00:00:00Z' }
    ])
    expect(reporter.lines('info')).toEqual(['one', 'two'])
  })
})
