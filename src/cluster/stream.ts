/** Response bodies read as they come: a byte stream whose breaks are ClusterErrors, and watch events line by line. */
import { ClusterError, networkCause, statusError } from './errors.js'
import type { StatusObject, WatchEvent } from './types.js'

/** The chunks of a response body (a Node stream); a break is a ClusterError (its message passed through `clean`: no credential). */
export async function* wrapStream(body: AsyncIterable<Uint8Array> & { destroy(): unknown }, request: string, clean: (text: string) => string = (text) => text): AsyncGenerator<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]()
  try {
    for (;;) {
      let result: IteratorResult<Uint8Array>
      try {
        result = await chunks.next()
      } catch (error) {
        if (error instanceof Error && ['AbortError', 'TimeoutError', 'ClientClosedError'].includes(error.name)) throw error
        const cause = networkCause(error)
        throw new ClusterError(`${request}: the stream broke: ${cause.code ? cause.code + ': ' : ''}${clean(cause.message)}`, {
          request,
          code: cause.code ?? 'STREAM',
          ambiguous: true,
          cause: error
        })
      }
      if (result.done) return
      yield result.value
    }
  } finally {
    body.destroy()
  }
}

/**
 * The events of a watch response (one JSON object a line; a line that is not JSON is skipped). `onChunk` is called
 * for each chunk (the caller's inactivity timer). An in-stream ERROR event is thrown as a ClusterError with its code
 * (its Status passed through `clean`: no credential).
 */
export async function* watchEvents(
  chunks: AsyncIterable<Uint8Array>,
  request: string,
  onChunk: () => void,
  clean: (status: StatusObject) => StatusObject = (status) => status
): AsyncGenerator<WatchEvent> {
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of chunks) {
    onChunk()
    buffer += decoder.decode(chunk, { stream: true })
    let nl: number
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim()
      buffer = buffer.slice(nl + 1)
      if (!line) continue
      let event: WatchEvent
      try {
        event = JSON.parse(line)
      } catch {
        continue
      }
      if (event.type === 'ERROR') {
        const status = clean(event.object as unknown as StatusObject)
        throw statusError(request, status.code ?? 500, status, undefined, false)
      }
      yield event
    }
  }
}
