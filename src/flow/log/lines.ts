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

/** `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` (30 characters), checked without a regular expression: it runs for every line. */
function isUtcNano(text: string): boolean {
  for (let i = 0; i < 30; i++) {
    const c = text.charCodeAt(i)
    const want = UTC_NANO_SHAPE.charCodeAt(i)
    if (want === 100 /* d */ ? c < 48 || c > 57 : c !== want) return false
  }
  return true
}
const UTC_NANO_SHAPE = 'dddd-dd-ddTdd:dd:dd.dddddddddZ'
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)$/i

/**
 * An RFC 3339 timestamp in one fixed form, `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` (UTC, 9 fraction digits), so that
 * timestamps compare as strings; undefined when it is not a timestamp. The kubelet's own form (UTC, 9 digits)
 * is returned as it is, without any allocation: this runs for every line of the log.
 */
export function normalizeTimestamp(text: string): string | undefined {
  if (text.length === 30 && isUtcNano(text)) return text
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

const REACTOR_TIME = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[,.]\d+)? platform:/
const LEVELS = new Set(['DEBUG', 'INFO', 'WARNING', 'WARN', 'ERROR', 'CRITICAL'])
/** What `.` of a regular expression does not match: such a line is not in the format. */
const LINE_BREAK = /[\n\r\u2028\u2029]/
const WHITESPACE = /\s/

/**
 * `<time> platform:<arch> - <logger> - <LEVEL> - <message>`, read by position after one anchored test (this
 * runs for every line of the log: no capture groups, no backtracking).
 */
export function parseReactorLine(text: string): ReactorLine | undefined {
  const c = text.charCodeAt(0)
  if (c < 48 || c > 57 || !REACTOR_TIME.test(text)) return undefined
  const platformAt = text.indexOf(' platform:')
  const platformEnd = text.indexOf(' ', platformAt + 10)
  if (platformEnd < 0 || !text.startsWith(' - ', platformEnd)) return undefined
  const loggerAt = platformEnd + 3
  const loggerEnd = text.indexOf(' ', loggerAt)
  if (loggerEnd <= loggerAt || !text.startsWith(' - ', loggerEnd)) return undefined
  const levelAt = loggerEnd + 3
  const levelEnd = text.indexOf(' - ', levelAt)
  if (levelEnd < 0) return undefined
  const level = text.slice(levelAt, levelEnd)
  if (!LEVELS.has(level)) return undefined
  const platform = text.slice(platformAt + 10, platformEnd)
  const logger = text.slice(loggerAt, loggerEnd)
  const message = text.slice(levelEnd + 3)
  if (WHITESPACE.test(platform) || WHITESPACE.test(logger) || LINE_BREAK.test(message)) return undefined
  return { time: text.slice(0, platformAt), platform, logger, level, message }
}

export type LogAction = { kind: 'line'; text: string } | { kind: 'start-group'; name: string } | { kind: 'end-group' } | { kind: 'error'; message: string; plugin?: string }

const RUNNING_PLUGIN = /^running plugin '([^']+)'/
const PLUGIN_LOGGER = /^atomic_reactor\.plugins\.([\w-]+)/
const PHASE_START = /^(running (pre-build|buildstep|build-step|pre-publish|prepublish|post-build|postbuild|exit) plugins|initializing runner of )/

/** Where the grouper hands each line and group change, in order (no array per line: this runs for every line). */
export interface LogSink {
  line(text: string): void
  startGroup(name: string): void
  endGroup(): void
  error(message: string, plugin?: string): void
}

/** A LogSink that collects LogActions. */
function collect(actions: LogAction[]): LogSink {
  return {
    line: (text) => actions.push({ kind: 'line', text }),
    startGroup: (name) => actions.push({ kind: 'start-group', name }),
    endGroup: () => actions.push({ kind: 'end-group' }),
    error: (message, plugin) => actions.push({ kind: 'error', message, plugin })
  }
}

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
    this.feed(text, collect(actions))
    return actions
  }

  /** The line and what it changes, handed to `sink` in order. */
  feed(text: string, sink: LogSink): void {
    const parsed = parseReactorLine(text)
    if (!parsed) {
      sink.line(text)
      return
    }
    const running = parsed.logger === 'atomic_reactor.plugin' ? RUNNING_PLUGIN.exec(parsed.message) : null
    const own = parsed.logger.startsWith('atomic_reactor.plugins.') ? PLUGIN_LOGGER.exec(parsed.logger) : null
    const plugin = running?.[1] ?? own?.[1]
    if (plugin && plugin !== this.current) {
      if (this.current !== undefined) sink.endGroup()
      this.current = plugin
      sink.startGroup(`plugin ${plugin}`)
    } else if (!plugin && this.current !== undefined && (parsed.logger === 'atomic_reactor.inner' || PHASE_START.test(parsed.message))) {
      sink.endGroup()
      this.current = undefined
    }
    sink.line(text)
    if (parsed.level === 'ERROR' || parsed.level === 'CRITICAL') sink.error(parsed.message, own?.[1] ?? this.current)
  }

  /** Close the open group at the end of the log. */
  end(): LogAction[] {
    const actions: LogAction[] = []
    this.finish(collect(actions))
    return actions
  }

  finish(sink: LogSink): void {
    if (this.current === undefined) return
    this.current = undefined
    sink.endGroup()
  }
}
