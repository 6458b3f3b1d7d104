import { describe, expect, it } from '@jest/globals'
import {
  LineSplitter,
  LogDeduper,
  LogGrouper,
  looksLikeCommand,
  parseReactorLine,
  parseTimestamp,
  resumeSinceTime,
  splitTimestamp
} from '../src/logs.js'

const enc = new TextEncoder()

describe('LineSplitter', () => {
  it('joins lines across chunks, including a multi-byte character cut in two', () => {
    const bytes = enc.encode('héllo wörld\nsecond line\r\nthird')
    const s = new LineSplitter()
    const lines: string[] = []
    for (let i = 0; i < bytes.length; i += 3) lines.push(...s.push(bytes.subarray(i, i + 3)))
    expect(lines).toEqual(['héllo wörld', 'second line'])
    expect(s.pending).toBe(true)
    expect(s.finish()).toBe('third')
    expect(s.finish()).toBeUndefined()
  })

  it('keeps empty lines', () => {
    const s = new LineSplitter()
    expect(s.push(enc.encode('a\n\nb\n'))).toEqual(['a', '', 'b'])
  })
})

describe('timestamps', () => {
  it('parses RFC 3339 with any fraction length and offsets', () => {
    expect(parseTimestamp('2026-01-02T03:04:05Z')).toBe(1767323045n * 1_000_000_000n)
    expect(parseTimestamp('2026-01-02T03:04:05.5Z')).toBe(1767323045n * 1_000_000_000n + 500_000_000n)
    expect(parseTimestamp('2026-01-02T03:04:05.000000001Z')).toBe(1767323045n * 1_000_000_000n + 1n)
    expect(parseTimestamp('2026-01-02T04:04:05.25+01:00')).toBe(1767323045n * 1_000_000_000n + 250_000_000n)
    expect(parseTimestamp('not a time')).toBeUndefined()
  })

  it('orders trimmed fractions correctly (string order would not)', () => {
    const a = parseTimestamp('2026-01-02T03:04:05.9Z')!
    const b = parseTimestamp('2026-01-02T03:04:05.10Z')!
    expect(a > b).toBe(true)
  })

  it('splits the timestamp prefix off a line', () => {
    expect(splitTimestamp('2026-01-02T03:04:05.123456789Z hello world')).toEqual({
      ts: 1767323045123456789n,
      text: 'hello world'
    })
    expect(splitTimestamp('no timestamp here')).toEqual({ text: 'no timestamp here' })
    expect(splitTimestamp('2026-01-02T03:04:05Z')).toEqual({ ts: 1767323045000000000n, text: '' })
  })

  it('resumes one whole second before the last line', () => {
    expect(resumeSinceTime(parseTimestamp('2026-01-02T03:04:05.999Z')!)).toBe('2026-01-02T03:04:04Z')
  })
})

/** A log of n lines whose timestamps repeat in runs (many lines share one timestamp). */
function makeLog(n: number): { ts: bigint; text: string }[] {
  const base = 1767323045n * 1_000_000_000n
  return Array.from({ length: n }, (_, i) => ({ ts: base + BigInt(Math.floor(i / 4)) * 300_000_000n, text: `line ${i}` }))
}

/** What a server returns for sinceTime=floor(t)-1s: every line at or after that second. */
function serveFrom(log: { ts: bigint; text: string }[], since: bigint | undefined): { ts: bigint; text: string }[] {
  if (since === undefined) return log
  const bound = parseTimestamp(resumeSinceTime(since))!
  return log.filter((l) => l.ts >= bound)
}

describe('LogDeduper', () => {
  it('prints every line exactly once across streams cut at arbitrary points', () => {
    const log = makeLog(200)
    for (const cuts of [[1], [4, 5, 6], [3, 50, 51, 52, 199], [7, 8, 9, 10, 11, 12, 13]]) {
      const d = new LogDeduper()
      const printed: string[] = []
      let cutIndex = 0
      for (let guard = 0; guard < 100; guard++) {
        d.beginStream()
        const served = serveFrom(log, d.last)
        let stopped = false
        for (let i = 0; i < served.length; i++) {
          if (d.accept(served[i])) printed.push(served[i].text)
          if (cutIndex < cuts.length && printed.length === cuts[cutIndex]) {
            cutIndex++
            stopped = true
            break
          }
        }
        if (!stopped) break
      }
      expect(printed).toEqual(log.map((l) => l.text))
      expect(d.printed).toBe(log.length)
    }
  })

  it('skips exactly the k lines already printed at the last timestamp, even if they are identical', () => {
    const t = 1767323045n * 1_000_000_000n
    const log = [
      { ts: t, text: 'same' },
      { ts: t, text: 'same' },
      { ts: t, text: 'same' },
      { ts: t + 1n, text: 'next' }
    ]
    const d = new LogDeduper()
    d.beginStream()
    expect(d.accept(log[0])).toBe(true)
    expect(d.accept(log[1])).toBe(true)
    d.beginStream()
    expect(log.map((l) => d.accept(l))).toEqual([false, false, true, true])
  })
})

describe('atomic-reactor lines', () => {
  it('parses the log format', () => {
    expect(
      parseReactorLine('2017-10-02 18:42:58,123 platform:- - atomic_reactor.plugins.check_and_set_rebuild - INFO - This is a rebuild? False')
    ).toEqual({
      time: '2017-10-02 18:42:58,123',
      platform: '-',
      logger: 'atomic_reactor.plugins.check_and_set_rebuild',
      level: 'INFO',
      message: 'This is a rebuild? False'
    })
    expect(parseReactorLine('Cloning into /tmp/x...')).toBeUndefined()
  })

  it('groups lines per plugin and turns ERROR lines into errors', () => {
    const g = new LogGrouper()
    const p = '2017-10-02 18:42:58,123 platform:-'
    const actions = [
      `${p} - atomic_reactor.inner - INFO - running pre-build plugins`,
      `${p} - atomic_reactor.plugin - DEBUG - running plugin 'pull_base_image'`,
      `${p} - atomic_reactor.plugins.pull_base_image - INFO - pulling fedora`,
      `free text inside the plugin`,
      `${p} - atomic_reactor.plugin - DEBUG - running plugin 'bump_release'`,
      `${p} - atomic_reactor.plugins.bump_release - ERROR - koji is down`,
      `${p} - atomic_reactor.inner - INFO - running post-build plugins`
    ].flatMap((l) => g.line(l))
    actions.push(...g.end())
    expect(actions.map((a) => (a.kind === 'line' ? 'line' : a.kind === 'start-group' ? `start ${a.name}` : a.kind === 'error' ? `error ${a.plugin}: ${a.message}` : a.kind))).toEqual([
      'line',
      'start plugin pull_base_image',
      'line',
      'line',
      'line',
      'end-group',
      'start plugin bump_release',
      'line',
      'line',
      'error bump_release: koji is down',
      'end-group',
      'line'
    ])
  })

  it('recognises lines that would be workflow commands', () => {
    expect(looksLikeCommand('::set-output name=x::y')).toBe(true)
    expect(looksLikeCommand('  ::add-mask::x')).toBe(true)
    expect(looksLikeCommand('##[group]x')).toBe(true)
    expect(looksLikeCommand('a :: b')).toBe(false)
  })
})
