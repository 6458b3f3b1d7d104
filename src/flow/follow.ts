/**
 * SPEC §6.4: stream the build log into the job log, line by line, as it arrives. A dropped stream is resumed with
 * `sinceTime` and the lines already printed are skipped (exactly, see LogDeduper); atomic-reactor lines are grouped
 * per plugin and ERROR lines become error annotations. Nothing but the current line is held in memory.
 */
import { randomUUID } from 'node:crypto'
import { ClusterError, sleep, type Cluster } from '../cluster.js'
import {
  LineSplitter,
  LogDeduper,
  LogGrouper,
  looksLikeCommand,
  resumeSinceTime,
  splitTimestamp,
  type LogAction
} from '../logs.js'
import type { Reporter } from '../reporter.js'
import { isTerminal } from './builds.js'

export interface FollowOptions {
  signal?: AbortSignal
  /** Awaited after each chunk, so that a slow job log slows the stream instead of filling memory. */
  drain?: () => Promise<void>
  /** Pause between attempts while the build has not started. */
  retryDelayMs?: number
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

export class LogPrinter {
  private readonly grouper = new LogGrouper()
  private stopToken: string | undefined
  constructor(private readonly reporter: Reporter) {}

  debug(message: string): void {
    this.reporter.debug(message)
  }

  print(text: string): void {
    for (const action of this.grouper.line(text)) this.apply(action)
  }

  end(): void {
    for (const action of this.grouper.end()) this.apply(action)
  }

  private apply(action: LogAction): void {
    switch (action.kind) {
      case 'start-group':
        this.reporter.startGroup(action.name)
        break
      case 'end-group':
        this.reporter.endGroup()
        break
      case 'error':
        this.reporter.error(action.message, { title: action.plugin ? `Build log: plugin ${action.plugin}` : 'Build log' })
        break
      case 'line':
        if (looksLikeCommand(action.text)) {
          // A build log must not issue workflow commands: print it between stop-commands markers.
          this.stopToken ??= randomUUID()
          this.reporter.info(`::stop-commands::${this.stopToken}`)
          this.reporter.info(action.text)
          this.reporter.info(`::${this.stopToken}::`)
        } else this.reporter.info(action.text)
        break
    }
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
      for await (const chunk of stream) for (const line of splitter.push(chunk)) this.accept(line)
      const held = splitter.finish()
      if (held !== undefined) this.accept(held)
    } finally {
      this.printer.end()
    }
    return this.dedup.printed - before
  }

  private accept(line: string): boolean {
    const parsed = splitTimestamp(line)
    if (!this.dedup.accept(parsed)) return false
    this.printer.print(parsed.text)
    return true
  }

  follow(options: FollowOptions = {}): Promise<FollowResult> {
    return follow(this.client, this.name, this.dedup, this.printer, options)
  }
}

async function follow(client: Cluster, name: string, dedup: LogDeduper, printer: LogPrinter, options: FollowOptions): Promise<FollowResult> {
  const { signal } = options
  const retryDelay = options.retryDelayMs ?? 1000
  let streams = 0
  /** Streams in a row that brought nothing new. */
  let fruitless = 0
  /** Log requests in a row answered "not started yet". */
  let waiting = 0
  let held: string | undefined
  try {
    for (;;) {
      const terminalAtStart = isTerminal(await client.getBuild(name, signal))
      const since = dedup.last
      dedup.beginStream()
      const splitter = new LineSplitter()
      let broke = false
      let fresh = 0
      let stream: AsyncIterable<Uint8Array>
      try {
        stream = await client.buildLog(
          name,
          { follow: true, timestamps: true, ...(since !== undefined ? { sinceTime: resumeSinceTime(since) } : {}) },
          signal
        )
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
          for (const line of splitter.push(chunk)) {
            const parsed = splitTimestamp(line)
            if (dedup.accept(parsed)) {
              fresh++
              printer.print(parsed.text)
            }
          }
          if (options.drain) await options.drain()
        }
      } catch (error) {
        if (signal?.aborted) throw signal.reason ?? error
        if (!(error instanceof ClusterError)) throw error
        broke = true
        printer.debug(`${error.message}; resuming the log`)
      }
      held = splitter.finish()
      if (!broke && terminalAtStart) {
        // The whole rest of the log of an ended build: a last line without a newline is the real last line.
        if (held !== undefined) {
          const parsed = splitTimestamp(held)
          if (dedup.accept(parsed)) printer.print(parsed.text)
          held = undefined
        }
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
