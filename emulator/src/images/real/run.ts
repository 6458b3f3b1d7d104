/**
 * Run a command of this machine (buildah, docker-registry): its output line by line as it comes, its exit code,
 * cancellation by an AbortSignal (SIGTERM, then SIGKILL), and a short tail kept for error messages.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

export interface RunOptions {
  /** Called with each line of stdout and stderr, in order of arrival. */
  onLine?: (line: string) => void
  signal?: AbortSignal
  env?: Record<string, string>
  cwd?: string
  /** Lines kept at the end for the result (default 20). */
  tail?: number
}

export interface RunResult {
  code: number
  /** The last lines of output (stdout and stderr). */
  tail: string[]
  /** stdout as a whole. */
  stdout: string
}

/** Run `command args…`; resolves with the exit code (never rejects for a non-zero code; rejects when it cannot start). */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new Error(`${command} not started: cancelled`))
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const keep = options.tail ?? 20
    const tail: string[] = []
    let stdout = ''
    const onLine = (line: string) => {
      tail.push(line)
      if (tail.length > keep) tail.shift()
      options.onLine?.(line)
    }
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    createInterface({ input: child.stdout }).on('line', onLine)
    createInterface({ input: child.stderr }).on('line', onLine)
    let killTimer: NodeJS.Timeout | undefined
    const abort = () => {
      child.kill('SIGTERM')
      killTimer = setTimeout(() => child.kill('SIGKILL'), 5000)
      killTimer.unref()
    }
    options.signal?.addEventListener('abort', abort, { once: true })
    child.once('error', (err) => {
      options.signal?.removeEventListener('abort', abort)
      reject(new Error(`cannot run ${command}: ${err.message}`))
    })
    child.once('close', (code, sig) => {
      options.signal?.removeEventListener('abort', abort)
      if (killTimer) clearTimeout(killTimer)
      resolve({ code: code ?? (sig ? 128 : 1), tail, stdout })
    })
  })
}

/** The tool's own error message: its last `Error: …` line, else its last line. */
export function lastError(tail: string[]): string {
  const error = [...tail].reverse().find((l) => /^Error: /.test(l))
  return (error ?? tail[tail.length - 1] ?? 'no output').replace(/^Error: /, '')
}
