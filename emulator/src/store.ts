/**
 * The object store: every resource of every namespace, one global increasing resourceVersion (like etcd's
 * revision), a bounded history of change events (watches from an older resourceVersion get 410 Expired), and a
 * synchronous fan-out to subscribers (watch streams, the build controller, image triggers).
 *
 * Stored objects are never mutated in place: a write stores a fresh copy, reads hand out copies, so an event's
 * object is the exact state of that revision.
 */
import { randomUUID } from 'node:crypto'
import type { KubeObject } from './api/object.js'

export type { KubeObject }

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED'

export interface StoreEvent {
  type: EventType
  plural: string
  /** resourceVersion of this change */
  rv: number
  /** the object after the change (for DELETED: its last state, with the deletion's resourceVersion) */
  object: KubeObject
  /** the previous state (MODIFIED, DELETED) */
  old?: KubeObject
}

export type StoreErrorCode = 'NotFound' | 'AlreadyExists' | 'Conflict'

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    readonly plural: string,
    readonly objectName: string
  ) {
    super(`${code}: ${plural} ${objectName}`)
    this.name = 'StoreError'
  }
}

/** Read-only view, handed to tests as `cluster.store`. */
export interface StoreReader {
  readonly resourceVersion: string
  get(plural: string, namespace: string, name: string): KubeObject | undefined
  list(plural: string, namespace?: string): KubeObject[]
}

export function nowRFC3339(d = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

const clone = <T>(o: T): T => structuredClone(o)

export class Store implements StoreReader {
  private rv = 0
  private readonly data = new Map<string, Map<string, KubeObject>>()
  private readonly history: StoreEvent[] = []
  private historyStart = 0
  /** resourceVersion of the newest event dropped from the history */
  private droppedUpTo = 0
  private readonly listeners = new Set<(e: StoreEvent) => void>()
  private readonly pending: StoreEvent[] = []
  private delivering = false

  constructor(private readonly historySize = 1000) {}

  get resourceVersion(): string {
    return String(this.rv)
  }

  /** The current revision as a number. */
  get revision(): number {
    return this.rv
  }

  private bucket(plural: string): Map<string, KubeObject> {
    let b = this.data.get(plural)
    if (!b) {
      b = new Map()
      this.data.set(plural, b)
    }
    return b
  }

  private static key(namespace: string, name: string): string {
    return `${namespace}/${name}`
  }

  get(plural: string, namespace: string, name: string): KubeObject | undefined {
    const o = this.data.get(plural)?.get(Store.key(namespace, name))
    return o ? clone(o) : undefined
  }

  /** The stored object itself (never mutate it). */
  peek(plural: string, namespace: string, name: string): KubeObject | undefined {
    return this.data.get(plural)?.get(Store.key(namespace, name))
  }

  has(plural: string, namespace: string, name: string): boolean {
    return this.data.get(plural)?.has(Store.key(namespace, name)) ?? false
  }

  /** Objects of a resource, sorted by namespace then name; copies. */
  list(plural: string, namespace?: string): KubeObject[] {
    return this.peekList(plural, namespace).map(clone)
  }

  /** Like list, without copying (never mutate the result's objects). */
  peekList(plural: string, namespace?: string): KubeObject[] {
    const b = this.data.get(plural)
    if (!b) return []
    const out: KubeObject[] = []
    for (const o of b.values()) {
      if (namespace === undefined || (o.metadata.namespace ?? '') === namespace) out.push(o)
    }
    out.sort((a, b) => {
      const na = `${a.metadata.namespace ?? ''}/${a.metadata.name}`
      const nb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`
      return na < nb ? -1 : na > nb ? 1 : 0
    })
    return out
  }

  /** Store a new object: sets uid, creationTimestamp, resourceVersion. */
  create(plural: string, obj: KubeObject): KubeObject {
    const ns = obj.metadata.namespace ?? ''
    const b = this.bucket(plural)
    const k = Store.key(ns, obj.metadata.name)
    if (b.has(k)) throw new StoreError('AlreadyExists', plural, obj.metadata.name)
    const o = clone(obj)
    o.metadata.uid = (o.metadata.uid as string | undefined) ?? randomUUID()
    o.metadata.creationTimestamp = nowRFC3339()
    o.metadata.resourceVersion = String(++this.rv)
    b.set(k, o)
    this.emit({ type: 'ADDED', plural, rv: this.rv, object: o })
    return clone(o)
  }

  /**
   * Replace an object. With `expectRv` the write only happens when it is the current resourceVersion
   * (optimistic concurrency); uid and creationTimestamp are kept from the stored object.
   */
  update(plural: string, obj: KubeObject, expectRv?: string): KubeObject {
    const ns = obj.metadata.namespace ?? ''
    const b = this.bucket(plural)
    const k = Store.key(ns, obj.metadata.name)
    const old = b.get(k)
    if (!old) throw new StoreError('NotFound', plural, obj.metadata.name)
    if (expectRv !== undefined && expectRv !== old.metadata.resourceVersion) {
      throw new StoreError('Conflict', plural, obj.metadata.name)
    }
    const o = clone(obj)
    o.metadata.uid = old.metadata.uid
    o.metadata.creationTimestamp = old.metadata.creationTimestamp
    o.metadata.resourceVersion = String(++this.rv)
    b.set(k, o)
    this.emit({ type: 'MODIFIED', plural, rv: this.rv, object: o, old })
    return clone(o)
  }

  /**
   * Read-modify-write of the current object (no conflict possible: the store is single-threaded).
   * `fn` gets a copy and returns the new object, or undefined to leave it unchanged.
   */
  modify(plural: string, namespace: string, name: string, fn: (o: KubeObject) => KubeObject | undefined | void): KubeObject {
    const cur = this.get(plural, namespace, name)
    if (!cur) throw new StoreError('NotFound', plural, name)
    const next = fn(cur)
    if (!next) return cur
    return this.update(plural, next, cur.metadata.resourceVersion)
  }

  delete(plural: string, namespace: string, name: string, expectUid?: string): KubeObject {
    const b = this.bucket(plural)
    const k = Store.key(namespace, name)
    const old = b.get(k)
    if (!old || (expectUid !== undefined && old.metadata.uid !== expectUid)) throw new StoreError('NotFound', plural, name)
    b.delete(k)
    const o = clone(old)
    o.metadata.resourceVersion = String(++this.rv)
    this.emit({ type: 'DELETED', plural, rv: this.rv, object: o, old })
    return clone(o)
  }

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /**
   * Events after `rv`, or 'expired' when some of them are no longer kept. The oldest kept revision is
   * returned for the 410 message.
   */
  eventsSince(rv: number): StoreEvent[] | { expired: true; oldest: number } {
    if (rv < this.droppedUpTo) return { expired: true, oldest: this.droppedUpTo + 1 }
    const out: StoreEvent[] = []
    for (let i = this.historyStart; i < this.history.length; i++) {
      const e = this.history[i]!
      if (e.rv > rv) out.push(e)
    }
    return out
  }

  /** Continue from revision `n` (restored state): older resourceVersions are expired. */
  advanceTo(n: number): void {
    if (n <= this.rv) return
    this.rv = n
    this.compact()
  }

  /** Forget all events up to the current revision: a watch from an older resourceVersion then gets 410. */
  compact(): void {
    this.droppedUpTo = this.rv
    this.history.length = 0
    this.historyStart = 0
  }

  private emit(e: StoreEvent): void {
    this.history.push(e)
    if (this.history.length - this.historyStart > this.historySize) {
      const dropped = this.history[this.historyStart]!
      this.droppedUpTo = dropped.rv
      this.historyStart++
      if (this.historyStart > 1024 && this.historyStart * 2 > this.history.length) {
        this.history.splice(0, this.historyStart)
        this.historyStart = 0
      }
    }
    // Deliver in revision order to every listener, also when a listener writes while being notified.
    this.pending.push(e)
    if (this.delivering) return
    this.delivering = true
    try {
      for (let ev = this.pending.shift(); ev; ev = this.pending.shift()) {
        for (const l of [...this.listeners]) {
          try {
            l(ev)
          } catch (err) {
            // A listener's failure must not break the write that caused it.
            process.emitWarning(`store listener failed: ${(err as Error).stack ?? err}`)
          }
        }
      }
    } finally {
      this.delivering = false
    }
  }
}
