/**
 * Build logs, kept in append-only files (one per build) so that memory stays flat however long a log grows:
 * in memory there is only a sparse index (one entry per 1024 lines: line number, byte offset, timestamp).
 *
 * Each record is `<RFC3339Nano timestamp> <line>\n`, the format the kubelet gives with `timestamps=true`.
 * Timestamps are strictly increasing within one log, so `sinceTime` is a seek plus a filter on the first block.
 */
import { EventEmitter } from 'node:events'
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs'
import { open as openAsync } from 'node:fs/promises'
import { join } from 'node:path'

const INDEX_EVERY = 1024
const FLUSH_BYTES = 16 * 1024
const OUT_BYTES = 64 * 1024
const TIMESTAMP_BYTES = 30
const READ_CHUNK = 64 * 1024

/** Format nanoseconds since the epoch as RFC3339 with 9 fraction digits, UTC. */
export function formatNanos(ns: bigint): string {
  const ms = Number(ns / 1_000_000n)
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0')
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`)
}

/** Parse an RFC3339 time (any fraction precision) to the 9-digit form used in the log, or undefined. */
export function normalizeTime(s: string): string | undefined {
  const m = s.match(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/)
  if (!m) return undefined
  const base = Date.parse(`${m[1]}${m[3]}`)
  if (Number.isNaN(base)) return undefined
  const frac = (m[2] ?? '').padEnd(9, '0')
  return formatNanos(BigInt(base) * 1_000_000n + BigInt(frac))
}

export interface LogReadOptions {
  follow?: boolean
  timestamps?: boolean
  /** normalized (see normalizeTime) */
  sinceTime?: string
  tailLines?: number
  limitBytes?: number
}

/** Where the stream writes; `write` returns false when the consumer is slow (then wait for 'drain'). */
export interface LogSink {
  write(chunk: string | Buffer, done?: () => void): boolean
  once(event: 'drain' | 'close', fn: () => void): unknown
  removeListener(event: 'drain' | 'close', fn: () => void): unknown
}

interface IndexEntry {
  line: number
  offset: number
  ts: string
}

export class BuildLog extends EventEmitter {
  private fd: number | undefined
  private flushScheduled = false
  /** bytes on disk */
  size = 0
  /** lines appended (flushed or not) */
  lines = 0
  done = false
  private readonly index: IndexEntry[] = []

  /** `existing`: the finished log in a file of an earlier run (a state dir): size, lines and index are read back. */
  constructor(
    readonly path: string,
    existing = false
  ) {
    super()
    this.setMaxListeners(0)
    if (!existing) {
      this.fd = openSync(path, 'w')
      return
    }
    this.done = true
    const fd = openSync(path, 'r')
    try {
      const buf = Buffer.allocUnsafe(READ_CHUNK)
      const ts = Buffer.allocUnsafe(40)
      let lineStart = 0
      for (let pos = 0; ;) {
        const n = readSync(fd, buf, 0, buf.length, pos)
        if (n <= 0) break
        for (let i = buf.indexOf(10); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) {
          if (this.lines % INDEX_EVERY === 0) {
            const got = readSync(fd, ts, 0, ts.length, lineStart)
            this.index.push({ line: this.lines, offset: lineStart, ts: ts.toString('latin1', 0, got).split(' ')[0]! })
          }
          this.lines++
          lineStart = pos + i + 1
        }
        pos += n
      }
      this.size = lineStart
    } finally {
      closeSync(fd)
    }
  }

  private lastMs = 0
  private sub = 0
  /** `YYYY-MM-DDTHH:MM:SS.mmm` of lastMs; the line's time is this, the 6-digit sub-millisecond counter and `Z`. */
  private prefix = ''
  /**
   * Lines not yet written, as the bytes of their records: a line is encoded here directly, so that appending it
   * allocates nothing that outlives the call (record strings kept until a flush survived the young generation's
   * collections, which made V8 grow it to its largest size on a long log).
   */
  private readonly out = Buffer.allocUnsafeSlow(OUT_BYTES)
  private outLen = 0

  /** Move to the next strictly increasing time: the wall clock's milliseconds plus a sub-millisecond counter. */
  private tick(): void {
    const ms = Date.now()
    if (ms > this.lastMs) {
      this.lastMs = ms
      this.sub = 0
      this.prefix = new Date(ms).toISOString().slice(0, 23)
    } else if (++this.sub > 999_999) {
      this.lastMs++
      this.sub = 0
      this.prefix = new Date(this.lastMs).toISOString().slice(0, 23)
    }
  }

  private timestamp(): string {
    return `${this.prefix}${String(this.sub).padStart(6, '0')}Z`
  }

  /** Append one line (a newline inside it becomes a space), with the next timestamp. */
  append(line: string): void {
    if (this.done) return
    this.tick()
    const text = line.includes('\n') ? line.replace(/\r?\n/g, ' ') : line
    if (this.lines % INDEX_EVERY === 0) this.index.push({ line: this.lines, offset: this.size + this.outLen, ts: this.timestamp() })
    this.lines++
    // timestamp (30 bytes), a space, the text (at most 3 bytes per UTF-16 unit), the newline
    const most = TIMESTAMP_BYTES + 2 + text.length * 3
    if (this.outLen + most > this.out.length) this.flush()
    if (most > this.out.length) {
      this.write(`${this.timestamp()} ${text}\n`)
      this.emit('data')
      return
    }
    let o = this.outLen + this.out.write(this.prefix, this.outLen, 'latin1')
    for (let i = 5, sub = this.sub; i >= 0; i--, sub = Math.floor(sub / 10)) this.out[o + i] = 48 + (sub % 10)
    this.out[o + 6] = 0x5a // Z
    this.out[o + 7] = 0x20
    o += 8
    o += this.out.write(text, o, 'utf8')
    this.out[o++] = 0x0a
    this.outLen = o
    if (this.outLen >= FLUSH_BYTES) this.flush()
    else if (!this.flushScheduled) {
      this.flushScheduled = true
      setImmediate(() => this.flush())
    }
  }

  private write(data: string | Buffer): void {
    if (this.fd === undefined) return
    const n = typeof data === 'string' ? writeSync(this.fd, data) : writeSync(this.fd, data, 0, data.length)
    this.size += n
  }

  flush(): void {
    this.flushScheduled = false
    if (!this.outLen || this.fd === undefined) return
    this.write(this.out.subarray(0, this.outLen))
    this.outLen = 0
    this.emit('data')
  }

  /** The build ended: followers get EOF once they have read everything. */
  finish(): void {
    if (this.done) return
    this.flush()
    this.done = true
    this.emit('data')
  }

  close(): void {
    this.finish()
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }

  private seek(opts: LogReadOptions): { offset: number; skip: number } {
    this.flush()
    if (opts.tailLines !== undefined) {
      const target = Math.max(0, this.lines - opts.tailLines)
      let e: IndexEntry | undefined
      for (let lo = 0, hi = this.index.length - 1; lo <= hi;) {
        const mid = (lo + hi) >> 1
        if (this.index[mid]!.line <= target) {
          e = this.index[mid]
          lo = mid + 1
        } else hi = mid - 1
      }
      return e ? { offset: e.offset, skip: target - e.line } : { offset: 0, skip: 0 }
    }
    if (opts.sinceTime) {
      let e: IndexEntry | undefined
      for (let lo = 0, hi = this.index.length - 1; lo <= hi;) {
        const mid = (lo + hi) >> 1
        if (this.index[mid]!.ts < opts.sinceTime) {
          e = this.index[mid]
          lo = mid + 1
        } else hi = mid - 1
      }
      return { offset: e?.offset ?? 0, skip: 0 }
    }
    return { offset: 0, skip: 0 }
  }

  /**
   * Write the log to `sink`: from the start (or `sinceTime` / the last `tailLines`), following new lines while
   * `follow` until the build ends, stopping after `limitBytes`. Resolves when done or when `signal` aborts.
   */
  async stream(sink: LogSink, opts: LogReadOptions, signal: AbortSignal): Promise<void> {
    let { offset, skip } = this.seek(opts)
    let filtering = !!opts.sinceTime
    let remaining = opts.limitBytes ?? Infinity
    const fh = await openAsync(this.path, 'r')
    // One read buffer for the whole stream: the unfinished last line of a chunk is moved to its front.
    let buf = Buffer.allocUnsafeSlow(READ_CHUNK * 2)
    const pool: Buffer[] = []
    let kept = 0
    try {
      while (!signal.aborted && remaining > 0) {
        this.flush()
        if (offset < this.size) {
          if (buf.length - kept < READ_CHUNK) {
            const bigger = Buffer.allocUnsafeSlow(buf.length * 2)
            buf.copy(bigger, 0, 0, kept)
            buf = bigger
          }
          const { bytesRead } = await fh.read(buf, kept, Math.min(buf.length - kept, this.size - offset), offset)
          if (bytesRead <= 0) break
          offset += bytesRead
          const end = kept + bytesRead
          const last = buf.lastIndexOf(10, end - 1)
          if (last < 0) {
            kept = end
            continue
          }
          // Copy the selected lines (with or without their timestamp) into a chunk for the socket. Chunks are
          // reused once written, so a long log does not churn through buffers the garbage collector frees late.
          let out = pool.pop()
          if (!out || out.length < last + 1) out = Buffer.allocUnsafeSlow(Math.max(last + 1, READ_CHUNK))
          let o = 0
          for (let pos = 0; pos <= last;) {
            const nl = buf.indexOf(10, pos)
            if (skip > 0) {
              skip--
              pos = nl + 1
              continue
            }
            const sp = buf.indexOf(32, pos)
            if (filtering) {
              if (buf.toString('latin1', pos, sp) < opts.sinceTime!) {
                pos = nl + 1
                continue
              }
              filtering = false
            }
            o += buf.copy(out, o, opts.timestamps ? pos : sp + 1, nl + 1)
            pos = nl + 1
          }
          kept = end - (last + 1)
          buf.copy(buf, 0, last + 1, end)
          if (o > 0) {
            const chunk = out.subarray(0, Math.min(o, remaining))
            remaining -= chunk.length
            const used = out
            if (!sink.write(chunk, () => pool.length < 4 && pool.push(used))) await waitFor(sink, 'drain', signal)
          } else pool.push(out)
          continue
        }
        if (this.done || !opts.follow) break
        await new Promise<void>((resolve) => {
          const wake = () => {
            this.removeListener('data', wake)
            signal.removeEventListener('abort', wake)
            resolve()
          }
          this.once('data', wake)
          signal.addEventListener('abort', wake, { once: true })
        })
      }
    } finally {
      await fh.close()
    }
  }
}

function waitFor(sink: LogSink, event: 'drain', signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      sink.removeListener(event, done)
      sink.removeListener('close', done)
      signal.removeEventListener('abort', done)
      resolve()
    }
    sink.once(event, done)
    sink.once('close', done)
    signal.addEventListener('abort', done, { once: true })
  })
}

/** All build logs of a cluster, as files under one directory. */
export class LogStore {
  private readonly logs = new Map<string, BuildLog>()
  private seq = 0

  /** Logs already in `dir` (an earlier run's state dir) are served again, as finished logs. */
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true })
    const found = new Map<string, { seq: number; file: string }>()
    for (const file of readdirSync(dir)) {
      // <namespace>_<build>_<seq>.log: neither a namespace nor a build name has a '_'
      const m = /^([^_]+)_([^_]+)_(\d+)\.log$/.exec(file)
      if (!m) continue
      const seq = Number(m[3])
      this.seq = Math.max(this.seq, seq)
      const k = LogStore.key(m[1]!, m[2]!)
      const prev = found.get(k)
      if (prev && prev.seq > seq) {
        rmSync(join(dir, file), { force: true })
        continue
      }
      if (prev) rmSync(join(dir, prev.file), { force: true })
      found.set(k, { seq, file })
    }
    for (const [k, { file }] of found) this.logs.set(k, new BuildLog(join(dir, file), true))
  }

  private static key(ns: string, name: string): string {
    return `${ns}/${name}`
  }

  /** The log of a build, created empty when missing. */
  open(ns: string, name: string): BuildLog {
    const k = LogStore.key(ns, name)
    let l = this.logs.get(k)
    if (!l) {
      l = new BuildLog(join(this.dir, `${ns}_${name}_${++this.seq}.log`))
      this.logs.set(k, l)
    }
    return l
  }

  get(ns: string, name: string): BuildLog | undefined {
    return this.logs.get(LogStore.key(ns, name))
  }

  remove(ns: string, name: string): void {
    const k = LogStore.key(ns, name)
    const l = this.logs.get(k)
    if (!l) return
    this.logs.delete(k)
    l.close()
    rmSync(l.path, { force: true })
  }

  closeAll(): void {
    for (const l of this.logs.values()) l.close()
  }
}
