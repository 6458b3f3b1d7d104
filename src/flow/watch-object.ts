/**
 * Waiting for one object to reach a state: watch it (`fieldSelector=metadata.name=<name>`) from a known
 * resourceVersion; when the stream ends or goes silent, watch again from the last resourceVersion seen; on 410
 * Expired, GET it and watch from there; a network failure or a 5xx is followed by a GET after a short pause
 * (bounded). Builds waited for to end and ImageStreams waited for to be imported both use it.
 */
import { ClusterError, isGone, sleep, type Cluster, type KubeObject } from '../cluster.js'
import type { ApiGroup } from '../cluster/types.js'

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
        current = event.object
        options.onUpdate?.(current)
        if (done(current)) return current
      }
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error
      if (isGone(error)) {
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
