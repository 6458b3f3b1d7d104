/** A build log's file: the records as the kubelet writes them, whatever the line; seq's numbers as seq prints them. */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decimal } from '../src/reactor/backends/simulated.js'
import { BuildLog, type LogSink } from '../src/storage/build-logs.js'

const dir = mkdtempSync(join(tmpdir(), 'emulator-build-log-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/

/** Everything `stream` writes, as text. */
async function read(log: BuildLog, opts: Parameters<BuildLog['stream']>[1]): Promise<string> {
  const chunks: Buffer[] = []
  const sink: LogSink = {
    write: (chunk, done) => (chunks.push(Buffer.from(chunk)), done?.(), true),
    once: () => undefined,
    removeListener: () => undefined
  }
  await log.stream(sink, opts, new AbortController().signal)
  return Buffer.concat(chunks).toString('utf8')
}

describe('a build log file', () => {
  it('keeps every line whole: non-ASCII text, a line longer than the write buffer, a newline inside a line', async () => {
    const long = 'é'.repeat(40_000) + 'x'.repeat(100_000)
    const lines = ['plain', 'ünïcödé ✓ 😀', long, 'two\nlines', '', 'last']
    const log = new BuildLog(join(dir, 'a.log'))
    for (const l of lines) log.append(l)
    log.close()
    const records = readFileSync(log.path, 'utf8').split('\n')
    expect(records.pop()).toBe('')
    expect(records.map((r) => r.slice(31))).toEqual(['plain', 'ünïcödé ✓ 😀', long, 'two lines', '', 'last'])
    const times = records.map((r) => r.slice(0, 30))
    for (const t of times) expect(t).toMatch(TS)
    expect([...times].sort()).toEqual(times)
    expect(new Set(times).size).toBe(times.length)
    expect(log.lines).toBe(6)
    expect(log.size).toBe(Buffer.byteLength(readFileSync(log.path)))
    expect(await read(log, { tailLines: 2 })).toBe('\nlast\n')
    expect(await read(log, { sinceTime: times[3], timestamps: true })).toBe(records.slice(3).join('\n') + '\n')
  })

  it('reads back a finished log of an earlier run: lines, size and where tailLines starts', async () => {
    const log = new BuildLog(join(dir, 'b.log'))
    for (let i = 0; i < 5000; i++) log.append(`line ${i}`)
    log.close()
    const again = new BuildLog(log.path, true)
    expect([again.lines, again.size]).toEqual([5000, log.size])
    expect(await read(again, { tailLines: 3 })).toBe('line 4997\nline 4998\nline 4999\n')
  })
})

describe('decimal', () => {
  it('writes an integer as String does', () => {
    for (const n of [0, 1, 9, 10, 99, 100, 12345, 999_999_999, 2 ** 53 - 1, -1, -10, -3_000_000]) expect(decimal(n)).toBe(String(n))
  })
})
