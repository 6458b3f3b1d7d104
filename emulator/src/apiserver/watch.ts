/**
 * Watch streams: newline-delimited `{"type","object"}` events.
 * - no resourceVersion (or "0"): synthetic ADDED events for the current matches, then changes;
 * - a resourceVersion: the changes after it, from the store's history; too old → one ERROR event with a
 *   410 Expired Status, then the stream ends (as the API server does);
 * - selectors apply to both states of a change: an object that stops matching is DELETED for the watcher,
 *   one that starts matching is ADDED;
 * - the stream ends after `timeoutSeconds` (or the server's long-request timeout);
 * - a watcher that does not keep up is ended, as the API server's watch cache ends an unresponsive watcher (the
 *   client re-watches from its last resourceVersion): when more than `maxBacklog` changes wait in the response's
 *   buffer behind a full socket, the stream ends cleanly after the events already written, so a slow client never
 *   makes the server buffer without bound.
 */
import type { ServerResponse } from 'node:http'
import { StreamWriter } from './http.js'
import { expired, type StatusBody } from '../api/status.js'
import type { KubeObject, Store, StoreEvent } from '../storage/store.js'

export interface WatchOptions {
  plural: string
  namespace?: string
  match: (o: KubeObject) => boolean
  /** the request's resourceVersion */
  resourceVersion?: string
  timeoutSeconds?: number
  /** serialize an object for this watcher (apiVersion, kind, selfLink of the path it was asked on) */
  present: (o: KubeObject) => unknown
  /** cut the stream after this many bytes (fault injection) */
  cutAfter?: number
  /** answer with an ERROR 410 event at once (fault injection) */
  expire?: boolean
  /** the server's limit for any watch, in seconds */
  maxSeconds: number
  /** called when the stream ends */
  onEnd?: () => void
  /** changes that may wait behind a full socket before the watcher is ended (default WATCH_BACKLOG) */
  maxBacklog?: number
}

/** Changes a slow watcher may have waiting in the server before it is ended. */
export const WATCH_BACKLOG = 1000

/**
 * The 410 of a watch from a resourceVersion no longer held, as 3.11 words it: pods are watched through the kube
 * API server's watch cache (`too old resource version: <rv> (<oldest>)`, reason Gone); every other resource reads
 * etcd directly (`The resourceVersion for the provided watch is too old.`, reason Expired).
 */
function tooOld(plural: string, rv: string | number, oldest: string | number): StatusBody {
  if (plural === 'pods') return { ...expired(`too old resource version: ${rv} (${oldest})`), reason: 'Gone' }
  return expired('The resourceVersion for the provided watch is too old.')
}

export function serveWatch(res: ServerResponse, store: Store, opts: WatchOptions): void {
  const out = new StreamWriter(res, opts.cutAfter)
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' })
  // Send headers now: clients wait for them before reading events.
  res.flushHeaders()
  const send = (type: string, object: unknown) => out.write(`${JSON.stringify({ type, object })}\n`)
  const sendError = (s: StatusBody) => {
    send('ERROR', s)
    out.end()
  }
  if (opts.expire) return sendError(tooOld(opts.plural, opts.resourceVersion ?? '0', store.revision))

  // Changes written while the socket was full; reset when it drains.
  const maxBacklog = opts.maxBacklog ?? WATCH_BACKLOG
  let backlog = 0
  res.on('drain', () => {
    backlog = 0
  })
  const sendChange = (type: string, object: unknown) => {
    if (res.writableNeedDrain && ++backlog > maxBacklog) {
      out.end()
      return
    }
    send(type, object)
  }

  const inScope = (o: KubeObject | undefined) => !!o && (opts.namespace === undefined || o.metadata.namespace === opts.namespace) && opts.match(o)
  const deliver = (e: StoreEvent, emit = sendChange) => {
    if (e.plural !== opts.plural || out.closed) return
    const now = inScope(e.object)
    const was = e.type !== 'ADDED' && inScope(e.old)
    if (e.type === 'ADDED') {
      if (now) emit('ADDED', opts.present(e.object))
    } else if (e.type === 'MODIFIED') {
      if (now && was) emit('MODIFIED', opts.present(e.object))
      else if (now) emit('ADDED', opts.present(e.object))
      else if (was) emit('DELETED', opts.present(e.object))
    } else if (was || now) emit('DELETED', opts.present(e.object))
  }

  const rv = opts.resourceVersion
  if (rv && rv !== '0') {
    const n = Number(rv)
    if (!Number.isInteger(n) || n < 0) {
      return sendError({ ...expired(`invalid resource version: ${rv}`), reason: 'BadRequest', code: 400, message: `invalid resource version: ${rv}` })
    }
    const past = store.eventsSince(n)
    if (!Array.isArray(past)) return sendError(tooOld(opts.plural, rv, past.oldest))
    // the history is bounded (watchHistory): replayed in full, like the initial ADDED set
    for (const e of past) deliver(e, send)
  } else {
    for (const o of store.peekList(opts.plural, opts.namespace)) if (opts.match(o)) send('ADDED', opts.present(o))
  }
  const unsubscribe = store.subscribe((e) => deliver(e))
  const seconds = Math.min(opts.timeoutSeconds ?? opts.maxSeconds, opts.maxSeconds)
  const timer = setTimeout(() => out.end(), seconds * 1000)
  timer.unref()
  res.on('close', () => {
    unsubscribe()
    clearTimeout(timer)
    opts.onEnd?.()
  })
}
