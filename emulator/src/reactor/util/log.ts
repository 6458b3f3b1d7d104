/**
 * atomic-reactor's log lines: `<asctime> platform:<arch> - <logger> - <LEVEL> - <message>` (logging's format
 * `%(asctime)s platform:%(arch)s - %(name)s - %(levelname)s - %(message)s`). A multi-line message keeps the prefix
 * on its first line only, as Python's logging does.
 */
import { asctime } from './py.js'

export type Level = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR'

export class ReactorLog {
  constructor(
    private readonly write: (line: string) => void,
    private readonly arch = '-'
  ) {}

  line(logger: string, level: Level, message: string): void {
    const prefix = `${asctime()} platform:${this.arch} - ${logger} - ${level} - `
    if (!message.includes('\n')) {
      this.write(prefix + message)
      return
    }
    const lines = message.split('\n')
    this.write(prefix + lines[0])
    for (const l of lines.slice(1)) this.write(l)
  }

  /** Lines written as they are, without the prefix (tracebacks). */
  raw(text: string): void {
    for (const l of text.split('\n')) this.write(l)
  }

  logger(name: string): Logger {
    return new Logger(this, name)
  }
}

export class Logger {
  constructor(
    private readonly out: ReactorLog,
    readonly name: string
  ) {}
  debug(message: string): void {
    this.out.line(this.name, 'DEBUG', message)
  }
  info(message: string): void {
    this.out.line(this.name, 'INFO', message)
  }
  warning(message: string): void {
    this.out.line(this.name, 'WARNING', message)
  }
  error(message: string): void {
    this.out.line(this.name, 'ERROR', message)
  }
}
