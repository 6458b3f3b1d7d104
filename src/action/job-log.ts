/**
 * The job log as the runner reads it, and the fence that keeps a build's log from commanding it.
 *
 * The runner (actions/runner: `ProcessInvoker` reads stdout with .NET's `StreamReader.ReadLine`, which ends a line
 * at `\n`, `\r\n` or a lone `\r`; `OutputManager` hands every line holding `::` or `##[` to
 * `ActionCommandManager.TryProcessCommand`) executes `::cmd::data` at a line's start after blanks and `##[cmd]data`
 * anywhere in a line, with culture-sensitive matching (ICU: an ignorable character between the two colons still
 * matches). No check of a line's text can tell safe from unsafe for every byte a build may write, so the build's
 * lines are never judged: they go out between `::stop-commands::<token>` and `::<token>::`. While commands are
 * stopped the runner executes nothing but the resume token, which is a fresh random UUID for every fence, written
 * nowhere else before it is used.
 *
 * Inside the fence the plugin groups still work: the runner writes a group as the raw line `##[group]name`
 * (`GroupingCommandExtension`), and the log viewer renders that line whether or not commands are processed, so the
 * fence writes those lines itself. Everything else — annotations, masks, outputs, the toolkit's own writes from
 * anywhere in the process — first lowers the fence: while it is up, stdout's `write` is taken over, and any write
 * that is not a build line resumes commands before it goes out. The next build line raises a new fence.
 */
import { randomUUID } from 'node:crypto'
import { EOL } from 'node:os'

type Write = NodeJS.WriteStream['write']

export interface JobLogOptions {
  /** The fence's tokens (default: random UUIDs). */
  newToken?: () => string
  /** Line ending (default: the OS's, as the toolkit writes it). */
  eol?: string
}

export class JobLog {
  private token: string | undefined
  /** Text collected by `batch`, written at its end in one write. */
  private buffer: string | undefined
  /** The stream's own write, while it is taken over. */
  private own: Write | undefined
  private readonly newToken: () => string
  private readonly eol: string

  constructor(
    private readonly stream: { write: Write } = process.stdout,
    options: JobLogOptions = {}
  ) {
    this.newToken = options.newToken ?? randomUUID
    this.eol = options.eol ?? EOL
  }

  /** Commands are stopped (a build line was written since the last command). */
  get fenced(): boolean {
    return this.token !== undefined
  }

  /** A line of untrusted output: it reaches the job log as it is, and the runner reads no command in it. */
  data(line: string): void {
    let text = ''
    if (this.token === undefined) {
      this.token = this.newToken()
      text = `::stop-commands::${this.token}${this.eol}`
      this.takeOver()
    }
    this.emit(text + line + this.eol)
  }

  /** Opens a group inside the fence (false: not fenced, the caller opens it as a command). */
  startGroup(name: string): boolean {
    if (this.token === undefined) return false
    this.emit(`##[group]${name.replace(/[\r\n]+/g, ' ')}${this.eol}`)
    return true
  }

  /** Closes a group inside the fence (false: not fenced). */
  endGroup(): boolean {
    if (this.token === undefined) return false
    this.emit(`##[endgroup]${this.eol}`)
    return true
  }

  /** Commands are read again from here on. */
  resume(): void {
    const token = this.token
    if (token === undefined) return
    this.token = undefined
    this.emit(`::${token}::${this.eol}`)
    this.giveBack()
  }

  /** Everything written while `report` runs (by anyone) goes out in one write. */
  batch(report: () => void): void {
    if (this.buffer !== undefined) return report()
    this.buffer = ''
    this.takeOver()
    try {
      report()
    } finally {
      const text = this.buffer
      this.buffer = undefined
      this.giveBack()
      if (text) this.emit(text)
    }
  }

  private emit(text: string): void {
    if (this.buffer !== undefined) this.buffer += text
    else (this.own ?? this.stream.write).call(this.stream, text)
  }

  /** Another writer's text: commands resume first, so that the runner reads it. */
  private intercept(chunk: string | Uint8Array, rest: unknown[]): boolean {
    this.resume()
    this.emit(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    const callback = rest.at(-1)
    if (typeof callback === 'function') process.nextTick(callback as () => void)
    return true
  }

  private takeOver(): void {
    if (this.own !== undefined) return
    this.own = this.stream.write
    this.stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => this.intercept(chunk, rest)) as unknown as Write
  }

  private giveBack(): void {
    if (this.own === undefined || this.token !== undefined || this.buffer !== undefined) return
    this.stream.write = this.own
    this.own = undefined
  }
}
