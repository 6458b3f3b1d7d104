/**
 * Server behaviour for writes of the core kinds osbs-client uses besides secrets: ConfigMaps, ResourceQuotas,
 * ServiceAccounts (Kubernetes 1.9's validation and `PrepareForCreate` / `PrepareForUpdate`, as in OpenShift 3.9).
 * Resource quantities (`resource.Quantity`) are checked and canonicalized here.
 */
import type { WriteContext } from './kinds.js'
import { badRequest, invalid, type StatusCause } from './status.js'
import type { KubeObject } from './store.js'
import { invalidValue, validateMeta } from './validation.js'

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/
const CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
/** core.MaxSecretSize, also the limit of a ConfigMap's data */
export const MAX_CONFIG_SIZE = 1024 * 1024

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

function throwIfInvalid(kind: string, ctx: WriteContext, name: string, causes: StatusCause[]): void {
  if (causes.length) throw invalid(kind, ctx.group, name, causes)
}

export function prepareConfigMap(cm: KubeObject, _old: KubeObject | undefined, ctx: WriteContext): KubeObject {
  const causes = validateMeta(cm.metadata)
  let size = 0
  const data = (cm.data ?? {}) as Record<string, string>
  const binary = (cm.binaryData ?? {}) as Record<string, string>
  for (const [k, v] of Object.entries(data)) {
    if (!CONFIG_KEY.test(k)) causes.push(invalidValue('data', k, CONFIG_KEY_MSG))
    size += v.length
  }
  for (const [k, v] of Object.entries(binary)) {
    if (!CONFIG_KEY.test(k)) causes.push(invalidValue('binaryData', k, CONFIG_KEY_MSG))
    if (k in data) causes.push(invalidValue('data', k, 'duplicate of key present in binaryData'))
    size += v.length
  }
  if (size > MAX_CONFIG_SIZE) causes.push({ reason: 'FieldValueTooLong', message: `Too long: must have at most ${MAX_CONFIG_SIZE} characters`, field: '' })
  throwIfInvalid('ConfigMap', ctx, cm.metadata?.name ?? '', causes)
  return cm
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

export function prepareResourceQuota(rq: KubeObject, old: KubeObject | undefined, ctx: WriteContext): KubeObject {
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
  throwIfInvalid('ResourceQuota', ctx, rq.metadata?.name ?? '', causes)
  rq.spec.hard = hard
  // status is the quota controller's (quota.ts): reset on create, kept on update
  rq.status = old ? structuredClone(old.status ?? {}) : {}
  return rq
}

export function prepareServiceAccount(sa: KubeObject, _old: KubeObject | undefined, ctx: WriteContext): KubeObject {
  const causes = validateMeta(sa.metadata)
  for (const [i, s] of ((sa.secrets ?? []) as any[]).entries()) {
    if (!s?.name) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `secrets[${i}].name` })
  }
  throwIfInvalid('ServiceAccount', ctx, sa.metadata?.name ?? '', causes)
  return sa
}
