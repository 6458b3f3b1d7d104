/**
 * ResourceQuotas: the row and Kubernetes 1.9's validation and strategy; resource quantities (`resource.Quantity`)
 * checked and canonicalized here. The status is the quota controller's (quota.ts).
 */
import type { KubeObject } from '../../api/object.js'
import { ALL_VERBS, type ResourceDef } from '../../api/resources.js'
import { any, arr, map, obj, ObjectMeta, str } from '../../api/schema.js'
import { badRequest, type StatusCause } from '../../api/status.js'
import { invalidValue, validateMeta } from '../../api/validation.js'
import type { Resource } from '../../apiserver/strategy.js'
import type { RegistryDeps } from '../deps.js'

export const def: ResourceDef = {
  plural: 'resourcequotas',
  kind: 'ResourceQuota',
  listKind: 'ResourceQuotaList',
  group: '',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['quota'],
  legacy: false
}

/** resource.Quantity: a JSON string or number (checked and canonicalized below). */
const quantities = map(any)

export const ResourceQuota = obj('ResourceQuota', {
  kind: str,
  apiVersion: str,
  metadata: ObjectMeta,
  spec: obj('ResourceQuotaSpec', {
    hard: quantities,
    scopes: arr(str),
    scopeSelector: any
  }),
  status: obj('ResourceQuotaStatus', { hard: quantities, used: quantities })
})

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/
const QUANTITY_MSG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

/**
 * A JSON quantity (string or number) as the API server stores it: numbers and plain decimal integers in their
 * shortest form (`0`, `10`); other valid forms (`500m`, `1Gi`) as given. Undefined when it is not a quantity.
 */
export function canonicalQuantity(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Number.isInteger(v) ? String(v) : `${Math.round(v * 1000)}m`
  if (typeof v !== 'string' || !QUANTITY.test(v.trim()) || v.includes(' ')) return undefined
  const m = /^\+?0*(\d+)$/.exec(v)
  if (m) return m[1]
  return v
}

/** The integer value of a canonical count quantity (`pods: "3"`); NaN for others. */
export function quantityCount(q: string | undefined): number {
  return q !== undefined && /^-?\d+$/.test(q) ? Number(q) : Number.NaN
}

/** Resource names a quota may limit without a `/` (Kubernetes 1.9 and OpenShift's own). */
const QUOTA_RESOURCES = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage'
])

const QUOTA_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort']

/** Canonical quantities of a `hard` / `used` map; a value that is not a quantity is Go's decoding error (400). */
function quantityMap(kind: string, m: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries((m ?? {}) as Record<string, unknown>)) {
    const q = canonicalQuantity(v)
    if (q === undefined) throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: ${QUANTITY_MSG}`)
    out[k] = q
  }
  return out
}

function validateResourceQuota(rq: KubeObject): StatusCause[] {
  rq.spec ??= {}
  const hard = quantityMap('ResourceQuota', rq.spec.hard)
  const causes = validateMeta(rq.metadata)
  for (const [k, q] of Object.entries(hard)) {
    if (!k.includes('/') && !QUOTA_RESOURCES.has(k)) causes.push(invalidValue(`spec.hard[${k}]`, k, 'must be a standard resource for quota'))
    if (q.startsWith('-')) causes.push(invalidValue(`spec.hard[${k}]`, q, 'must be greater than or equal to 0'))
  }
  for (const [i, s] of ((rq.spec.scopes ?? []) as string[]).entries()) {
    if (!QUOTA_SCOPES.includes(s)) causes.push(invalidValue(`spec.scopes[${i}]`, s, 'unsupported scope'))
  }
  return causes
}

function prepare(rq: KubeObject, old: KubeObject | undefined): KubeObject {
  rq.spec.hard = quantityMap('ResourceQuota', rq.spec.hard)
  // status is the quota controller's (quota.ts): reset on create, kept on update
  rq.status = old ? structuredClone(old.status ?? {}) : {}
  return rq
}

export const resourcequotas: Resource<RegistryDeps> = {
  def,
  schema: ResourceQuota,
  strategy: { validate: validateResourceQuota, prepareForCreate: (rq) => prepare(rq, undefined), prepareForUpdate: prepare }
}
