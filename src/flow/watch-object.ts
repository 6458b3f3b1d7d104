/**
 * Waiting for one object to reach a state: watch it (`fieldSelector=metadata.name=<name>`) from a known
 * resourceVersion; when the stream ends or goes silent, watch again from the last resourceVersion seen; on 410
 * Expired, GET it and watch from there at once, and when 410 comes again before any event, after a pause that
 * doubles up to a cap (a server or proxy that answers every watch with 410 is read every few seconds, not in a
 * loop); a network failure or a 5xx is followed by a GET after a short pause (bounded). Builds waited for to end
 * and ImageStreams waited for to be imported both use it.
 */
import { backoffDelay, ClusterError, isGone, sleep, type Cluster, type KubeObject, type RetryPolicy } from '../cluster/index.js'
import type { ApiGroup } from '../cluster/types.js'

/**
 * The pause before watching again after the second and each further 410 in a row: 0.5 s doubling up to 5 s, each
 * between half and all of it. The first 410 (the resourceVersion was compacted away) is answered at once.
 */
export const GONE_BACKOFF: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'> = { baseDelayMs: 500, maxDelayMs: 5000 }

/** The pause before the next watch after `gone` 410 answers in a row without an event between them. */
export function goneDelay(gone: number, random: () => number = Math.random): number {
  return gone <= 1 ? 0 : backoffDelay(gone - 2, { ...GONE_BACKOFF, attempts: Infinity, maxRetryAfterMs: 0 }, random)
}

/** Which objects: their API group and resource, how to read one, and what to say when one is deleted. */
export interface WatchedObject {
  group: ApiGroup
  resource: string
  name: string
  get(name: string, signal?: AbortSignal): Promise<KubeObject>
  /** The error when the object is deleted while waiting, e.g. `Build x was deleted before it finished`. */
  deleted: string
}

export interface WatchUntilOptions {
  signal?: AbortSignal
  /** The object as last seen (its resourceVersion is where the watch starts); default: a GET. */
  from?: KubeObject
  /** Each new state of the object. */
  onUpdate?: (object: KubeObject) => void
  /** Client-side limit of a silent watch before re-watching (default 90 s). */
  inactivityMs?: number
  /** Server-side end of one watch request (default 300 s). */
  watchSeconds?: number
}

/** The object once `done` holds for it (checked on the object as first known too). */
export async function watchUntil(client: Cluster, what: WatchedObject, done: (object: KubeObject) => boolean, options: WatchUntilOptions = {}): Promise<KubeObject> {
  const { name } = what
  let current = options.from ?? (await what.get(name, options.signal))
  let resourceVersion = current.metadata.resourceVersion
  let failures = 0
  let gone = 0
  for (;;) {
    if (done(current)) return current
    try {
      const events = client.watch(
        what.group,
        what.resource,
        { fieldSelector: `metadata.name=${name}`, resourceVersion, timeoutSeconds: options.watchSeconds ?? 300 },
        { signal: options.signal, inactivityMs: options.inactivityMs ?? 90000 }
      )
      for await (const event of events) {
        if (event.object?.metadata?.resourceVersion) resourceVersion = event.object.metadata.resourceVersion
        if (event.type === 'BOOKMARK' || event.object?.metadata?.name !== name) continue
        if (event.type === 'DELETED') throw new Error(what.deleted)
        failures = 0
        gone = 0
        current = event.object
        options.onUpdate?.(current)
        if (done(current)) return current
      }
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error
      if (isGone(error)) {
        const pause = goneDelay(++gone)
        if (pause) await sleep(pause, options.signal)
        current = await what.get(name, options.signal)
        resourceVersion = current.metadata.resourceVersion
        options.onUpdate?.(current)
        continue
      }
      if (!(error instanceof ClusterError) || (error.status !== undefined && error.status < 500)) throw error
      if (++failures > 10) throw error
      await sleep(Math.min(5000, 250 * 2 ** failures), options.signal)
      current = await what.get(name, options.signal)
      resourceVersion = current.metadata.resourceVersion
    }
  }
}
