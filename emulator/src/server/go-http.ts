/**
 * The HTTP server as OpenShift's (Go's net/http, as kube-apiserver configures it) answers, where Node's own
 * defaults differ in a way a client notices (README "HTTP as Go's net/http serves it"):
 *
 * - `Expect`: an empty value is served (Node answers 417 to it); `100-continue` gets its `100 Continue` only when
 *   the handler starts reading the body, and a connection whose body was never asked for is closed after the
 *   answer (Node sends 100 at once); any other value is Go's `417` with `Connection: close` and no body, on
 *   HTTP/1.0 too (Node ignores Expect there).
 * - Header size: kube-apiserver's `MaxHeaderBytes` is 1 MiB, read with Go's 4096 bytes of slack (Node: 16 KiB);
 *   past it Go's exact `431` answer (text/plain body, `Connection: close`); a request Node cannot parse gets Go's
 *   `400 Bad Request` answer.
 * - No timeouts of the server's own: no idle keep-alive timeout (Node: 5 s, announced in a `Keep-Alive` header),
 *   no limit on how long a request may take to arrive (Node: 300 s, then 408), as kube-apiserver sets none.
 */
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** kube-apiserver's `MaxHeaderBytes` (1 << 20); Go reads up to it plus 4096 bytes for the request line. */
export const MAX_HEADER_BYTES = 1 << 20
const GO_HEADER_SLACK = 4096

/** Options for `http.createServer` / `https.createServer`. */
export const GO_SERVER_OPTIONS: ServerOptions = {
  maxHeaderSize: MAX_HEADER_BYTES + GO_HEADER_SLACK,
  requestTimeout: 0,
  headersTimeout: 0,
  keepAliveTimeout: 0
}

const GO_ERROR_HEADERS = '\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n'

/** The bytes Go writes for a request it cannot read (`conn.serve`). */
export function goClientError(code: string | undefined): string {
  const publicErr = code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request'
  return `HTTP/1.1 ${publicErr}${GO_ERROR_HEADERS}${publicErr}`
}

/**
 * Owe `req` its `100 Continue` until something reads its body (Go's expectContinueReader sends it on the
 * handler's first read): whoever consumes the stream (the API's body reader, the registry's upload) triggers it.
 */
function continueOnFirstRead(req: IncomingMessage, res: ServerResponse): void {
  const keepAlive = res.shouldKeepAlive
  // Until the client was told to send its body, the connection cannot be reused: Go closes it after the answer.
  res.shouldKeepAlive = false
  const read = req._read.bind(req)
  req._read = (size: number) => {
    req._read = read
    if (!res.headersSent && !res.writableEnded) {
      res.writeContinue()
      res.shouldKeepAlive = keepAlive
    }
    read(size)
  }
}

/** The response being written on each connection (for clientError). */
const inFlightResponses = new WeakMap<Socket, ServerResponse>()

function track(req: IncomingMessage, res: ServerResponse, open: Set<ServerResponse>): void {
  const socket = req.socket
  inFlightResponses.set(socket, res)
  open.add(res)
  res.once('close', () => {
    open.delete(res)
    if (inFlightResponses.get(socket) === res) inFlightResponses.delete(socket)
  })
}

/** What actLikeGo gives back: whether every request served has seen its response close. */
export interface GoLikeServer {
  /** Resolves once every response begun so far has closed (after close(), when their handlers saw the end). */
  settled(): Promise<void>
}

/** Go's sendExpectationFailed: 417, `Connection: close`, no body; the request is not served. */
function expectationFailed(res: ServerResponse): void {
  res.shouldKeepAlive = false
  res.writeHead(417, { 'Content-Length': '0' })
  res.end()
}

/**
 * Serve `handler` on `server` (created with GO_SERVER_OPTIONS and no handler of its own), answering `Expect` and
 * malformed requests as Go does.
 */
export function actLikeGo(server: Server, handler: (req: IncomingMessage, res: ServerResponse) => void): GoLikeServer {
  const open = new Set<ServerResponse>()
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    // Go wraps the body only when there is one (HTTP/1.1, Content-Length not 0).
    track(req, res, open)
    if (req.headers['content-length'] !== '0') continueOnFirstRead(req, res)
    handler(req, res)
  })
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    track(req, res, open)
    if ((req.headers.expect ?? '').trim() === '') {
      handler(req, res)
      return
    }
    expectationFailed(res)
  })
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    track(req, res, open)
    // Node looks at Expect only on HTTP/1.1; Go refuses an expectation other than 100-continue on any version.
    const expect = (req.headers.expect ?? '').trim()
    if (expect !== '' && !/(^|[\s,])100-continue($|[\s,])/i.test(expect)) return expectationFailed(res)
    handler(req, res)
  })
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy()
      return
    }
    // Go reads the next request only after answering the one before: bytes that follow a request on the same
    // connection and do not parse (a body sent without a length) never spoil the answer in flight.
    const inFlight = inFlightResponses.get(socket)
    const answer = () => {
      if (socket.writable) socket.end(goClientError(err.code))
    }
    if (inFlight && !inFlight.writableFinished) inFlight.once('close', answer)
    else answer()
  })
  return {
    settled: () => Promise.all([...open].map((res) => new Promise<void>((resolve) => (res.closed ? resolve() : res.once('close', () => resolve()))))).then(() => undefined)
  }
}
