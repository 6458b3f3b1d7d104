/**
 * Pure pieces of the build-log follower (SPEC §6.4): splitting a byte stream into lines, the `timestamps=true`
 * prefix, exact de-duplication across resumed streams, and grouping atomic-reactor lines per plugin.
 * Nothing here holds more than one line (plus an unfinished one) in memory.
 */

/** Splits decoded chunks into complete lines; keeps only the unfinished tail. */
export class LineSplitter {
  private readonly decoder = new TextDecoder()
  private tail = ''

  /** Complete lines in this chunk (without the newline, `\r` dropped). */
  push(chunk: Uint8Array): string[] {
    const text = this.tail + this.decoder.decode(chunk, { stream: true })
    const lines: string[] = []
    let start = 0
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      lines.push(text.charCodeAt(nl - 1) === 13 && nl > start ? text.slice(start, nl - 1) : text.slice(start, nl))
      start = nl + 1
    }
    this.tail = start === 0 ? text : text.slice(start)
    return lines
  }

  /** The unfinished line, if any, and reset (a new stream starts clean). */
  finish(): string | undefined {
    const rest = this.tail + this.decoder.decode()
    this.tail = ''
    return rest === '' ? undefined : rest
  }

  get pending(): boolean {
    return this.tail !== ''
  }
}

const UTC_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)$/i

/**
 * An RFC 3339 timestamp in one fixed form, `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` (UTC, 9 fraction digits), so that
 * timestamps compare as strings; undefined when it is not a timestamp. The kubelet's own form (UTC, 9 digits)
 * is returned as it is, without any allocation: this runs for every line of the log.
 */
export function normalizeTimestamp(text: string): string | undefined {
  if (text.length === 30 && UTC_NANO.test(text)) return text
  const m = RFC3339.exec(text)
  if (!m) return undefined
  const ms = Date.parse(m[1] + (m[3].toUpperCase() === 'Z' ? 'Z' : m[3]))
  if (Number.isNaN(ms)) return undefined
  return new Date(ms).toISOString().slice(0, 19) + '.' + (m[2] ?? '').padEnd(9, '0') + 'Z'
}

/** `sinceTime` for a resume: one whole second before `ts` (normalized), so that the answer starts at or before
 * that line whatever the server's precision and whether it counts the bound in or out. */
export function resumeSinceTime(ts: string): string {
  return new Date(Date.parse(ts.slice(0, 19) + 'Z') - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export interface TimestampedLine {
  /** Normalized timestamp (see normalizeTimestamp), when the line had a timestamp prefix. */
  ts?: string
  text: string
}

/** Split `timestamps=true` output: `<RFC3339Nano> <line>`. */
export function splitTimestamp(line: string): TimestampedLine {
  const space = line.indexOf(' ')
  if (space > 0) {
    const ts = normalizeTimestamp(line.slice(0, space))
    if (ts !== undefined) return { ts, text: line.slice(space + 1) }
  } else if (space < 0) {
    const ts = normalizeTimestamp(line)
    if (ts !== undefined) return { ts, text: '' }
  }
  return { text: line }
}

/**
 * Decides which lines of a (resumed) stream are new. The log is append-only with non-decreasing timestamps, and a
 * resumed stream starts at or before the last printed line. After printing lines up to timestamp T (k of them at
 * T), a resumed stream's lines before T are old, its first k lines at T are old, everything after is new — exact
 * even when many lines share a timestamp.
 */
export class LogDeduper {
  private lastTs: string | undefined
  private countAtLast = 0
  private baseTs: string | undefined
  private baseCount = 0
  private seenAtBase = 0
  private previousTs: string | undefined
  /** Lines printed in total. */
  printed = 0

  /** Call when a new stream starts (the first one too). */
  beginStream(): void {
    this.baseTs = this.lastTs
    this.baseCount = this.countAtLast
    this.seenAtBase = 0
    this.previousTs = this.lastTs
  }

  /** true when the line is new (and counts it as printed). */
  accept(line: TimestampedLine): boolean {
    const ts = line.ts ?? this.previousTs
    this.previousTs = ts
    if (ts !== undefined && this.baseTs !== undefined) {
      if (ts < this.baseTs) return false
      if (ts === this.baseTs) {
        this.seenAtBase++
        if (this.seenAtBase <= this.baseCount) return false
      }
    }
    if (ts !== undefined) {
      if (ts === this.lastTs) this.countAtLast++
      else {
        this.lastTs = ts
        this.countAtLast = 1
      }
    }
    this.printed++
    return true
  }

  /** Timestamp of the last printed line (for sinceTime). */
  get last(): string | undefined {
    return this.lastTs
  }
}

/** One atomic-reactor log line: `<time> platform:<arch> - <logger> - <LEVEL> - <message>`. */
export interface ReactorLine {
  time: string
  platform: string
  logger: string
  level: string
  message: string
}

const STARTS_WITH_DATE = /^\d{4}-/
const REACTOR_LINE = /^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[,.]\d+)?) platform:(\S*) - (\S+) - (DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL) - (.*)$/

export function parseReactorLine(text: string): ReactorLine | undefined {
  if (!STARTS_WITH_DATE.test(text)) return undefined
  const m = REACTOR_LINE.exec(text)
  if (!m) return undefined
  return { time: m[1], platform: m[2], logger: m[3], level: m[4], message: m[5] }
}

export type LogAction =
  | { kind: 'line'; text: string }
  | { kind: 'start-group'; name: string }
  | { kind: 'end-group' }
  | { kind: 'error'; message: string; plugin?: string }

const RUNNING_PLUGIN = /^running plugin '([^']+)'/
const PLUGIN_LOGGER = /^atomic_reactor\.plugins\.([\w-]+)/
const PHASE_START = /^(running (pre-build|buildstep|build-step|pre-publish|prepublish|post-build|postbuild|exit) plugins|initializing runner of )/

/**
 * Groups atomic-reactor lines per plugin: a group opens at `running plugin '<name>'` (or the first line of a
 * plugin's own logger) and closes when another plugin starts or a phase begins. ERROR (and CRITICAL) lines
 * also become error annotations. Lines in no known format stay in the current group.
 */
export class LogGrouper {
  private current: string | undefined

  get group(): string | undefined {
    return this.current
  }

  line(text: string): LogAction[] {
    const actions: LogAction[] = []
    const parsed = parseReactorLine(text)
    if (parsed) {
      const running = parsed.logger === 'atomic_reactor.plugin' ? RUNNING_PLUGIN.exec(parsed.message) : null
      const own = PLUGIN_LOGGER.exec(parsed.logger)
      const plugin = running?.[1] ?? own?.[1]
      if (plugin && plugin !== this.current) {
        if (this.current !== undefined) actions.push({ kind: 'end-group' })
        this.current = plugin
        actions.push({ kind: 'start-group', name: `plugin ${plugin}` })
      } else if (!plugin && parsed.logger === 'atomic_reactor.inner' && this.current !== undefined) {
        actions.push({ kind: 'end-group' })
        this.current = undefined
      } else if (!plugin && PHASE_START.test(parsed.message) && this.current !== undefined) {
        actions.push({ kind: 'end-group' })
        this.current = undefined
      }
      actions.push({ kind: 'line', text })
      if (parsed.level === 'ERROR' || parsed.level === 'CRITICAL')
        actions.push({ kind: 'error', message: parsed.message, plugin: own?.[1] ?? this.current })
      return actions
    }
    actions.push({ kind: 'line', text })
    return actions
  }

  /** Close the open group at the end of the log. */
  end(): LogAction[] {
    if (this.current === undefined) return []
    this.current = undefined
    return [{ kind: 'end-group' }]
  }
}

/** A line the runner would read as a workflow command (`::…` or `##[…`), which a build log must never issue. */
export function looksLikeCommand(text: string): boolean {
  return /^\s*(::|##\[)/.test(text)
}
