/** HTTP helpers: JSON and Status answers, body reading, the response wrapper that applies stream faults, lost answers. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ApiError, badRequest, type StatusBody } from '../api/status.js'

export const MAX_BODY = 16 * 1024 * 1024

export function sendJSON(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  if (res.headersSent) {
    res.end()
    return
  }
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

export function sendStatus(res: ServerResponse, status: StatusBody): void {
  const headers: Record<string, string> = {}
  if (status.details?.retryAfterSeconds) headers['Retry-After'] = String(status.details.retryAfterSeconds)
  sendJSON(res, status.code, status, headers)
}

export function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof ApiError) return sendStatus(res, err.status)
  const message = (err as Error)?.message ?? String(err)
  sendStatus(res, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ reason: '', message, field: '' }] },
    code: 500
  })
}

/** Bodies already read (a held request is read whole before the API reads it). */
const bodies = new WeakMap<IncomingMessage, Promise<Buffer>>()

/** The whole body of a request (read once: a second call answers the same bytes). */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  let body = bodies.get(req)
  if (!body) bodies.set(req, (body = readWholeBody(req)))
  return body
}

async function readWholeBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > MAX_BODY) {
      throw new ApiError({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Request entity too large: limit is 16777216',
        reason: 'RequestEntityTooLarge',
        code: 413
      })
    }
    chunks.push(c as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Decode a JSON body; undecodable JSON is a 400 as the API server words it. */
export function parseJSON(buf: Buffer, what: string): any {
  const text = buf.toString('utf8')
  if (!text.trim()) throw badRequest(`Object '${what}' is missing in '${text}'`)
  try {
    return JSON.parse(text)
  } catch (err) {
    throw badRequest(`${what} in version "v1" cannot be handled as a ${what}: ${(err as Error).message}`)
  }
}

/**
 * Wraps a streaming response so that an injected "cut" fault drops the connection after N body bytes, and that
 * writes after the client went away are ignored.
 */
export class StreamWriter {
  private written = 0
  closed = false

  constructor(
    readonly res: ServerResponse,
    private readonly cutAfter?: number
  ) {
    res.on('close', () => {
      this.closed = true
    })
  }

  /** Returns false when the consumer is slow (wait for 'drain'). */
  write(chunk: string | Buffer, done?: () => void): boolean {
    if (this.closed) return true
    if (this.cutAfter !== undefined) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      if (this.written + buf.length >= this.cutAfter) {
        const keep = Math.max(0, this.cutAfter - this.written)
        if (keep > 0) this.res.write(buf.subarray(0, keep))
        this.written += keep
        this.closed = true
        // Give the partial chunk a moment to leave, then drop the connection without ending the chunked body.
        setTimeout(() => this.res.socket?.destroy(), 20)
        return true
      }
      this.written += buf.length
    }
    return done ? this.res.write(chunk, () => done()) : this.res.write(chunk)
  }

  once(event: 'drain' | 'close', fn: () => void): unknown {
    return this.res.once(event, fn)
  }

  removeListener(event: 'drain' | 'close', fn: () => void): unknown {
    return this.res.removeListener(event, fn)
  }

  end(): void {
    if (this.closed) return
    this.closed = true
    this.res.end()
  }
}

/**
 * Make `res` lose its answer: the first attempt to send anything (head or body) destroys the connection instead,
 * so the request is carried out but the client gets no byte of the answer.
 */
export function loseAnswer(res: ServerResponse): void {
  const drop = (): ServerResponse => {
    res.socket?.destroy()
    return res
  }
  res.writeHead = drop as ServerResponse['writeHead']
  res.flushHeaders = () => {
    drop()
  }
  res.write = ((..._args: unknown[]) => {
    drop()
    return true
  }) as ServerResponse['write']
  res.end = drop as ServerResponse['end']
}
