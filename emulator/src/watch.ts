/**
 * Watch streams: newline-delimited `{"type","object"}` events.
 * - no resourceVersion (or "0"): synthetic ADDED events for the current matches, then changes;
 * - a resourceVersion: the changes after it, from the store's history; too old → one ERROR event with a
 *   410 Expired Status, then the stream ends (as the API server does);
 * - selectors apply to both states of a change: an object that stops matching is DELETED for the watcher,
 *   one that starts matching is ADDED;
 * - the stream ends after `timeoutSeconds` (or the server's long-request timeout).
 */
import type { ServerResponse } from 'node:http'
import { StreamWriter } from './http.js'
import { expired, type StatusBody } from './status.js'
import type { KubeObject, Store, StoreEvent } from './store.js'

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
  if (opts.expire) return sendError(expired(`too old resource version: ${opts.resourceVersion ?? 0} (${store.revision})`))

  const inScope = (o: KubeObject | undefined) => !!o && (opts.namespace === undefined || o.metadata.namespace === opts.namespace) && opts.match(o)
  const deliver = (e: StoreEvent) => {
    if (e.plural !== opts.plural || out.closed) return
    const now = inScope(e.object)
    const was = e.type !== 'ADDED' && inScope(e.old)
    if (e.type === 'ADDED') {
      if (now) send('ADDED', opts.present(e.object))
    } else if (e.type === 'MODIFIED') {
      if (now && was) send('MODIFIED', opts.present(e.object))
      else if (now) send('ADDED', opts.present(e.object))
      else if (was) send('DELETED', opts.present(e.object))
    } else if (was || now) send('DELETED', opts.present(e.object))
  }

  const rv = opts.resourceVersion
  if (rv && rv !== '0') {
    const n = Number(rv)
    if (!Number.isInteger(n) || n < 0) {
      return sendError({ ...expired(`invalid resource version: ${rv}`), reason: 'BadRequest', code: 400, message: `invalid resource version: ${rv}` })
    }
    const past = store.eventsSince(n)
    if (!Array.isArray(past)) return sendError(expired(`too old resource version: ${rv} (${past.oldest})`))
    past.forEach(deliver)
  } else {
    for (const o of store.peekList(opts.plural, opts.namespace)) if (opts.match(o)) send('ADDED', opts.present(o))
  }
  const unsubscribe = store.subscribe(deliver)
  const seconds = Math.min(opts.timeoutSeconds ?? opts.maxSeconds, opts.maxSeconds)
  const timer = setTimeout(() => out.end(), seconds * 1000)
  timer.unref()
  res.on('close', () => {
    unsubscribe()
    clearTimeout(timer)
    opts.onEnd?.()
  })
}
