/**
 * A trimmed, hand-written schema of the objects the emulator accepts in writes: the fields of OpenShift's
 * build.openshift.io/v1 and image.openshift.io/v1 types (and the core types they embed) that a client can send.
 * Here: the schema language, the decoder, and the types every kind embeds; each kind's own schema is in its
 * folder under registry/ (registry/index.ts gathers them).
 * It drives decoding (type errors are 400s, like Go's JSON decoder; unknown fields are dropped with a warning,
 * or are a 400 under `fieldValidation=Strict`). A test checks every field here against OpenShift's OpenAPI.
 */

export type Schema =
  | { t: 'string' }
  | { t: 'integer' }
  | { t: 'number' }
  | { t: 'boolean' }
  | { t: 'any' }
  | { t: 'object'; name: string; props: Record<string, Schema> }
  | { t: 'array'; items: Schema }
  | { t: 'map'; values: Schema }

export const str: Schema = { t: 'string' }
export const int: Schema = { t: 'integer' }
export const bool: Schema = { t: 'boolean' }
export const any: Schema = { t: 'any' }
export const obj = (name: string, props: Record<string, Schema>): Schema => ({ t: 'object', name, props })
export const arr = (items: Schema): Schema => ({ t: 'array', items })
export const map = (values: Schema): Schema => ({ t: 'map', values })

export const OwnerReference = obj('OwnerReference', {
  apiVersion: str,
  kind: str,
  name: str,
  uid: str,
  controller: bool,
  blockOwnerDeletion: bool
})

export const ObjectMeta = obj('ObjectMeta', {
  name: str,
  generateName: str,
  namespace: str,
  selfLink: str,
  uid: str,
  resourceVersion: str,
  generation: int,
  creationTimestamp: str,
  deletionTimestamp: str,
  deletionGracePeriodSeconds: int,
  labels: map(str),
  annotations: map(str),
  ownerReferences: arr(OwnerReference),
  finalizers: arr(str),
  clusterName: str,
  managedFields: arr(any)
})

export const ObjectReference = obj('ObjectReference', {
  kind: str,
  namespace: str,
  name: str,
  uid: str,
  apiVersion: str,
  resourceVersion: str,
  fieldPath: str
})

export const LocalObjectReference = obj('LocalObjectReference', { name: str })

const keySelector = (name: string) => obj(name, { name: str, key: str, optional: bool })

export const EnvVar = obj('EnvVar', {
  name: str,
  value: str,
  valueFrom: obj('EnvVarSource', {
    fieldRef: obj('ObjectFieldSelector', { apiVersion: str, fieldPath: str }),
    resourceFieldRef: obj('ResourceFieldSelector', { containerName: str, resource: str, divisor: any }),
    configMapKeyRef: keySelector('ConfigMapKeySelector'),
    secretKeyRef: keySelector('SecretKeySelector')
  })
})

export const DeleteOptions = obj('DeleteOptions', {
  kind: str,
  apiVersion: str,
  gracePeriodSeconds: int,
  preconditions: obj('Preconditions', { uid: str, resourceVersion: str }),
  orphanDependents: bool,
  propagationPolicy: str,
  dryRun: arr(str)
})

const goType = (s: Schema): string => {
  switch (s.t) {
    case 'string':
      return 'string'
    case 'integer':
      return 'int64'
    case 'number':
      return 'float64'
    case 'boolean':
      return 'bool'
    case 'object':
      return `v1.${s.name}`
    case 'array':
      return `[]${goType(s.items)}`
    case 'map':
      return `map[string]${goType(s.values)}`
    default:
      return 'interface {}'
  }
}

const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v === 'object' ? 'object' : typeof v)

export interface DecodeResult {
  /** the first type error, worded like Go's encoding/json */
  typeError?: string
  /** dotted paths of fields the schema does not know (they are removed from the value) */
  unknown: string[]
}

/**
 * Check `value` against `schema` in place: unknown fields are removed and reported, the first type mismatch is
 * reported. `null` is accepted anywhere (Go decodes it to the zero value).
 */
export function decode(value: unknown, schema: Schema): DecodeResult {
  const res: DecodeResult = { unknown: [] }
  walk(value, schema, '', schema.t === 'object' ? schema.name : '', res)
  return res
}

function walk(v: unknown, s: Schema, path: string, struct: string, res: DecodeResult): void {
  if (v === null || v === undefined || s.t === 'any') return
  const mismatch = () => {
    if (!res.typeError) {
      const num = typeof v === 'number' ? ` ${v}` : ''
      res.typeError = `json: cannot unmarshal ${jsonType(v)}${num} into Go struct field ${struct}.${path} of type ${goType(s)}`
    }
  }
  switch (s.t) {
    case 'string':
      if (typeof v !== 'string') mismatch()
      return
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) mismatch()
      return
    case 'number':
      if (typeof v !== 'number') mismatch()
      return
    case 'boolean':
      if (typeof v !== 'boolean') mismatch()
      return
    case 'array':
      if (!Array.isArray(v)) return mismatch()
      v.forEach((item) => walk(item, s.items, path, struct, res))
      return
    case 'map':
      if (typeof v !== 'object' || Array.isArray(v)) return mismatch()
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, s.values, path ? `${path}.${k}` : k, struct, res)
      return
    case 'object': {
      if (typeof v !== 'object' || Array.isArray(v)) return mismatch()
      const o = v as Record<string, unknown>
      for (const k of Object.keys(o)) {
        const sub = s.props[k]
        const p = path ? `${path}.${k}` : k
        if (!sub) {
          res.unknown.push(p)
          delete o[k]
          continue
        }
        walk(o[k], sub, p, s.name, res)
      }
    }
  }
}
