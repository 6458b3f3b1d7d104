/**
 * SPEC §6.4: stream the build log into the job log as it arrives, each chunk of lines in one piece. A dropped stream is resumed with
 * `sinceTime` and the lines already printed are skipped (exactly, see LogDeduper); atomic-reactor lines are grouped
 * per plugin and ERROR lines become error annotations. Nothing but the current line is held in memory.
 */
import { ClusterError, sleep, type Cluster } from '../../cluster/index.js'
import { LineSplitter, LogDeduper, LogGrouper, resumeSinceTime, splitTimestamp, type LogSink } from './lines.js'
import type { Reporter } from '../../shared/reporter.js'
import { isTerminal, type BuildProgress } from '../builds.js'

export interface FollowOptions {
  signal?: AbortSignal
  /** Awaited after each chunk, so that a slow job log slows the stream instead of filling memory. */
  drain?: () => Promise<void>
  /** Pause between attempts while the build has not started. */
  retryDelayMs?: number
  /**
   * The build's end as the caller sees it (it watches the build anyway). With it no GET goes before a stream, and a
   * stream that ended normally (the build's container ended) ends the follow as soon as the build is seen ended,
   * without asking for the log again. Without it, the build is read before each stream.
   */
  build?: BuildProgress
  /** How long to wait, after a normal end of a stream, for the build to be seen ended before resuming (default 10 s). */
  endGraceMs?: number
}

export interface FollowResult {
  lines: number
  /** Streams opened (1 + resumes). */
  streams: number
  /** The log could not be read to its end. */
  incomplete?: string
}

/** Messages of a log request that mean "not yet": the build has not started, or its container is starting. */
function notStartedYet(error: ClusterError): boolean {
  if (error.status === 504 || error.status === 500 || error.status === 503) return true
  const message = error.statusObject?.message ?? ''
  return error.status === 400 && /(timed out waiting|waiting to start|PodInitializing|ContainerCreating|unable to wait)/i.test(message)
}

/** Messages that mean there is no log and never will be (cancelled, error state). */
function noLogs(error: ClusterError): boolean {
  return error.status === 400 && /no logs are available|was cancelled|error state/i.test(error.statusObject?.message ?? '')
}

export class LogPrinter implements LogSink {
  private readonly grouper = new LogGrouper()
  constructor(private readonly reporter: Reporter) {}

  debug(message: string): void {
    this.reporter.debug(message)
  }

  print(text: string): void {
    this.grouper.feed(text, this)
  }

  /** What `report` prints, as one piece of the job log (see Reporter.batch). */
  batch(report: () => void): void {
    if (this.reporter.batch) this.reporter.batch(report)
    else report()
  }

  end(): void {
    this.grouper.finish(this)
  }

  startGroup(name: string): void {
    this.reporter.startGroup(name)
  }

  endGroup(): void {
    this.reporter.endGroup()
  }

  error(message: string, plugin?: string): void {
    this.reporter.error(message, { title: plugin ? `Build log: plugin ${plugin}` : 'Build log' })
  }

  line(text: string): void {
    this.reporter.logLine(text)
  }
}

/** Follow the log of `name` until the build has ended and every line has been printed. */
export function followLog(client: Cluster, name: string, reporter: Reporter, options: FollowOptions = {}): Promise<FollowResult> {
  return new LogFollower(client, name, reporter).follow(options)
}

/**
 * One build's log: `follow` streams it as it comes; `catchUp`, once the build has ended and a slow follow was
 * stopped, reads the final log since the last printed line and prints what is missing. It knows what was printed
 * (the de-duplicator), so whether a line is missing is found out by comparing, not guessed.
 */
export class LogFollower {
  private readonly dedup = new LogDeduper()
  private readonly printer: LogPrinter

  constructor(
    private readonly client: Cluster,
    private readonly name: string,
    reporter: Reporter
  ) {
    this.printer = new LogPrinter(reporter)
  }

  /** Lines printed so far. */
  get printed(): number {
    return this.dedup.printed
  }

  /**
   * The final log of the ended build from the last printed line on (one request, no follow): prints the lines not
   * printed yet and returns how many there were.
   */
  async catchUp(signal?: AbortSignal): Promise<number> {
    const since = this.dedup.last
    this.dedup.beginStream()
    const before = this.dedup.printed
    const splitter = new LineSplitter()
    const stream = await this.client.buildLog(this.name, { timestamps: true, ...(since !== undefined ? { sinceTime: resumeSinceTime(since) } : {}) }, signal)
    try {
      for await (const chunk of stream) {
        const lines = splitter.push(chunk)
        this.printer.batch(() => {
          for (const line of lines) this.accept(line)
        })
      }
      const held = splitter.finish()
      if (held !== undefined) this.accept(held)
    } finally {
      this.printer.end()
    }
    return this.dedup.printed - before
  }

  /** One line of the log (with its timestamp): printed unless it was printed already. */
  private accept(line: string): boolean {
    const parsed = splitTimestamp(line)
    if (!this.dedup.accept(parsed)) return false
    this.printer.print(parsed.text)
    return true
  }

  follow(options: FollowOptions = {}): Promise<FollowResult> {
    return follow(this.client, this.name, this.dedup, this.printer, (line) => this.accept(line), options)
  }
}

async function follow(client: Cluster, name: string, dedup: LogDeduper, printer: LogPrinter, accept: (line: string) => boolean, options: FollowOptions): Promise<FollowResult> {
  const { signal } = options
  const retryDelay = options.retryDelayMs ?? 1000
  const batch = (report: () => void): void => printer.batch(report)
  let streams = 0
  /** Streams in a row that brought nothing new. */
  let fruitless = 0
  /** Log requests in a row answered "not started yet". */
  let waiting = 0
  let held: string | undefined
  try {
    for (;;) {
      const terminalAtStart = options.build ? options.build.ended() : isTerminal(await client.getBuild(name, signal))
      const since = dedup.last
      dedup.beginStream()
      const splitter = new LineSplitter()
      let broke = false
      let fresh = 0
      let stream: AsyncIterable<Uint8Array>
      try {
        stream = await client.buildLog(name, { follow: true, timestamps: true, ...(since !== undefined ? { sinceTime: resumeSinceTime(since) } : {}) }, signal)
      } catch (error) {
        if (signal?.aborted) throw signal.reason ?? error
        if (!(error instanceof ClusterError)) throw error
        if (noLogs(error)) return { lines: dedup.printed, streams, incomplete: error.statusObject?.message }
        if (terminalAtStart && !notStartedYet(error)) throw error
        if (error.status !== undefined && !notStartedYet(error) && error.status !== 404) throw error
        if (++waiting > 600) throw error
        printer.debug(`${error.message}; asking again`)
        await sleep(retryDelay, signal)
        continue
      }
      streams++
      waiting = 0
      held = undefined
      try {
        for await (const chunk of stream) {
          const lines = splitter.push(chunk)
          if (!lines.length) continue
          // The whole chunk at once: one write to the job log, and no line held back for the next chunk.
          batch(() => {
            for (const line of lines) if (accept(line)) fresh++
          })
          if (options.drain) await options.drain()
        }
      } catch (error) {
        if (signal?.aborted) throw signal.reason ?? error
        if (!(error instanceof ClusterError)) throw error
        broke = true
        printer.debug(`${error.message}; resuming the log`)
      }
      held = splitter.finish()
      // A stream ends normally when the build's container ended: once the build is seen ended, that was all.
      const complete = !broke && (terminalAtStart || (options.build !== undefined && (await options.build.endedWithin(options.endGraceMs ?? 10_000, signal))))
      if (signal?.aborted) throw signal.reason
      if (complete) {
        // The whole rest of the log of an ended build: a last line without a newline is the real last line.
        if (held !== undefined) accept(held)
        held = undefined
        return { lines: dedup.printed, streams }
      }
      fruitless = fresh ? 0 : fruitless + 1
      if (fruitless > 50) return { lines: dedup.printed, streams, incomplete: 'the log stream kept ending without new lines' }
      if (broke || !fresh) await sleep(Math.min(retryDelay * fruitless, 5000), signal)
    }
  } finally {
    printer.end()
  }
}
