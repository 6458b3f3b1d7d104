import { describe, expect, it } from '@jest/globals'
import { LineSplitter, LogDeduper, LogGrouper, parseReactorLine, normalizeTimestamp, resumeSinceTime, splitTimestamp } from '../src/flow/log/lines.js'

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
  it('normalizes RFC 3339 with any fraction length and offsets to one comparable form', () => {
    expect(normalizeTimestamp('2026-01-02T03:04:05Z')).toBe('2026-01-02T03:04:05.000000000Z')
    expect(normalizeTimestamp('2026-01-02T03:04:05.5Z')).toBe('2026-01-02T03:04:05.500000000Z')
    expect(normalizeTimestamp('2026-01-02T03:04:05.000000001Z')).toBe('2026-01-02T03:04:05.000000001Z')
    expect(normalizeTimestamp('2026-01-02T04:04:05.25+01:00')).toBe('2026-01-02T03:04:05.250000000Z')
    expect(normalizeTimestamp('not a time')).toBeUndefined()
  })

  it('orders trimmed fractions correctly (the raw strings would not)', () => {
    expect('2026-01-02T03:04:05.9Z' > '2026-01-02T03:04:05.10Z').toBe(true)
    expect(normalizeTimestamp('2026-01-02T03:04:05.9Z')! > normalizeTimestamp('2026-01-02T03:04:05.10Z')!).toBe(true)
    expect(normalizeTimestamp('2026-01-02T03:04:05Z')! < normalizeTimestamp('2026-01-02T03:04:05.000000001Z')!).toBe(true)
  })

  it('splits the timestamp prefix off a line', () => {
    expect(splitTimestamp('2026-01-02T03:04:05.123456789Z hello world')).toEqual({
      ts: '2026-01-02T03:04:05.123456789Z',
      text: 'hello world'
    })
    expect(splitTimestamp('no timestamp here')).toEqual({ text: 'no timestamp here' })
    expect(splitTimestamp('2026-01-02T03:04:05Z')).toEqual({ ts: '2026-01-02T03:04:05.000000000Z', text: '' })
  })

  it('resumes one whole second before the last line', () => {
    expect(resumeSinceTime(normalizeTimestamp('2026-01-02T03:04:05.999Z')!)).toBe('2026-01-02T03:04:04Z')
    expect(resumeSinceTime(normalizeTimestamp('2026-01-01T00:00:00Z')!)).toBe('2025-12-31T23:59:59Z')
  })
})

/** A log of n lines whose timestamps repeat in runs (many lines share one timestamp). */
function makeLog(n: number): { ts: string; text: string }[] {
  const base = Date.parse('2026-01-02T03:04:05Z')
  return Array.from({ length: n }, (_, i) => {
    const ms = base + Math.floor(i / 4) * 300
    return { ts: new Date(ms).toISOString().slice(0, 19) + '.' + String((ms % 1000) * 1e6).padStart(9, '0') + 'Z', text: `line ${i}` }
  })
}

/** What a server returns for sinceTime=floor(t)-1s: every line at or after that second. */
function serveFrom(log: { ts: string; text: string }[], since: string | undefined): { ts: string; text: string }[] {
  if (since === undefined) return log
  const bound = normalizeTimestamp(resumeSinceTime(since))!
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
    const t = '2026-01-02T03:04:05.000000000Z'
    const log = [
      { ts: t, text: 'same' },
      { ts: t, text: 'same' },
      { ts: t, text: 'same' },
      { ts: '2026-01-02T03:04:05.000000001Z', text: 'next' }
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
    expect(parseReactorLine('2017-10-02 18:42:58,123 platform:- - atomic_reactor.plugins.check_and_set_rebuild - INFO - This is a rebuild? False')).toEqual({
      time: '2017-10-02 18:42:58,123',
      platform: '-',
      logger: 'atomic_reactor.plugins.check_and_set_rebuild',
      level: 'INFO',
      message: 'This is a rebuild? False'
    })
    expect(parseReactorLine('Cloning into /tmp/x...')).toBeUndefined()
  })

  it("reads exactly what the format's regular expression reads", () => {
    const FORMAT = /^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[,.]\d+)?) platform:(\S*) - (\S+) - (DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL) - (.*)$/
    const t = '2017-10-02 18:42:58,123'
    const lines = [
      `${t} platform:- - atomic_reactor.util - DEBUG - 42`,
      `2017-10-02T18:42:58 platform:x86_64 - a - WARNING - w - x - y`,
      `2017-10-02 18:42:58.5 platform: - a - WARN - `,
      `${t} platform:- - a - WARN -`,
      `${t} platform:- - a - NOTICE - m`,
      `${t} platform:- -  - INFO - empty logger`,
      `${t} platform:\t - a - INFO - tab in the platform`,
      `${t} platform:- - a\tb - INFO - tab in the logger`,
      `${t} platform:- - a - INFO - carriage\rreturn`,
      `${t} platform:- - a - INFO - line\u2028separator`,
      `${t} platform:- - a - INFO - tab\tin the message`,
      `${t}platform:- - a - INFO - no space`,
      `2017-10-02 18:42:5 platform:- - a - INFO - short time`,
      `${t},5 platform:- - a - INFO - two fractions`,
      `x${t} platform:- - a - INFO - prefix`,
      `${t} platform:- - a - ERROR - platform: - b - INFO - nested`
    ]
    for (const line of lines) {
      const m = FORMAT.exec(line)
      expect(parseReactorLine(line)).toEqual(m ? { time: m[1], platform: m[2], logger: m[3], level: m[4], message: m[5] } : undefined)
    }
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
})
