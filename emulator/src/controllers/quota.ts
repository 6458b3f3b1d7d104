/**
 * ResourceQuotas: the quota controller (`status.hard` = `spec.hard`, `status.used` counted from the store) and the
 * admission check of a build pod against `pods` limits (osbs-client's pause_builds sets `pods: 0`: builds then
 * stay New with reason `CannotCreateBuildPod`, as OpenShift's build controller leaves them, until the quota is
 * deleted or raised).
 */
import { canonicalQuantity, quantityCount } from '../registry/core/resourcequota.js'
import type { KubeObject, Store, StoreEvent } from '../storage/store.js'
import { WorkQueue } from '../util/workqueue.js'

const TERMINAL_POD = new Set(['Succeeded', 'Failed'])

/** What counts against each object-count resource: a plural of the store. */
const COUNTED: Record<string, string> = {
  pods: 'pods',
  secrets: 'secrets',
  configmaps: 'configmaps',
  resourcequotas: 'resourcequotas',
  'openshift.io/imagestreams': 'imagestreams'
}

function countedPlural(resource: string): string | undefined {
  if (COUNTED[resource]) return COUNTED[resource]
  const m = /^count\/([a-z]+)(?:\.[a-z.]+)?$/.exec(resource)
  return m?.[1]
}

function usedOf(store: Store, ns: string, resource: string): string {
  const plural = countedPlural(resource)
  if (!plural) return '0'
  const items = store.peekList(plural, ns)
  return String(plural === 'pods' ? items.filter((p) => !TERMINAL_POD.has(p.status?.phase)).length : items.length)
}

/** The status the quota controller writes for `rq`. */
export function quotaStatus(store: Store, rq: KubeObject): { hard: Record<string, string>; used: Record<string, string> } {
  const hard: Record<string, string> = { ...(rq.spec?.hard ?? {}) }
  const used: Record<string, string> = {}
  for (const k of Object.keys(hard)) used[k] = usedOf(store, rq.metadata.namespace!, k)
  return { hard, used }
}

/**
 * Why creating one more pod named `pod` in `ns` is refused (the quota admission message), or undefined.
 */
export function podQuotaRefusal(store: Store, ns: string, pod: string): string | undefined {
  for (const rq of store.peekList('resourcequotas', ns)) {
    const hard = quantityCount(canonicalQuantity(rq.spec?.hard?.pods))
    if (Number.isNaN(hard)) continue
    const used = Number(usedOf(store, ns, 'pods'))
    if (used + 1 > hard) return `pods "${pod}" is forbidden: exceeded quota: ${rq.metadata.name}, requested: pods=1, used: pods=${used}, limited: pods=${hard}`
  }
  return undefined
}

export class QuotaController {
  private unsubscribe?: () => void
  private readonly queue = new WorkQueue('quota controller', (ns) => this.sync(ns))

  constructor(private readonly store: Store) {}

  start(): void {
    this.unsubscribe = this.store.subscribe((e) => this.onEvent(e))
    for (const rq of this.store.peekList('resourcequotas')) this.queue.add(rq.metadata.namespace!)
  }

  close(): void {
    this.queue.close()
    this.unsubscribe?.()
  }

  private onEvent(e: StoreEvent): void {
    const ns = e.object.metadata.namespace
    if (!ns || (e.plural !== 'resourcequotas' && !Object.values(COUNTED).includes(e.plural) && !this.countsPlural(ns, e.plural))) return
    if (this.store.peekList('resourcequotas', ns).length) this.queue.add(ns)
  }

  private countsPlural(ns: string, plural: string): boolean {
    return this.store.peekList('resourcequotas', ns).some((rq) => Object.keys(rq.spec?.hard ?? {}).some((k) => countedPlural(k) === plural))
  }

  private sync(ns: string): void {
    for (const rq of this.store.peekList('resourcequotas', ns)) {
      const status = quotaStatus(this.store, rq)
      if (JSON.stringify(rq.status ?? {}) === JSON.stringify(status)) continue
      this.store.update('resourcequotas', { ...structuredClone(rq), status }, rq.metadata.resourceVersion)
    }
  }
}
